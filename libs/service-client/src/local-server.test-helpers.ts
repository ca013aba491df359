import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the local server received, body parsed as JSON when it is JSON. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Reply = {
  status: number;
  body?: unknown;
  delayMs?: number;
  headers?: Record<string, string>;
};

export type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface LocalServer {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) answering with `handler`. Tests use it to stand in
 * for the auth service and a domain service.
 */
export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const received: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      received.push(request);
      void Promise.resolve(handler(request)).then((reply) => {
        const send = () => {
          timers.delete(timer);
          respond(res, reply);
        };
        const timer = setTimeout(send, reply.delayMs ?? 0);
        timers.add(timer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** An error body as every service writes it (DESIGN §5). */
export function errorBody(
  statusCode: number,
  code: string,
  message: string,
  details?: unknown,
): Record<string, unknown> {
  return {
    statusCode,
    error: 'Error',
    message,
    code,
    ...(details === undefined ? {} : { details }),
    requestId: 'svc-request-id',
  };
}
