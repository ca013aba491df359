import { ServiceCallError, parseServiceErrorBody } from './errors';
import { type FetchLike, exchange, isSuccess, joinUrl } from './http';

/** Where a client gets its bearer token; `ServiceTokenProvider` in production, a stub in tests. */
export interface TokenSource {
  getToken(): Promise<string>;
  /**
   * Drops the cached token after a service refused it (401). Given the refused token, a token
   * already renewed by another caller is kept, so concurrent 401s cause one fetch, not many.
   */
  invalidate(token?: string): void;
}

export interface ServiceTokenProviderOptions {
  /** Base URL of the auth service, e.g. `http://127.0.0.1:3001`. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Timeout of one token request. Default 5 s. */
  timeoutMs?: number;
  /**
   * How long before expiry a token is renewed: this, or a fifth of its lifetime when that is
   * shorter (a 15-minute token is renewed 60 s early, a 60 s token 12 s early). Default 60 s.
   */
  renewBeforeMs?: number;
  fetch?: FetchLike;
  /** Clock, for tests. */
  now?: () => number;
}

/** The answer of `POST /auth/token`. */
export interface ServiceTokenResponse {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  tokenType: string;
}

interface CachedToken {
  token: string;
  renewAt: number;
  expiresAt: number;
}

export const TOKEN_PATH = '/auth/token';
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_RENEW_BEFORE_MS = 60_000;
const RENEWAL_RETRY_PAUSE_MS = 5_000;

/**
 * When a token obtained at `obtainedAt` (ms) with a lifetime of `lifetimeMs` should be renewed:
 * `renewBeforeMs` before it expires, or at 80% of its life when that comes first.
 */
export function renewalTime(obtainedAt: number, lifetimeMs: number, renewBeforeMs: number): number {
  const margin = Math.min(renewBeforeMs, lifetimeMs * 0.2);
  return obtainedAt + Math.max(0, lifetimeMs - margin);
}

/**
 * Client-credentials tokens (`POST /auth/token`) for internal callers, cached until shortly before
 * they expire. Concurrent callers share one request. A renewal that fails while the cached token is
 * still valid falls back to that token (and is tried again 5 s later), so a short auth outage does
 * not stop the callers.
 */
export class ServiceTokenProvider implements TokenSource {
  private readonly fetch: FetchLike;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly renewBeforeMs: number;
  private cached: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  /** After a failed renewal, the still-valid token is used without asking again until then. */
  private renewalPausedUntil = 0;
  private fetches = 0;

  constructor(private readonly options: ServiceTokenProviderOptions) {
    if (!options.authUrl) throw new Error('ServiceTokenProvider: authUrl is required');
    if (!options.clientId) throw new Error('ServiceTokenProvider: clientId is required');
    if (!options.clientSecret) throw new Error('ServiceTokenProvider: clientSecret is required');
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.renewBeforeMs = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS;
  }

  /** How many token requests this provider has sent (for metrics and tests). */
  get fetchCount(): number {
    return this.fetches;
  }

  async getToken(): Promise<string> {
    const cached = this.cached;
    const now = this.now();
    if (cached && now < cached.renewAt) return cached.token;
    if (cached && now < cached.expiresAt) {
      if (now < this.renewalPausedUntil) return cached.token;
      try {
        return (await this.renew()).token;
      } catch {
        // Still valid: use it, and let callers go on without waiting for the auth service again
        // for a little while.
        this.renewalPausedUntil = this.now() + RENEWAL_RETRY_PAUSE_MS;
        return cached.token;
      }
    }
    return (await this.renew()).token;
  }

  invalidate(token?: string): void {
    if (token !== undefined && this.cached?.token !== token) return;
    this.cached = undefined;
  }

  private renew(): Promise<CachedToken> {
    if (!this.inflight) {
      this.inflight = this.request().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async request(): Promise<CachedToken> {
    this.fetches++;
    const sentAt = this.now();
    const method = 'POST';
    const answer = await exchange({
      fetch: this.fetch,
      service: 'auth',
      method,
      path: TOKEN_PATH,
      url: joinUrl(this.options.authUrl, TOKEN_PATH),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.options.clientId,
        clientSecret: this.options.clientSecret,
      }),
      timeoutMs: this.timeoutMs,
    });
    if (!isSuccess(answer.status)) {
      const body = parseServiceErrorBody(answer.text);
      throw new ServiceCallError({
        kind: 'http',
        service: 'auth',
        method,
        path: TOKEN_PATH,
        status: answer.status,
        ...(body.code === undefined ? {} : { code: body.code }),
        ...(body.message === undefined ? {} : { serviceMessage: body.message }),
        ...(body.details === undefined ? {} : { details: body.details }),
        ...(body.requestId === undefined ? {} : { requestId: body.requestId }),
      });
    }
    const parsed = parseTokenResponse(answer.text);
    if (!parsed) {
      throw new ServiceCallError({
        kind: 'invalid-response',
        service: 'auth',
        method,
        path: TOKEN_PATH,
        status: answer.status,
      });
    }
    const lifetimeMs = parsed.expiresIn * 1000;
    const token: CachedToken = {
      token: parsed.accessToken,
      // Counted from when the request was sent, so the token is never believed younger than it is.
      expiresAt: sentAt + lifetimeMs,
      renewAt: renewalTime(sentAt, lifetimeMs, this.renewBeforeMs),
    };
    this.cached = token;
    return token;
  }
}

/** The token answer if it is one (a bearer token with a positive lifetime), else undefined. */
export function parseTokenResponse(text: string): ServiceTokenResponse | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { accessToken, expiresIn, tokenType } = parsed as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken.length === 0) return undefined;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    return undefined;
  }
  if (tokenType !== undefined && (typeof tokenType !== 'string' || !/^bearer$/i.test(tokenType))) {
    return undefined;
  }
  return { accessToken, expiresIn, tokenType: 'Bearer' };
}
