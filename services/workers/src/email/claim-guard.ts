import { InjectConfig, type RedisScript, redisScript } from '@commerce/nest-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { WorkersConfig } from '../config';
import { DELIVERY_REDIS } from '../database/redis.module';

// Deletes the guard only if it is still this attempt's. KEYS: guard. ARGV: token.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Mutual exclusion for the claim of a notification, in Redis. The claim itself is a conditional
 * update of the notification in MongoDB, but FerretDB does not make a conditional update atomic:
 * racing findOneAndUpdate calls on one QUEUED document can all succeed (measured here: in 29 of 30
 * rounds of 6 racing calls more than one won), so two jobs of the same notification (a requeue, a
 * producer's retry) could both claim it and both send. `SET NX PX` is atomic, so an attempt first
 * takes this guard and only then claims. The guard lives as long as the claim's lease: an attempt
 * that dies leaves it to run out, after which the next attempt takes over the claim exactly as the
 * protocol says (the send gate stops an attempt before its lease is over, so two never overlap).
 */
@Injectable()
export class ClaimGuard {
  private readonly releaseScript: RedisScript;
  private readonly prefix: string;

  constructor(
    @InjectConfig() config: WorkersConfig,
    @Inject(DELIVERY_REDIS) private readonly redis: Redis,
  ) {
    this.prefix = config.QUEUE_PREFIX;
    this.releaseScript = redisScript(this.redis, 'emailClaimRelease', RELEASE);
  }

  /** Takes the guard: 0 when taken, otherwise how long (ms) the current holder's guard still runs. */
  async acquire(notificationId: string, token: string, leaseMs: number): Promise<number> {
    const key = this.key(notificationId);
    if ((await this.redis.set(key, token, 'PX', leaseMs, 'NX')) === 'OK') return 0;
    const left = await this.redis.pttl(key);
    return left > 0 ? left : 1; // gone meanwhile: look again at once
  }

  /** Gives the guard back (only if it is still this attempt's). */
  async release(notificationId: string, token: string): Promise<void> {
    await this.releaseScript([this.key(notificationId)], [token]);
  }

  private key(notificationId: string): string {
    return `${this.prefix}:email-claim:${notificationId}`;
  }
}
