import { AppError, ErrorCode, InjectConfig } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import CircuitBreaker from 'opossum';
import type { GatewayConfig } from '../config';
import type { UpstreamRoute } from '../routing/route-context';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import {
  type UpstreamOutcome,
  classifyTransportError,
  errorCodes,
  upstreamError,
} from './upstream-errors';
import {
  type RelayResult,
  type Upstream,
  UpstreamFailure,
  UpstreamsService,
} from './upstreams.service';

// undici's headers and body timers are coarse ("fast timers", about a second).
const UNDICI_TIMER_RESOLUTION_MS = 1000;

/**
 * Relays one request to its upstream through the upstream's circuit breaker, streaming the body
 * both ways (@fastify/reply-from on undici). The upstream's answer, whatever its status, goes back
 * unchanged except for hop-by-hop headers; only failures to get an answer become the gateway's
 * own errors (504 UPSTREAM_TIMEOUT, 502/503 UPSTREAM_UNAVAILABLE).
 */
@Injectable()
export class ProxyService {
  private readonly trustForwarded: boolean;

  constructor(
    private readonly upstreams: UpstreamsService,
    @InjectConfig() config: GatewayConfig,
  ) {
    this.trustForwarded = config.TRUST_PROXY !== false;
  }

  /** Resolves once the response is on its way; rejects with an AppError when none is. */
  async forward(request: FastifyRequest, reply: FastifyReply, route: UpstreamRoute): Promise<void> {
    const upstream = this.upstreams.get(route.service);
    if (!upstream) throw upstreamError('disabled', route.service);
    // A body declared larger than the service accepts is refused here, before an upstream
    // connection is tied up (and without counting against the upstream's circuit).
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > upstream.bodyLimitBytes) {
      discardUnsentBody(request.raw);
      throw new AppError({
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        status: 413,
        message: `Request body is larger than the limit of ${upstream.bodyLimitBytes} bytes`,
      });
    }

    const started = performance.now();
    let outcome: UpstreamOutcome = 'ok';
    try {
      outcome = await upstream.breaker.fire(() => this.relay(request, reply, upstream, route));
      if (outcome === 'body_refused' && !reply.sent) {
        throw upstreamError('broken', upstream.name, {
          cause: new Error('the service closed the connection before the request body was sent'),
        });
      }
    } catch (error) {
      if (error instanceof UpstreamFailure) {
        outcome = error.outcome;
        // A 5xx of the upstream's own has already been relayed as it was.
        if (outcome === 'server_error' || reply.sent) return;
        throw upstreamError(outcome, upstream.name, {
          timeoutMs: upstream.timeoutMs,
          // The transport error itself (undici's), for the line the error filter logs.
          cause: innermostCause(error),
        });
      }
      if (isOpenCircuit(error)) {
        outcome = 'rejected';
        void reply.header('retry-after', String(this.upstreams.retryAfterSeconds(upstream)));
        throw upstreamError('rejected', upstream.name);
      }
      throw error;
    } finally {
      this.upstreams.observe(upstream.name, outcome, performance.now() - started);
    }
  }

  /**
   * One call to the upstream, settled exactly once: 'ok' when its response (status < 500) is being
   * relayed, 'client_abort' when the client left first, an UpstreamFailure otherwise.
   */
  private relay(
    request: FastifyRequest,
    reply: FastifyReply,
    upstream: Upstream,
    route: UpstreamRoute,
  ): Promise<RelayResult> {
    return new Promise<RelayResult>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (result: RelayResult | UpstreamFailure): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        discardUnsentBody(request.raw);
        request.raw.off('end', startTimer);
        reply.raw.off('close', onClientGone);
        if (result instanceof UpstreamFailure) reject(result);
        else resolve(result);
      };
      // The response closes before it is settled only when the client went away; reply-from then
      // drops the upstream's answer and calls neither hook.
      const onClientGone = (): void => settle('client_abort');
      reply.raw.once('close', onClientGone);
      // The upstream's time to answer starts once the whole request is sent to it. The gateway
      // keeps this clock itself: undici's own timeouts tick in steps of up to a second.
      const startTimer = (): void => {
        timer = setTimeout(() => {
          settle(
            new UpstreamFailure('timeout', {
              cause: new Error(`no response headers within ${upstream.timeoutMs} ms`),
            }),
          );
        }, upstream.timeoutMs);
        timer.unref();
      };
      if (request.raw.complete) startTimer();
      else request.raw.once('end', startTimer);

      try {
        reply.from(`${upstream.baseUrl}${route.upstreamPath}`, {
          // A backstop that frees the connection after a late answer has been given up on (and
          // the limit for pauses between body chunks).
          timeout: upstream.timeoutMs + UNDICI_TIMER_RESOLUTION_MS,
          // No retries: a POST must never be sent twice, and a GET retried against a failing
          // upstream only adds load; the breaker is the answer to failures.
          retryDelay: () => null,
          rewriteRequestHeaders: (req, headers) =>
            upstreamRequestHeaders(headers, {
              requestId: req.id,
              // The raw socket is detached (null) once the client connection has gone.
              remoteAddress: req.raw.socket?.remoteAddress,
              protocol: req.protocol,
              host: req.host,
              trustForwarded: this.trustForwarded,
            }),
          rewriteHeaders: (headers, req) => clientResponseHeaders(headers, req?.id ?? request.id),
          onResponse: (_req, rep, res) => {
            if (settled) {
              // Too late: the client already has its 504 (or is gone). Drop this answer.
              res.stream.destroy();
              return;
            }
            void rep.send(res.stream);
            settle(
              res.statusCode >= 500
                ? new UpstreamFailure('server_error', { status: res.statusCode })
                : 'ok',
            );
          },
          onError: (_rep, { error }) => {
            // The client's connection is gone (it stopped sending its body, ...): not the
            // upstream's fault.
            const socket = request.raw.socket as typeof request.raw.socket | null;
            if (!socket || socket.destroyed || request.raw.destroyed) {
              settle('client_abort');
              return;
            }
            const outcome = classifyTransportError(error);
            // Connected, then cut off while the body was still coming: the upstream refused it.
            if (outcome === 'broken' && !request.raw.complete) {
              settle('body_refused');
              return;
            }
            settle(new UpstreamFailure(outcome, { cause: error }));
          },
        });
      } catch (error) {
        settle(new UpstreamFailure('broken', { cause: error }));
      }
    });
  }
}

function isOpenCircuit(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    CircuitBreaker.isOurError(error as Error) &&
    errorCodes(error).includes('EOPENBREAKER')
  );
}

function innermostCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

/** How long the rest of an unwanted request body is read and thrown away before hanging up. */
const DISCARD_BODY_MS = 10_000;

/**
 * The upstream answered (or failed) before the client finished sending its body. Read and drop
 * the rest, as nginx's lingering close does, so the client gets to read the answer instead of a
 * connection reset; a client that keeps sending past the grace time is cut off.
 */
function discardUnsentBody(raw: FastifyRequest['raw']): void {
  if (raw.complete || raw.destroyed) return;
  raw.unpipe();
  raw.resume();
  const cutOff = setTimeout(() => raw.destroy(), DISCARD_BODY_MS);
  cutOff.unref();
  raw.once('end', () => clearTimeout(cutOff));
  raw.once('close', () => clearTimeout(cutOff));
}
