import {
  type AuthUser,
  type ChargeRequest,
  PaymentFailureCode,
  PaymentStatus,
  type PaymentView,
  type RefundRequest,
  Role,
} from '@commerce/contracts';
import { InjectConfig, MetricsService } from '@commerce/nest-kit';
import { isUniqueViolation } from '@commerce/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { PaymentsConfig } from '../config';
import { InvoiceEntity } from '../invoices/invoice.entity';
import { InvoicesService } from '../invoices/invoices.service';
import {
  PAYMENT_PROVIDER,
  type ChargeResult,
  type PaymentProvider,
  ProviderRejectedError,
  ProviderUnavailableError,
  cancelKey,
  captureKey,
  chargeKey,
  refundKey,
} from '../providers/payment-provider';
import {
  chargeMismatchError,
  idempotencyKeyReused,
  paymentNotCapturable,
  paymentNotFound,
  providerRejected,
  providerUnavailable,
  refundExceedsCaptured,
} from './payment-errors';
import { PaymentEntity, RefundEntity, type RefundKind } from './payment.entity';
import {
  CAPTURED_STATUSES,
  UNCAPTURED_STATUSES,
  chargeMismatch,
  planRefund,
} from './payment-rules';
import type { PaymentDto, PaymentPageDto, RefundResultDto } from './payments.dto';

const ADMIN_ROLES: readonly Role[] = [Role.ADMIN, Role.SUPER_ADMIN];

/** The provider's final word on an intent, as a webhook reports it. */
export type ProviderSettlement =
  | { status: typeof PaymentStatus.CAPTURED }
  /** Authorised after the customer's action (manual capture): funds held, not taken. */
  | { status: typeof PaymentStatus.AUTHORIZED }
  | {
      status: typeof PaymentStatus.FAILED;
      failureCode: PaymentFailureCode;
      failureMessage: string;
    };

/** Statuses a webhook may still settle. */
const SETTLEABLE: readonly PaymentStatus[] = [PaymentStatus.PENDING, ...UNCAPTURED_STATUSES];

/**
 * Charges, refunds and voids.
 *
 * A charge is idempotent per order: the row is inserted once (unique order_id), then exactly one
 * caller at a time holds a claim on it (a guarded UPDATE with a lease) and calls the provider with
 * the key `charge-<orderId>`; everyone else waits for the row to leave PENDING and returns it. A
 * transient failure releases the claim and leaves the row PENDING, so the next call tries again
 * with the same key. No connection is held while the provider is called.
 *
 * A refund is idempotent per idempotency key: it runs with the payment row locked (refunds of one
 * payment queue), checks the key again under the lock, and stores nothing unless the provider
 * agreed.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly invoices: InvoicesService,
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: PaymentsConfig,
  ) {}

  // --- charges -------------------------------------------------------------------------------

  /** `created` is true for the call whose provider answer settled the payment. */
  async charge(request: ChargeRequest): Promise<{ payment: PaymentView; created: boolean }> {
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(PaymentEntity)
      .values({
        orderId: request.orderId,
        customerId: request.customerId,
        amount: request.amount,
        currency: request.currency,
        paymentMethodId: request.paymentMethodId,
        capture: request.capture ?? true,
        provider: this.provider.name,
        status: PaymentStatus.PENDING,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const payment = await this.dataSource.manager.findOneByOrFail(PaymentEntity, {
      orderId: request.orderId,
    });
    if ((inserted.raw as unknown[]).length === 0) {
      const differs = chargeMismatch(payment, request);
      if (differs.length > 0) {
        this.metrics.recordBusinessOperation('payment.charge', 'mismatch');
        throw chargeMismatchError(request.orderId, differs, { ...payment });
      }
    }
    const { payment: settled, settledHere } = await this.drive(payment);
    this.metrics.recordBusinessOperation(
      'payment.charge',
      settledHere ? settled.status.toLowerCase() : 'duplicate',
    );
    return { payment: await this.view(settled), created: settledHere };
  }

  /**
   * Brings a PENDING payment to the provider's answer: claims it and calls the provider, or waits
   * for whoever holds the claim. Returns at once for a payment that is settled already.
   */
  private async drive(
    payment: PaymentEntity,
  ): Promise<{ payment: PaymentEntity; settledHere: boolean }> {
    const deadline = Date.now() + this.config.CHARGE_WAIT_MS;
    let pause = 10;
    let current = payment;
    for (;;) {
      if (current.status !== PaymentStatus.PENDING) return { payment: current, settledHere: false };
      const claim = await this.claim(current.id);
      if (claim) {
        return { payment: await this.callProvider(current, claim), settledHere: true };
      }
      if (Date.now() >= deadline) {
        this.metrics.recordBusinessOperation('payment.charge', 'in_progress');
        throw providerUnavailable(
          `The charge of order ${current.orderId} is still in progress at the provider; try again shortly`,
        );
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 200);
      current = await this.dataSource.manager.findOneByOrFail(PaymentEntity, { id: current.id });
    }
  }

  /** Takes the right to call the provider for a PENDING payment; null if someone holds it. */
  private async claim(paymentId: string): Promise<string | null> {
    const token = randomUUID();
    const ttlSeconds = this.config.CHARGE_CLAIM_TTL_MS / 1000;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(PaymentEntity)
      .set({
        claimToken: token,
        claimedUntil: () => `clock_timestamp() + make_interval(secs => ${ttlSeconds})`,
        attempts: () => 'attempts + 1',
      })
      .where('id = :id', { id: paymentId })
      .andWhere('status = :pending', { pending: PaymentStatus.PENDING })
      .andWhere('(claimed_until is null or claimed_until < clock_timestamp())')
      .execute();
    return result.affected === 1 ? token : null;
  }

  private async release(paymentId: string, token: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(PaymentEntity)
      .set({ claimToken: null, claimedUntil: null })
      .where('id = :id and claim_token = :token', { id: paymentId, token })
      .execute();
  }

  private async callProvider(payment: PaymentEntity, token: string): Promise<PaymentEntity> {
    let result: ChargeResult;
    try {
      result = await this.provider.charge({
        orderId: payment.orderId,
        customerId: payment.customerId,
        amount: payment.amount,
        currency: payment.currency,
        paymentMethodId: payment.paymentMethodId,
        idempotencyKey: chargeKey(payment.orderId),
        capture: payment.capture,
      });
    } catch (error) {
      if (error instanceof ProviderRejectedError) {
        // The provider refused the request itself; the same request will never pass.
        this.logger.error(
          { orderId: payment.orderId, providerCode: error.providerCode, err: error },
          'payment provider refused a charge',
        );
        result = {
          status: PaymentStatus.FAILED,
          providerPaymentId: null,
          failureCode: PaymentFailureCode.PROVIDER_ERROR,
          failureMessage: error.message,
        };
      } else {
        await this.release(payment.id, token);
        if (error instanceof ProviderUnavailableError) {
          this.metrics.recordBusinessOperation('payment.charge', 'unavailable');
          this.logger.warn(
            { orderId: payment.orderId, reason: error.message },
            'payment provider unavailable; the charge stays PENDING for a retry',
          );
          throw providerUnavailable('The payment provider is unavailable; try again later', error);
        }
        throw error;
      }
    }
    return this.record(payment.id, result);
  }

  /** Stores the provider's answer on a PENDING payment (and its invoice when captured). */
  private record(paymentId: string, result: ChargeResult): Promise<PaymentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const update = await manager
        .createQueryBuilder()
        .update(PaymentEntity)
        .set({
          status: result.status,
          providerPaymentId: result.providerPaymentId,
          failureCode: result.status === PaymentStatus.FAILED ? result.failureCode : null,
          failureMessage: result.status === PaymentStatus.FAILED ? result.failureMessage : null,
          claimToken: null,
          claimedUntil: null,
        })
        .where('id = :id and status = :pending', { id: paymentId, pending: PaymentStatus.PENDING })
        .execute();
      const payment = await manager.findOneByOrFail(PaymentEntity, { id: paymentId });
      // Not updated: a webhook settled it meanwhile; its answer stands.
      if (update.affected === 1 && payment.status === PaymentStatus.CAPTURED) {
        await this.invoices.issue(manager, payment);
      }
      return payment;
    });
  }

  // --- captures ------------------------------------------------------------------------------

  /**
   * Takes the funds of the order's authorised payment, once: the row is locked while the provider
   * is asked (with `capture-<orderId>`), so concurrent or repeated captures queue and the later
   * ones find it CAPTURED. A payment captured already (or refunded since) is answered as it is;
   * one that cannot be captured (failed, voided, still awaiting the customer) is a 409.
   */
  async capture(orderId: string): Promise<{ payment: PaymentView; created: boolean }> {
    let payment = await this.dataSource.manager.findOneBy(PaymentEntity, { orderId });
    if (!payment) throw paymentNotFound(orderId);
    if (payment.status === PaymentStatus.PENDING) payment = (await this.drive(payment)).payment;
    const paymentId = payment.id;
    try {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const locked = await manager.findOneOrFail(PaymentEntity, {
          where: { id: paymentId },
          lock: { mode: 'pessimistic_write' },
        });
        if (CAPTURED_STATUSES.includes(locked.status)) return { payment: locked, created: false };
        if (locked.status !== PaymentStatus.AUTHORIZED || !locked.providerPaymentId) {
          throw paymentNotCapturable(orderId, locked.status);
        }
        await this.provider.capture({
          orderId,
          providerPaymentId: locked.providerPaymentId,
          amount: locked.amount,
          idempotencyKey: captureKey(orderId),
        });
        await manager.update(PaymentEntity, { id: locked.id }, { status: PaymentStatus.CAPTURED });
        const captured = await manager.findOneByOrFail(PaymentEntity, { id: locked.id });
        await this.invoices.issue(manager, captured);
        return { payment: captured, created: true };
      });
      this.metrics.recordBusinessOperation(
        'payment.capture',
        outcome.created ? 'captured' : 'duplicate',
      );
      return { payment: await this.view(outcome.payment), created: outcome.created };
    } catch (error) {
      if (error instanceof ProviderUnavailableError) {
        this.metrics.recordBusinessOperation('payment.capture', 'unavailable');
        throw providerUnavailable('The payment provider is unavailable; retry the capture', error);
      }
      if (error instanceof ProviderRejectedError) {
        this.metrics.recordBusinessOperation('payment.capture', 'rejected');
        throw paymentNotCapturable(orderId, 'AUTHORIZED', error.message);
      }
      throw error;
    }
  }

  // --- webhooks ------------------------------------------------------------------------------

  /** The payment a provider intent belongs to, locked, inside the caller's transaction. */
  async lockByIntent(
    manager: EntityManager,
    providerPaymentId: string,
    orderIdHint: string | undefined,
  ): Promise<PaymentEntity | null> {
    const byIntent = await manager.findOne(PaymentEntity, {
      where: { providerPaymentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (byIntent) return byIntent;
    // The webhook may overtake the charge's own answer: the intent is ours if the order's payment
    // has no intent recorded yet.
    if (!orderIdHint || !UUID.test(orderIdHint)) return null;
    const byOrder = await manager.findOne(PaymentEntity, {
      where: { orderId: orderIdHint },
      lock: { mode: 'pessimistic_write' },
    });
    return byOrder && byOrder.providerPaymentId === null ? byOrder : null;
  }

  /**
   * Applies a webhook's final word to a locked payment inside the caller's transaction. Returns
   * the status it had before, or null when there was nothing to change (already settled).
   */
  async settleFromProvider(
    manager: EntityManager,
    payment: PaymentEntity,
    providerPaymentId: string,
    settlement: ProviderSettlement,
  ): Promise<PaymentStatus | null> {
    // An authorisation never overrides what the payment already is past REQUIRES_ACTION.
    if (
      settlement.status === PaymentStatus.AUTHORIZED &&
      payment.status !== PaymentStatus.PENDING &&
      payment.status !== PaymentStatus.REQUIRES_ACTION
    ) {
      return null;
    }
    if (!SETTLEABLE.includes(payment.status)) {
      if (payment.status === PaymentStatus.FAILED && settlement.status === PaymentStatus.CAPTURED) {
        this.logger.error(
          { orderId: payment.orderId, providerPaymentId },
          'provider reports a capture of a payment recorded as FAILED; needs an operator',
        );
      }
      return null;
    }
    const previous = payment.status;
    await manager.update(
      PaymentEntity,
      { id: payment.id },
      {
        status: settlement.status,
        providerPaymentId,
        failureCode: settlement.status === PaymentStatus.FAILED ? settlement.failureCode : null,
        failureMessage:
          settlement.status === PaymentStatus.FAILED ? settlement.failureMessage : null,
        claimToken: null,
        claimedUntil: null,
      },
    );
    if (settlement.status === PaymentStatus.CAPTURED) {
      const captured = await manager.findOneByOrFail(PaymentEntity, { id: payment.id });
      await this.invoices.issue(manager, captured);
    }
    return previous;
  }

  // --- refunds -------------------------------------------------------------------------------

  async refund(request: RefundRequest): Promise<{ refund: RefundResultDto; created: boolean }> {
    const repeat = await this.findRefund(this.dataSource.manager, request);
    if (repeat) return this.duplicateRefund(repeat);
    let payment = await this.dataSource.manager.findOneBy(PaymentEntity, {
      orderId: request.orderId,
    });
    if (!payment) {
      this.metrics.recordBusinessOperation('payment.refund', 'not_found');
      throw paymentNotFound(request.orderId);
    }
    // A charge without the provider's answer yet: get it first (money may have been taken).
    if (payment.status === PaymentStatus.PENDING) payment = (await this.drive(payment)).payment;
    const paymentId = payment.id;
    try {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const locked = await manager.findOneOrFail(PaymentEntity, {
          where: { id: paymentId },
          lock: { mode: 'pessimistic_write' },
        });
        const again = await this.findRefund(manager, request);
        if (again) return { refund: again, created: false };
        return { refund: await this.refundLocked(manager, locked, request), created: true };
      });
      if (!outcome.created) return this.duplicateRefund(outcome.refund);
      this.metrics.recordBusinessOperation('payment.refund', outcome.refund.kind.toLowerCase());
      return { refund: toRefundView(outcome.refund), created: true };
    } catch (error) {
      if (isUniqueViolation(error)) {
        // The same key, concurrently, for another payment.
        const twin = await this.findRefund(this.dataSource.manager, request);
        if (twin) return this.duplicateRefund(twin);
      }
      if (error instanceof ProviderUnavailableError) {
        this.metrics.recordBusinessOperation('payment.refund', 'unavailable');
        throw providerUnavailable(
          'The payment provider is unavailable; retry the refund later',
          error,
        );
      }
      if (error instanceof ProviderRejectedError) {
        this.metrics.recordBusinessOperation('payment.refund', 'rejected');
        throw providerRejected(error.message, error.providerCode);
      }
      throw error;
    }
  }

  private async refundLocked(
    manager: EntityManager,
    payment: PaymentEntity,
    request: RefundRequest,
  ): Promise<RefundEntity> {
    const plan = planRefund(payment, request.amount);
    const store = (kind: RefundKind, fields: Partial<RefundEntity> = {}) =>
      manager.save(
        manager.create(RefundEntity, {
          paymentId: payment.id,
          orderId: payment.orderId,
          idempotencyKey: request.idempotencyKey,
          amount: 0,
          currency: payment.currency,
          status: 'SUCCEEDED',
          kind,
          reason: request.reason,
          providerRefundId: null,
          ...fields,
        }),
      );
    switch (plan.kind) {
      case 'UNSETTLED':
        throw providerUnavailable(
          `The charge of order ${payment.orderId} is still in progress; retry the refund shortly`,
        );
      case 'EXCEEDS':
        this.metrics.recordBusinessOperation('payment.refund', 'exceeds');
        throw refundExceedsCaptured(payment.orderId, plan.requested, plan.refundable);
      case 'NOTHING':
        return store('NOTHING');
      case 'VOID': {
        if (payment.providerPaymentId) {
          try {
            await this.provider.cancel({
              orderId: payment.orderId,
              providerPaymentId: payment.providerPaymentId,
              idempotencyKey: cancelKey(payment.orderId),
            });
          } catch (error) {
            if (
              error instanceof ProviderRejectedError &&
              error.providerCode === 'payment_intent_unexpected_state'
            ) {
              // Captured at the provider meanwhile; its webhook will say so, then a retry refunds.
              throw providerUnavailable(
                `The payment of order ${payment.orderId} is changing state at the provider; retry the refund shortly`,
                error,
              );
            }
            throw error;
          }
        }
        await manager.update(
          PaymentEntity,
          { id: payment.id },
          {
            status: PaymentStatus.FAILED,
            failureCode: PaymentFailureCode.CANCELLED,
            failureMessage: `Cancelled before capture: ${request.reason}`,
          },
        );
        return store('VOID');
      }
      case 'REFUND': {
        if (!payment.providerPaymentId) {
          throw new Error(`captured payment ${payment.id} has no provider payment id`);
        }
        const result = await this.provider.refund({
          orderId: payment.orderId,
          providerPaymentId: payment.providerPaymentId,
          amount: plan.amount,
          currency: payment.currency,
          reason: request.reason,
          idempotencyKey: refundKey(request.idempotencyKey),
        });
        if (result.status === 'SUCCEEDED') {
          await manager.update(
            PaymentEntity,
            { id: payment.id },
            { refundedAmount: plan.refundedAfter, status: plan.statusAfter },
          );
        }
        return store('REFUND', {
          amount: plan.amount,
          status: result.status,
          providerRefundId: result.providerRefundId,
        });
      }
    }
  }

  private async findRefund(
    manager: EntityManager,
    request: RefundRequest,
  ): Promise<RefundEntity | null> {
    const refund = await manager.findOneBy(RefundEntity, {
      idempotencyKey: request.idempotencyKey,
    });
    if (refund && refund.orderId !== request.orderId) {
      throw idempotencyKeyReused(request.idempotencyKey);
    }
    return refund;
  }

  private duplicateRefund(refund: RefundEntity): { refund: RefundResultDto; created: boolean } {
    this.metrics.recordBusinessOperation('payment.refund', 'duplicate');
    return { refund: toRefundView(refund), created: false };
  }

  // --- reads ---------------------------------------------------------------------------------

  async getByOrder(orderId: string): Promise<PaymentDto> {
    const payment = await this.dataSource.manager.findOneBy(PaymentEntity, { orderId });
    if (!payment) throw paymentNotFound(orderId);
    return this.view(payment);
  }

  /** A customer's own payments; every payment for ADMIN and SUPER_ADMIN. Newest first. */
  async list(
    caller: AuthUser,
    query: { orderId?: string | undefined; page: number; limit: number },
  ): Promise<PaymentPageDto> {
    const isAdmin = caller.roles.some((role) => ADMIN_ROLES.includes(role));
    const [rows, total] = await this.dataSource.manager.findAndCount(PaymentEntity, {
      where: {
        ...(isAdmin ? {} : { customerId: caller.id }),
        ...(query.orderId ? { orderId: query.orderId } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return { items: await this.views(rows), total, page: query.page, limit: query.limit };
  }

  private async view(payment: PaymentEntity): Promise<PaymentDto> {
    const [view] = await this.views([payment]);
    return view!;
  }

  private async views(payments: PaymentEntity[]): Promise<PaymentDto[]> {
    if (payments.length === 0) return [];
    const invoices = await this.dataSource.manager.find(InvoiceEntity, {
      select: { paymentId: true, number: true },
      where: { paymentId: In(payments.map((p) => p.id)) },
    });
    const numbers = new Map(invoices.map((i) => [i.paymentId, i.number]));
    return payments.map((p) => toPaymentView(p, numbers.get(p.id) ?? null));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toPaymentView(payment: PaymentEntity, invoiceNumber: string | null): PaymentDto {
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    provider: payment.provider,
    providerPaymentId: payment.providerPaymentId,
    refundedAmount: payment.refundedAmount,
    failureCode: payment.failureCode,
    failureMessage: payment.failureMessage,
    invoiceNumber,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export function toRefundView(refund: RefundEntity): RefundResultDto {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    orderId: refund.orderId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    kind: refund.kind,
    reason: refund.reason,
    createdAt: refund.createdAt.toISOString(),
  };
}
