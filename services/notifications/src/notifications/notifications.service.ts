import {
  NotificationChannel,
  NotificationStatus,
  type NotificationView,
  type SendNotificationRequest,
} from '@commerce/contracts';
import { AppError, ErrorCode, MetricsService } from '@commerce/nest-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { CHANNEL_SENDERS, type ChannelSender } from '../channels/channel-sender';
import { TemplatesService } from '../templates/templates.service';
import { NOTIFICATION_MODEL, type NotificationDocument } from './notification.schema';
import { isDuplicateKey } from '../database/duplicate-key';

/** The view of the contract plus the plain-text body (what an in-app list shows). */
export type NotificationOut = NotificationView & { text: string };

export interface NotificationPage {
  items: NotificationOut[];
  total: number;
  page: number;
  limit: number;
}

export interface AdminNotificationFilter {
  orderId?: string | undefined;
  userId?: string | undefined;
  to?: string | undefined;
  status?: NotificationStatus | undefined;
  page: number;
  limit: number;
}

export const notificationNotFound = (id: string) =>
  new AppError({ status: 404, code: ErrorCode.NOT_FOUND, message: `Notification ${id} not found` });

/** The notification as clients see it (plus its plain-text body, what an in-app list shows). */
export function toView(doc: NotificationDocument): NotificationOut {
  return {
    id: doc._id,
    userId: doc.userId,
    channel: doc.channel,
    template: doc.template,
    locale: doc.locale,
    to: doc.to,
    subject: doc.subject,
    text: doc.text,
    status: doc.status,
    attempts: doc.attempts,
    idempotencyKey: doc.idempotencyKey,
    readAt: doc.readAt?.toISOString() ?? null,
    sentAt: doc.sentAt?.toISOString() ?? null,
    lastError: doc.lastError ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly senders: ReadonlyMap<string, ChannelSender>;

  constructor(
    @InjectModel(NOTIFICATION_MODEL) private readonly notifications: Model<NotificationDocument>,
    private readonly templates: TemplatesService,
    private readonly metrics: MetricsService,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    this.senders = new Map(senders.map((sender) => [sender.channel, sender]));
  }

  /**
   * Renders, stores and hands over one notification; idempotent per `idempotencyKey`. A repeat
   * (concurrent or not) returns the first notification and stores nothing; if that one is still
   * QUEUED it is handed over again, which is how a notification whose hand-over was lost (the
   * process died right after storing it) still goes out. Rendering fails before anything is
   * stored, so a 400 leaves no trace.
   */
  async send(
    request: SendNotificationRequest,
  ): Promise<{ notification: NotificationOut; created: boolean }> {
    const existing = await this.findByKey(request.idempotencyKey);
    if (existing) return { notification: await this.repeat(existing), created: false };

    const sender = this.senders.get(request.channel);
    if (!sender) {
      // The DTO only lets known channels through; a channel without a sender is a wiring bug.
      throw new Error(`no sender for channel ${request.channel}`);
    }
    let rendered;
    try {
      rendered = await this.templates.render(request.template, request.locale, request.data);
    } catch (error) {
      if (error instanceof AppError) this.metrics.recordBusinessOperation('notify', 'rejected');
      throw error;
    }
    const now = new Date();
    const doc: NotificationDocument = {
      _id: randomUUID(),
      userId: request.userId,
      channel: request.channel,
      template: request.template,
      locale: rendered.locale,
      to: request.to,
      data: request.data,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      status: NotificationStatus.QUEUED,
      attempts: 0,
      lastError: null,
      idempotencyKey: request.idempotencyKey,
      readAt: null,
      sentAt: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.notifications.create(doc);
    } catch (error) {
      // The unique index is the last word: a racing twin with the same key got in first.
      if (!isDuplicateKey(error)) throw error;
      const twin = await this.findByKey(request.idempotencyKey);
      if (!twin) throw error;
      return { notification: await this.repeat(twin), created: false };
    }
    this.metrics.recordBusinessOperation('notify', 'created');
    await this.handOver(doc, false);
    const stored = await this.findById(doc._id);
    return { notification: toView(stored ?? doc), created: true };
  }

  /** A user's own notifications, newest first. */
  async listForUser(userId: string, page: number, limit: number): Promise<NotificationPage> {
    return this.newestFirst({ userId }, page, limit);
  }

  /**
   * Anyone's notifications for operators, newest first, by the order they are about (the
   * `orderId` the checkout puts in their data), the recipient's user id, address or status.
   */
  async listForOperators(filter: AdminNotificationFilter): Promise<NotificationPage> {
    const query: Record<string, string> = {};
    if (filter.orderId) query['data.orderId'] = filter.orderId;
    if (filter.userId) query.userId = filter.userId;
    if (filter.to) query.to = filter.to;
    if (filter.status) query.status = filter.status;
    return this.newestFirst(query, filter.page, filter.limit);
  }

  /** One page of the notifications matching `query`, newest first, with the total. */
  private async newestFirst(
    query: Record<string, string>,
    page: number,
    limit: number,
  ): Promise<NotificationPage> {
    const [total, docs] = await Promise.all([
      this.notifications.countDocuments(query).exec(),
      this.notifications
        .find(query)
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean<NotificationDocument[]>()
        .exec(),
    ]);
    return { items: docs.map(toView), total, page, limit };
  }

  /** Marks the user's own notification as read (once; a repeat keeps the first readAt). */
  async markRead(userId: string, id: string): Promise<NotificationOut> {
    await this.notifications
      .updateOne({ _id: id, userId, readAt: null }, { $set: { readAt: new Date() } })
      .exec();
    const doc = await this.notifications.findOne({ _id: id, userId }).lean<NotificationDocument>();
    if (!doc) throw notificationNotFound(id);
    return toView(doc);
  }

  async get(id: string): Promise<NotificationOut> {
    const doc = await this.findById(id);
    if (!doc) throw notificationNotFound(id);
    return toView(doc);
  }

  /**
   * Hands over QUEUED notifications stored more than `olderThanMs` ago, `limit` at a time, oldest
   * first, starting after `after` (the `next` of the previous call; undefined starts over): the
   * safety net for a process that died between storing and handing over, or a queue that was
   * unreachable. `handedOver` counts those that needed it (an email job still waiting does not);
   * `next` is undefined once the end was reached.
   */
  async requeueStale(
    olderThanMs: number,
    limit: number,
    after?: Date,
  ): Promise<{ handedOver: number; next: Date | undefined }> {
    const cutoff = new Date(Date.now() - olderThanMs);
    const stale = await this.notifications
      .find({
        status: NotificationStatus.QUEUED,
        createdAt: after ? { $lt: cutoff, $gt: after } : { $lt: cutoff },
      })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<NotificationDocument[]>()
      .exec();
    let handedOver = 0;
    for (const doc of stale) {
      if (await this.handOver(doc, true)) handedOver++;
    }
    const next = stale.length === limit ? stale[stale.length - 1]?.createdAt : undefined;
    return { handedOver, next };
  }

  private async repeat(doc: NotificationDocument): Promise<NotificationOut> {
    this.metrics.recordBusinessOperation('notify', 'duplicate');
    if (doc.status !== NotificationStatus.QUEUED) return toView(doc);
    await this.handOver(doc, true);
    return toView((await this.findById(doc._id)) ?? doc);
  }

  /**
   * Hands the notification to its channel. A failure (Redis unreachable) is logged, not thrown:
   * the notification is stored and QUEUED, and the requeue sweep hands it over later.
   */
  private async handOver(doc: NotificationDocument, redispatch: boolean): Promise<boolean> {
    const sender = this.senders.get(doc.channel);
    if (!sender) return false;
    try {
      return await sender.dispatch(doc, { redispatch });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `notification ${doc._id} (${doc.channel}) stored but not handed over (${reason}); the requeue sweep retries`,
      );
      return false;
    }
  }

  private findByKey(idempotencyKey: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ idempotencyKey }).lean<NotificationDocument>().exec();
  }

  private findById(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findById(id).lean<NotificationDocument>().exec();
  }
}

/** Channels the service knows, for validation messages. */
export const NOTIFICATION_CHANNELS = Object.values(NotificationChannel);
