import {
  type AddressInfo,
  type Server,
  type Socket,
  createConnection,
  createServer,
} from 'node:net';
import { testEndpoints } from '@commerce/testing';

/**
 * What the proxy does to the SMTP conversation between the worker and the real sink (mailpit):
 * - `pass`: nothing;
 * - `hold-before-body`: keeps back the server's `354` go-ahead for DATA, so the client is stuck
 *   before sending the body: the server never gets the message;
 * - `hold-final-reply`: forwards the whole message, terminator included (the server stores it),
 *   but keeps back the server's answer to it: the client cannot know it was accepted;
 * - `drop-after-dot`: like hold-final-reply, then cuts the client's connection;
 * - `reject-recipient`: answers the client's RCPT TO with a permanent `550` itself.
 */
export type SmtpProxyMode =
  'pass' | 'hold-before-body' | 'hold-final-reply' | 'drop-after-dot' | 'reject-recipient';

/**
 * A TCP proxy in front of the SMTP sink that can stall or break a conversation at a chosen point,
 * so tests put a worker exactly where they want it (e.g. to kill it there).
 */
export class SmtpProxy {
  mode: SmtpProxyMode = 'pass';
  /** Conversations currently stalled by a hold mode. */
  held = 0;
  /** Messages whose terminator went through to the server. */
  delivered = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly releases = new Set<() => void>();
  private port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((client) => this.handle(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Lets every stalled conversation go on (what was held back is delivered now). */
  release(): void {
    for (const release of [...this.releases]) release();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(client: Socket): void {
    const upstream = createConnection(testEndpoints.smtp.port, testEndpoints.smtp.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const mode = this.mode;
    let inData = false;
    let tail = '';
    let lastCommand = '';
    let awaitingFinalReply = false;
    let holding = false;
    const heldBack: Buffer[] = [];
    const release = () => {
      if (!holding) return;
      holding = false;
      this.held--;
      this.releases.delete(release);
      for (const chunk of heldBack.splice(0)) client.write(chunk);
    };
    const hold = (chunk: Buffer) => {
      heldBack.push(chunk);
      if (holding) return;
      holding = true;
      this.held++;
      this.releases.add(release);
    };
    client.on('close', () => {
      if (holding) this.held--;
      holding = false;
      this.releases.delete(release);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());

    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (inData) {
        tail = (tail + text).slice(-5);
        upstream.write(chunk);
        if (tail.endsWith('\r\n.\r\n')) {
          inData = false;
          awaitingFinalReply = true;
          this.delivered++;
          if (mode === 'drop-after-dot') setTimeout(() => client.destroy(), 50);
        }
        return;
      }
      lastCommand = text.split('\r\n')[0]?.toUpperCase() ?? '';
      if (mode === 'reject-recipient' && lastCommand.startsWith('RCPT TO')) {
        client.write('550 5.1.1 mailbox unavailable (test proxy)\r\n');
        return;
      }
      upstream.write(chunk);
    });

    upstream.on('data', (chunk: Buffer) => {
      if (holding) return hold(chunk);
      const text = chunk.toString('latin1');
      if (text.startsWith('354')) {
        inData = true;
        tail = '\r\n';
        if (mode === 'hold-before-body') return hold(chunk);
      } else if (awaitingFinalReply) {
        awaitingFinalReply = false;
        if (mode === 'hold-final-reply' || mode === 'drop-after-dot') return hold(chunk);
      }
      client.write(chunk);
    });
  }
}
