import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type Readable, Transform } from 'node:stream';

/** The webhook route, as Nest registers it on Fastify. */
export const STRIPE_WEBHOOK_ROUTE = '/payments/webhooks/stripe';

/** The parts of a Fastify request the webhook route uses. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  routeOptions: { url?: string | undefined };
  /** The exact bytes the provider signed (undefined if the request had no body). */
  webhookRawBody?: Buffer;
}

type PreParsingHook = (
  request: WebhookRequest,
  reply: unknown,
  payload: Readable,
  done: (error: Error | null, payload?: Readable) => void,
) => void;

interface HookableServer {
  addHook(name: 'preParsing', hook: PreParsingHook): unknown;
}

/**
 * Keeps the raw body of webhook requests, which signature verification needs byte for byte. A
 * Fastify preParsing hook passes the body through a tee on the webhook route only; JSON parsing,
 * the body limit and every other route are untouched.
 */
@Injectable()
export class WebhookRawBodyCapture implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<HookableServer>();
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      if (request.routeOptions.url !== STRIPE_WEBHOOK_ROUTE) {
        done(null, payload);
        return;
      }
      const chunks: Buffer[] = [];
      const tee = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback(null, chunk);
        },
        flush(callback) {
          request.webhookRawBody = Buffer.concat(chunks);
          callback();
        },
      });
      payload.on('error', (error) => tee.destroy(error));
      done(null, payload.pipe(tee));
    });
  }
}
