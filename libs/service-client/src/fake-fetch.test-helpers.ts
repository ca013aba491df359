import type { FetchLike } from './http';

export interface FakeCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type FakeAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | Error
  /** Never answers; rejects with the signal's reason when the signal aborts. */
  | 'hang';

/**
 * An in-memory `fetch` for unit tests: records each call and answers from `answer`. No socket is
 * opened.
 */
export function fakeFetch(
  answer: (call: FakeCall, index: number) => FakeAnswer | Promise<FakeAnswer>,
) {
  const calls: FakeCall[] = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = { ...(init.headers as Record<string, string>) };
    const call: FakeCall = {
      url,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const reply = await answer(call, calls.length - 1);
    if (reply === 'hang') {
      return new Promise<Response>((_, reject) => {
        const signal = init.signal;
        if (!signal) return;
        if (signal.aborted) return reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
    if (reply instanceof Error) throw reply;
    const text =
      reply.body === undefined
        ? null
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
    return new Response(text, { status: reply.status, headers: reply.headers });
  };
  return { fetch, calls };
}

/** A token answer as the auth service gives it. */
export function tokenAnswer(accessToken: string, expiresIn = 900): FakeAnswer {
  return { status: 200, body: { accessToken, expiresIn, tokenType: 'Bearer' } };
}
