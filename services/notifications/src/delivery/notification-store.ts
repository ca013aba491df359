import { NotificationChannel, NotificationStatus } from '@commerce/contracts';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection, Connection } from 'mongoose';
import { isDuplicateKey } from '../database/duplicate-key';
import {
  NOTIFICATIONS_COLLECTION,
  type NotificationDocument,
} from '../notifications/notification.schema';
import { DELIVERY_MONGO } from '../processors/delivery-connections';

/** The email processor's claims: one document per claim taken on a notification. */
export const EMAIL_CLAIMS_COLLECTION = 'email_claims';

/** How far the attempt holding a claim got (see services/notifications/README.md). */
export const EmailClaimStage = {
  /** Claimed; the message has not been handed to the SMTP server yet (safe to send again). */
  SENDING: 'sending',
  /** About to end the SMTP DATA phase: from here on the server may have accepted the message. */
  HANDOVER: 'handover',
  /** Given back before the hand-over (a failed or aborted send): the next claim may be taken. */
  RELEASED: 'released',
} as const;
export type EmailClaimStage = (typeof EmailClaimStage)[keyof typeof EmailClaimStage];

export interface EmailClaimDocument {
  /** `<notificationId>#<generation>`: the unique key that lets exactly one claimer win. */
  _id: string;
  notificationId: string;
  /** 1 for the first claim on the notification, then one more per claim taken after it. */
  generation: number;
  /** The attempt's own id; every later write of the claim names it. */
  token: string;
  claimedAt: Date;
  /** Which worker took it (host:pid), for operators. */
  claimedBy: string;
  stage: EmailClaimStage;
  lastError: string | null;
  updatedAt: Date;
}

/** A claim this worker attempt holds on a notification. */
export interface Claim {
  readonly notificationId: string;
  readonly generation: number;
  readonly token: string;
}

/** What stops an attempt from claiming a notification. */
export type Unclaimable =
  | { kind: 'missing' }
  | { kind: 'finished'; status: NotificationStatus }
  | { kind: 'not-email' }
  /** Its holder died after handing the message to the SMTP server: it counts as sent. */
  | { kind: 'handed-over' }
  /** Another attempt holds it (alive, or dead with its lease still running): look again then. */
  | { kind: 'held'; until: number };

/** The verdict on a notification and its latest claim: take claim `generation`, or not. */
export type ClaimVerdict = { kind: 'free'; generation: number } | Unclaimable;

export type ClaimResult =
  { kind: 'claimed'; claim: Claim; notification: NotificationDocument } | Unclaimable;

/**
 * Whether the notification can be claimed, from its document and its latest claim: pure, so the
 * lease rules are unit-tested. A claim older than the lease in the SENDING stage belongs to an
 * attempt that died before the hand-over: the next generation may be taken.
 */
export function judgeClaim(
  doc: Pick<NotificationDocument, 'status' | 'channel'> | null,
  latest: Pick<EmailClaimDocument, 'generation' | 'claimedAt' | 'stage'> | null,
  now: number,
  leaseMs: number,
): ClaimVerdict {
  if (!doc) return { kind: 'missing' };
  if (doc.status !== NotificationStatus.QUEUED) return { kind: 'finished', status: doc.status };
  if (doc.channel !== NotificationChannel.EMAIL) return { kind: 'not-email' };
  if (!latest) return { kind: 'free', generation: 1 };
  const next = { kind: 'free', generation: latest.generation + 1 } as const;
  if (latest.stage === EmailClaimStage.RELEASED) return next;
  const until = latest.claimedAt.getTime() + leaseMs;
  if (until > now) return { kind: 'held', until };
  return latest.stage === EmailClaimStage.HANDOVER ? { kind: 'handed-over' } : next;
}

/** A claim lost to a racer is judged again, up to this many rounds in all, before the job waits. */
const CLAIM_ROUNDS = 3;

/**
 * The email processor's side of the notifications database. A notification goes QUEUED -> SENT or
 * FAILED; the attempts on it take claims, each a document of its own in `email_claims`
 * (SENDING -> HANDOVER, or RELEASED).
 *
 * Taking a claim is an insert with a unique `_id` (notification id and generation), not a
 * conditional update: FerretDB v1 does not make a conditional `findOneAndUpdate` atomic, while an
 * insert with one `_id` has exactly one winner, on FerretDB and on MongoDB alike. Measured here
 * (FerretDB 1.24 on PostgreSQL, 20 racers on one document, 30 rounds): conditional
 * findOneAndUpdate had exactly one winner in 6/30 rounds (up to 20 winners in a round); an insert
 * with one `_id` in 30/30. This store's claim() raced by 20 (test/email-delivery.int-spec.ts): one
 * winner in 30/30 rounds in each of 11 runs (330/330), and the 20 duplicate jobs of one
 * notification sent one email in each of those runs. So nothing guards the claim any more (the
 * Redis claim guard that stood in front of a conditional update is gone). After the insert only
 * the claim's holder writes to it and to the notification.
 */
@Injectable()
export class NotificationStore implements OnModuleInit {
  private readonly notifications: Collection<NotificationDocument>;
  private readonly claims: Collection<EmailClaimDocument>;

  constructor(@Inject(DELIVERY_MONGO) connection: Connection) {
    this.notifications = connection.collection<NotificationDocument>(NOTIFICATIONS_COLLECTION);
    this.claims = connection.collection<EmailClaimDocument>(EMAIL_CLAIMS_COLLECTION);
  }

  /** The index that finds a notification's latest claim (idempotent; FerretDB builds it too). */
  async onModuleInit(): Promise<void> {
    await this.claims.createIndex({ notificationId: 1, generation: -1 });
  }

  /**
   * Claims a QUEUED email notification for one attempt, if it is free, released, or held by an
   * attempt that died before the hand-over (its lease ran out in the SENDING stage), and counts
   * the attempt. Otherwise says why not.
   */
  async claim(
    notificationId: string,
    token: string,
    by: string,
    leaseMs: number,
    now: Date = new Date(),
  ): Promise<ClaimResult> {
    for (let round = 1; round <= CLAIM_ROUNDS; round++) {
      const [doc, latest] = await Promise.all([
        this.find(notificationId),
        this.latestClaim(notificationId),
      ]);
      const verdict = judgeClaim(doc, latest, now.getTime(), leaseMs);
      if (verdict.kind !== 'free') return verdict;
      const claim: Claim = { notificationId, generation: verdict.generation, token };
      try {
        await this.claims.insertOne({
          _id: claimId(claim),
          notificationId,
          generation: claim.generation,
          token,
          claimedAt: now,
          claimedBy: by,
          stage: EmailClaimStage.SENDING,
          lastError: null,
          updatedAt: now,
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // A racer took this generation: judge again (its claim now holds the notification).
        continue;
      }
      // Only this claim's holder writes here now; the status condition catches a notification
      // finished between the read above and the insert.
      const claimed = await this.notifications.findOneAndUpdate(
        { _id: notificationId, status: NotificationStatus.QUEUED },
        { $max: { attempts: claim.generation }, $set: { updatedAt: now } },
        { returnDocument: 'after' },
      );
      if (claimed) return { kind: 'claimed', claim, notification: claimed };
      await this.release(claim, 'the notification was finished meanwhile');
    }
    // Racers kept winning (or releasing) in between: the job looks again shortly.
    return { kind: 'held', until: now.getTime() };
  }

  find(notificationId: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ _id: notificationId });
  }

  /** The notification's claim with the highest generation, if any. */
  latestClaim(notificationId: string): Promise<EmailClaimDocument | null> {
    return this.claims.findOne({ notificationId }, { sort: { generation: -1 } });
  }

  /**
   * Records "the message is being handed to the SMTP server" on this attempt's claim. False when
   * the claim was no longer in the SENDING stage.
   */
  async markHandover(claim: Claim): Promise<boolean> {
    const result = await this.claims.updateOne(
      { _id: claimId(claim), token: claim.token, stage: EmailClaimStage.SENDING },
      { $set: { stage: EmailClaimStage.HANDOVER, updatedAt: new Date() } },
    );
    return result.matchedCount === 1;
  }

  /**
   * SENT, if still QUEUED: by the claim's holder after the server's 250 (whatever happened to its
   * claim since, its message was accepted), or for a claim whose holder died after the hand-over
   * (`unconfirmed`). False when the notification was no longer QUEUED.
   */
  async markSent(notificationId: string, messageId: string, unconfirmed = false): Promise<boolean> {
    const now = new Date();
    const result = await this.notifications.updateOne(
      { _id: notificationId, status: NotificationStatus.QUEUED },
      {
        $set: {
          status: NotificationStatus.SENT,
          sentAt: now,
          messageId,
          lastError: unconfirmed
            ? 'marked SENT without the SMTP server confirmation: the sending worker died after handing the message over'
            : null,
          deliveryUnconfirmed: unconfirmed,
          updatedAt: now,
        },
      },
    );
    return result.matchedCount === 1;
  }

  /** Gives the claim back (the message was not handed over): another attempt may send. */
  async release(claim: Claim, lastError: string): Promise<void> {
    const now = new Date();
    await this.claims.updateOne(
      { _id: claimId(claim), token: claim.token, stage: EmailClaimStage.SENDING },
      { $set: { stage: EmailClaimStage.RELEASED, lastError, updatedAt: now } },
    );
    await this.notifications.updateOne(
      { _id: claim.notificationId, status: NotificationStatus.QUEUED },
      { $set: { lastError, updatedAt: now } },
    );
  }

  /** FAILED for good (a permanent refusal, or the last attempt). */
  async markFailed(claim: Claim, lastError: string): Promise<void> {
    await this.notifications.updateOne(
      { _id: claim.notificationId, status: NotificationStatus.QUEUED },
      { $set: { status: NotificationStatus.FAILED, lastError, updatedAt: new Date() } },
    );
  }
}

/** The `_id` of a claim: one per notification and generation. */
export function claimId(claim: Pick<Claim, 'notificationId' | 'generation'>): string {
  return `${claim.notificationId}#${claim.generation}`;
}
