import { z } from 'zod';

export interface ServiceTokenSourceOptions {
  /** Base URL of the auth service; the token comes from `POST /auth/token`. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** A token is renewed this long before it expires. */
  renewBeforeMs?: number;
  now?: () => number;
}

const tokenAnswer = z.object({
  accessToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

/**
 * This service's SERVICE access token, by client credentials, cached until shortly before it
 * expires. Concurrent callers share one request.
 */
export class ServiceTokenSource {
  private cached: { token: string; renewAt: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ServiceTokenSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forget the cached token (the receiver refused it). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const url = `${this.options.authUrl.replace(/\/+$/, '')}/auth/token`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.options.clientId,
        clientSecret: this.options.clientSecret,
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await res.text();
    if (res.status !== 200) {
      throw new Error(`POST ${url} answered ${res.status} for client ${this.options.clientId}`);
    }
    const parsed = tokenAnswer.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`POST ${url} answered an unexpected body`);
    const lifetimeMs = parsed.data.expiresIn * 1000;
    // Renew 30 s early, or at 80 % of a short lifetime.
    const early = Math.min(this.options.renewBeforeMs ?? 30_000, lifetimeMs * 0.2);
    this.cached = { token: parsed.data.accessToken, renewAt: this.now() + lifetimeMs - early };
    return parsed.data.accessToken;
  }
}
