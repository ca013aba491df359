import { Readable } from 'node:stream';

/**
 * A message body for nodemailer's SMTPConnection whose end is gated. SMTP commits a message when
 * the client sends the final `CRLF . CRLF` of the DATA phase, and SMTPConnection writes that
 * terminator only when the message stream ends. This stream hands out the whole body at once and
 * calls `gate()` before it ends: a gate that throws (or rejects) keeps the end from ever being
 * written, so the server discards the message; a gate that returns nothing releases the end in
 * the same event-loop turn, one that returns a promise releases it when the promise resolves.
 *
 * SMTPConnection pipes the stream only after the server's `354` answer to DATA, so the gate runs
 * inside the DATA phase, after the envelope was accepted.
 */
export class GatedMessage extends Readable {
  private phase: 'body' | 'gate' | 'done' = 'body';
  private abandoned = false;
  private gateResult: Promise<void> | undefined;
  private endReleased = false;

  constructor(
    private readonly raw: Buffer,
    private readonly gate: () => void | Promise<void>,
  ) {
    super();
  }

  /** True once the gate passed and the end of the message was released to the SMTP stream. */
  get handedOver(): boolean {
    return this.endReleased;
  }

  /** True once the gate was called (it may still be running). */
  get gateStarted(): boolean {
    return this.phase === 'done';
  }

  /**
   * The send failed (connection lost, server refused): never release the end from now on. Resolves
   * once a gate already running has settled, so the caller knows the final state.
   */
  async abandon(): Promise<void> {
    this.abandoned = true;
    await this.gateResult?.catch(() => undefined);
  }

  override _read(): void {
    if (this.phase === 'body') {
      this.phase = 'gate';
      this.push(this.raw);
      return;
    }
    if (this.phase !== 'gate') return;
    this.phase = 'done';
    let pending: void | Promise<void>;
    try {
      pending = this.gate();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!pending) {
      this.release();
      return;
    }
    this.gateResult = pending;
    pending.then(
      () => this.release(),
      (error: unknown) => this.fail(error),
    );
  }

  private release(): void {
    if (this.abandoned || this.destroyed) return;
    this.endReleased = true;
    this.push(null);
  }

  private fail(error: unknown): void {
    this.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
