import {
  EmailClaimStage,
  NOTIFICATIONS_COLLECTION,
  NotificationChannel,
  type NotificationDocument,
  NotificationStatus,
} from '@commerce/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Connection } from 'mongoose';
import { MONGO_CONNECTION } from '../database/mongo.module';

/** A claim this worker attempt holds on a notification. */
export interface Claim {
  readonly notificationId: string;
  readonly token: string;
}

/** What to do with a notification this attempt could not claim. */
export type Unclaimable =
  | { kind: 'missing' }
  | { kind: 'finished'; status: NotificationStatus }
  | { kind: 'not-email' }
  /** Its holder died after handing the message to the SMTP server: it counts as sent. */
  | { kind: 'handed-over'; token: string }
  /** Another attempt holds it (alive, or dead with its lease still running): look again then. */
  | { kind: 'held'; until: number };

/**
 * Why a claim on an unclaimable notification cannot be taken, from the stored document: pure, so
 * the lease rules are unit-tested.
 */
export function judgeUnclaimable(
  doc: Pick<
    NotificationDocument,
    'status' | 'channel' | 'claimToken' | 'claimedAt' | 'claimStage'
  > | null,
  now: number,
  leaseMs: number,
): Unclaimable {
  if (!doc) return { kind: 'missing' };
  if (doc.status !== NotificationStatus.QUEUED) return { kind: 'finished', status: doc.status };
  if (doc.channel !== NotificationChannel.EMAIL) return { kind: 'not-email' };
  // Released (or never claimed) between our claim attempt and this read: try again right away.
  if (!doc.claimToken || !doc.claimedAt) return { kind: 'held', until: now };
  const claimedAt = doc.claimedAt.getTime();
  const expired = claimedAt + leaseMs <= now;
  if (expired && doc.claimStage === EmailClaimStage.HANDOVER) {
    return { kind: 'handed-over', token: doc.claimToken };
  }
  // Expired claims in the SENDING stage are taken by claim() itself; getting here means the claim
  // is still running (or was released or taken a moment ago: then looking again soon is right).
  return { kind: 'held', until: Math.max(claimedAt + leaseMs, now) };
}

/**
 * The workers' side of the notifications collection: the email delivery lease. A notification
 * goes QUEUED -> (claimed: SENDING -> HANDOVER) -> SENT, or FAILED; every write is conditional on
 * the claim token, so an attempt that lost its claim changes nothing.
 */
@Injectable()
export class NotificationStore {
  private readonly notifications: Collection<NotificationDocument>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.notifications = connection.collection<NotificationDocument>(NOTIFICATIONS_COLLECTION);
  }

  /**
   * Claims a QUEUED email notification for one attempt: free, or claimed by an attempt that died
   * before the hand-over (its lease ran out in the SENDING stage). Counts the attempt.
   */
  async claim(
    notificationId: string,
    token: string,
    by: string,
    leaseMs: number,
    now: Date = new Date(),
  ): Promise<NotificationDocument | null> {
    return this.notifications.findOneAndUpdate(
      {
        _id: notificationId,
        channel: NotificationChannel.EMAIL,
        status: NotificationStatus.QUEUED,
        $or: [
          { claimToken: null },
          {
            claimStage: EmailClaimStage.SENDING,
            claimedAt: { $lte: new Date(now.getTime() - leaseMs) },
          },
        ],
      },
      {
        $set: {
          claimToken: token,
          claimedAt: now,
          claimStage: EmailClaimStage.SENDING,
          claimedBy: by,
          updatedAt: now,
        },
        $inc: { attempts: 1 },
      },
      { returnDocument: 'after' },
    );
  }

  find(notificationId: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ _id: notificationId });
  }

  /**
   * Records "the message is being handed to the SMTP server". False when the claim was no longer
   * this attempt's (another attempt took it over after its lease ran out).
   */
  async markHandover(claim: Claim): Promise<boolean> {
    const result = await this.notifications.updateOne(
      {
        _id: claim.notificationId,
        claimToken: claim.token,
        status: NotificationStatus.QUEUED,
      },
      { $set: { claimStage: EmailClaimStage.HANDOVER, updatedAt: new Date() } },
    );
    return result.matchedCount === 1;
  }

  /** SENT, by the claim holder; false if the claim was lost in between (see markSentAnyway). */
  async markSent(claim: Claim, messageId: string, unconfirmed = false): Promise<boolean> {
    const result = await this.notifications.updateOne(
      { _id: claim.notificationId, claimToken: claim.token },
      this.sentUpdate(messageId, unconfirmed),
    );
    return result.matchedCount === 1;
  }

  /** SENT whoever holds the claim: this attempt's message was accepted, whatever happened since. */
  async markSentAnyway(notificationId: string, messageId: string): Promise<void> {
    await this.notifications.updateOne(
      { _id: notificationId, status: NotificationStatus.QUEUED },
      this.sentUpdate(messageId, false),
    );
  }

  /** Gives the claim back (the message was not handed over): another attempt may send. */
  async release(claim: Claim, lastError: string): Promise<void> {
    await this.notifications.updateOne(
      { _id: claim.notificationId, claimToken: claim.token, status: NotificationStatus.QUEUED },
      {
        $set: {
          claimToken: null,
          claimedAt: null,
          claimStage: null,
          claimedBy: null,
          lastError,
          updatedAt: new Date(),
        },
      },
    );
  }

  /** FAILED for good (a permanent refusal, or the last attempt). */
  async markFailed(claim: Claim, lastError: string): Promise<void> {
    await this.notifications.updateOne(
      { _id: claim.notificationId, claimToken: claim.token, status: NotificationStatus.QUEUED },
      {
        $set: {
          status: NotificationStatus.FAILED,
          claimToken: null,
          claimedAt: null,
          claimStage: null,
          claimedBy: null,
          lastError,
          updatedAt: new Date(),
        },
      },
    );
  }

  private sentUpdate(messageId: string, unconfirmed: boolean) {
    const now = new Date();
    return {
      $set: {
        status: NotificationStatus.SENT,
        sentAt: now,
        messageId,
        lastError: unconfirmed
          ? 'marked SENT without the SMTP server confirmation: the sending worker died after handing the message over'
          : null,
        deliveryUnconfirmed: unconfirmed,
        claimToken: null,
        claimedAt: null,
        claimStage: null,
        claimedBy: null,
        updatedAt: now,
      },
    };
  }
}
