import {
  PaymentErrorCode,
  PaymentFailureCode,
  type PaymentSettledEvent,
  PaymentStatus,
} from '@commerce/contracts';
import { AppError, InjectConfig, MetricsService } from '@commerce/nest-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { type PaymentsConfig, webhookSecret } from '../config';
import {
  PAYMENT_EVENTS_PUBLISHER,
  type PaymentEventsPublisher,
  type PublishOutcome,
} from '../events/payment-events.publisher';
import { PaymentsService, type ProviderSettlement } from '../payments/payments.service';
import { WebhookEventEntity, type WebhookOutcome } from './webhook-event.entity';

export interface WebhookAck {
  received: true;
  eventId: string;
  /** APPLIED: it changed a payment; NOOP: nothing to change; IGNORED: not ours or not handled. */
  outcome: WebhookOutcome;
  /** The event id had been processed before. */
  duplicate: boolean;
}

export const signatureInvalid = (message: string) =>
  new AppError({
    status: 400,
    code: PaymentErrorCode.WEBHOOK_SIGNATURE_INVALID,
    message,
  });

const hookUndelivered = (orderId: string) =>
  new AppError({
    status: 503,
    code: 'PAYMENT_EVENT_UNDELIVERED',
    message: `The payment event of order ${orderId} could not be delivered yet; redeliver the webhook`,
  });

/** What a verified event says about a payment intent (null: not an event we act on). */
export function settlementOf(
  event: Pick<Stripe.Event, 'type' | 'data'>,
): { intent: Stripe.PaymentIntent; settlement: ProviderSettlement } | null {
  if (event.type === 'payment_intent.succeeded') {
    return {
      intent: event.data.object as Stripe.PaymentIntent,
      settlement: { status: PaymentStatus.CAPTURED },
    };
  }
  // Manual capture: the customer finished 3-D Secure and the funds are held; the checkout captures.
  if (event.type === 'payment_intent.amount_capturable_updated') {
    return {
      intent: event.data.object as Stripe.PaymentIntent,
      settlement: { status: PaymentStatus.AUTHORIZED },
    };
  }
  if (event.type === 'payment_intent.payment_failed') {
    const intent = event.data.object as Stripe.PaymentIntent;
    return {
      intent,
      settlement: {
        status: PaymentStatus.FAILED,
        failureCode: PaymentFailureCode.AUTHENTICATION_FAILED,
        failureMessage:
          intent.last_payment_error?.message ?? 'The customer did not complete authentication',
      },
    };
  }
  if (event.type === 'payment_intent.canceled') {
    return {
      intent: event.data.object as Stripe.PaymentIntent,
      settlement: {
        status: PaymentStatus.FAILED,
        failureCode: PaymentFailureCode.CANCELLED,
        failureMessage: 'The payment was cancelled at the provider',
      },
    };
  }
  return null;
}

/**
 * Provider webhooks: verified against the raw body and STRIPE_WEBHOOK_SECRET, processed once per
 * event id (the event row is inserted in the transaction that applies it), and, when they settle a
 * payment that was waiting for customer action, announced through the PaymentEventsPublisher.
 * The announcement is recorded on the event row; until it is delivered the webhook is answered 503
 * and every redelivery tries it again.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);
  private readonly secret: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsService,
    @Inject(PAYMENT_EVENTS_PUBLISHER) private readonly publisher: PaymentEventsPublisher,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: PaymentsConfig,
  ) {
    this.secret = webhookSecret(config);
  }

  verify(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    if (!signature) {
      this.metrics.recordBusinessOperation('payment.webhook', 'invalid_signature');
      throw signatureInvalid('The stripe-signature header is missing');
    }
    if (!rawBody || rawBody.length === 0) {
      this.metrics.recordBusinessOperation('payment.webhook', 'invalid_signature');
      throw signatureInvalid('The webhook has no body');
    }
    try {
      return Stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.secret,
        this.config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (error) {
      this.metrics.recordBusinessOperation('payment.webhook', 'invalid_signature');
      // The SDK's message says which check failed (no signature for the secret, timestamp too old).
      const reason = error instanceof Error ? error.message.split('\n')[0] : 'invalid';
      this.logger.warn({ reason }, 'webhook refused: signature invalid');
      throw signatureInvalid(`Webhook signature verification failed: ${reason}`);
    }
  }

  async handle(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookAck> {
    const event = this.verify(rawBody, signature);
    const { duplicate } = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(WebhookEventEntity)
        .values({
          id: event.id,
          type: event.type,
          providerPaymentId: intentIdOf(event),
          outcome: 'IGNORED',
          receivedAt: new Date(),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) return { duplicate: true };
      await this.apply(manager, event);
      return { duplicate: false };
    });
    const stored = await this.dataSource.manager.findOneByOrFail(WebhookEventEntity, {
      id: event.id,
    });
    if (stored.hookEvent && !stored.hookDeliveredAt) await this.deliverHook(event.id);
    this.metrics.recordBusinessOperation(
      'payment.webhook',
      duplicate ? 'duplicate' : stored.outcome.toLowerCase(),
    );
    return { received: true, eventId: event.id, outcome: stored.outcome, duplicate };
  }

  private async apply(manager: EntityManager, event: Stripe.Event): Promise<void> {
    const found = settlementOf(event);
    if (!found) return;
    const { intent, settlement } = found;
    const payment = await this.payments.lockByIntent(manager, intent.id, intent.metadata?.orderId);
    if (!payment) {
      this.logger.log(
        { eventId: event.id, type: event.type, providerPaymentId: intent.id },
        'webhook for an intent this service does not own: ignored',
      );
      return;
    }
    const previous = await this.payments.settleFromProvider(
      manager,
      payment,
      intent.id,
      settlement,
    );
    const hookEvent: PaymentSettledEvent | null =
      previous === PaymentStatus.REQUIRES_ACTION
        ? {
            type:
              settlement.status === PaymentStatus.FAILED ? 'payment.failed' : 'payment.confirmed',
            orderId: payment.orderId,
            paymentId: payment.id,
            status: settlement.status,
            failureCode: settlement.status === PaymentStatus.FAILED ? settlement.failureCode : null,
          }
        : null;
    await manager.update(
      WebhookEventEntity,
      { id: event.id },
      { outcome: previous ? 'APPLIED' : 'NOOP', paymentId: payment.id, hookEvent },
    );
  }

  /**
   * Delivers the event's PaymentSettledEvent, holding the event row's lock so that concurrent
   * redeliveries do not announce it twice. Throws 503 when it could not be delivered.
   */
  private async deliverHook(eventId: string): Promise<void> {
    const result = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(WebhookEventEntity, {
        where: { id: eventId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row?.hookEvent || row.hookDeliveredAt) return { ok: true as const, published: false };
      let outcome: PublishOutcome | undefined;
      let failure: unknown;
      try {
        outcome = await this.publisher.publish(row.hookEvent);
      } catch (error) {
        failure = error;
      }
      await manager.update(
        WebhookEventEntity,
        { id: eventId },
        {
          hookAttempts: row.hookAttempts + 1,
          hookDeliveredAt: outcome ? new Date() : null,
          hookLastError:
            outcome?.kind === 'refused'
              ? `refused: ${outcome.reason}`
              : outcome
                ? null
                : describeFailure(failure),
        },
      );
      if (outcome?.kind === 'refused') {
        this.logger.warn(
          { eventId, orderId: row.hookEvent.orderId, reason: outcome.reason },
          'payment event refused by the orders service; not retried',
        );
      }
      return outcome
        ? { ok: true as const, published: true }
        : { ok: false as const, event: row.hookEvent, failure };
    });
    if (!result.ok) {
      this.metrics.recordBusinessOperation('payment.event', 'undelivered');
      this.logger.warn(
        { eventId, orderId: result.event.orderId, err: result.failure },
        'payment event not delivered; answering 503 so the provider redelivers',
      );
      throw hookUndelivered(result.event.orderId);
    }
    if (result.published) this.metrics.recordBusinessOperation('payment.event', 'published');
  }
}

function describeFailure(failure: unknown): string {
  return failure instanceof Error ? failure.message : 'unknown failure';
}

function intentIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as { object?: unknown; id?: unknown };
  return object.object === 'payment_intent' && typeof object.id === 'string' ? object.id : null;
}
