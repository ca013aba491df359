import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { GatedMessage } from './gated-message';

export interface SmtpPoolOptions {
  /** `smtp://[user:pass@]host:port` or `smtps://...`. */
  readonly url: string;
  /** Most connections open at once; senders beyond it wait for a free one. */
  readonly size: number;
  /** Connect, greeting and idle-socket timeout. */
  readonly timeoutMs: number;
  /** A connection is closed (and replaced when needed) after this many messages. */
  readonly maxMessagesPerConnection: number;
  /** The name this client gives in EHLO. */
  readonly clientName?: string;
}

export interface SmtpEnvelope {
  readonly from: string;
  readonly to: readonly string[];
}

/** The SMTP server accepted the message. */
export interface SmtpAccepted {
  readonly response: string;
}

/**
 * Sending failed. `handedOver` says whether the end of the message had been released to the
 * server: if not, the server cannot have accepted it; if so and there is no `responseCode` (the
 * connection died before the server answered), it may well have.
 */
export class SmtpSendError extends Error {
  override readonly name = 'SmtpSendError';
  readonly responseCode: number | undefined;
  readonly code: string | undefined;

  constructor(
    override readonly cause: unknown,
    readonly handedOver: boolean,
  ) {
    const smtp = cause as SMTPConnection.SMTPError | undefined;
    super(smtp?.message ?? String(cause));
    this.responseCode = typeof smtp?.responseCode === 'number' ? smtp.responseCode : undefined;
    this.code = typeof smtp?.code === 'string' ? smtp.code : undefined;
  }

  /** A 5xx answer: the server refuses this message for good (unknown mailbox, policy, size). */
  get permanent(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 500 && this.responseCode < 600;
  }
}

/** The caller aborted the send before the message was handed over: the server discards it. */
export class SendAbortedError extends Error {
  override readonly name = 'SendAbortedError';
}

interface Pooled {
  readonly smtp: SMTPConnection;
  messages: number;
  retired: boolean;
  /** Fails the message in flight, if any (SMTPConnection itself never calls back on a dead socket). */
  failInFlight?: (error: Error) => void;
}

/**
 * A small pool of SMTP connections (nodemailer's SMTPConnection) for messages whose hand-over
 * must be observable: `send()` runs a gate between the body and the end of the DATA phase (see
 * GatedMessage), which nodemailer's pooled transport has no place for (it reads the whole
 * message before the DATA command). Connections are reused up to `maxMessagesPerConnection`, any
 * connection that saw an error is dropped, and a reused connection that turns out dead before the
 * gate ran is replaced transparently once.
 */
export class SmtpPool {
  private readonly idle: Pooled[] = [];
  private readonly waiters: (() => void)[] = [];
  private open = 0;
  private closed = false;
  private readonly connectionOptions: SMTPConnection.Options;
  private readonly auth: SMTPConnection.Credentials | undefined;

  constructor(private readonly options: SmtpPoolOptions) {
    const url = new URL(options.url);
    const secure = url.protocol === 'smtps:';
    this.connectionOptions = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : secure ? 465 : 25,
      secure,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      name: options.clientName,
      logger: false,
    };
    this.auth = url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined;
  }

  /**
   * Sends one message; `gate` runs after the server accepted the envelope and the body was
   * handed out, right before the end of the DATA phase (see GatedMessage). If the gate throws, the
   * message is abandoned mid-DATA (the server discards it) and the error is reported with
   * `handedOver: false`.
   * Aborting `signal` before the gate ran does the same (the connection is dropped); once the gate
   * runs, the send is left to finish.
   */
  async send(
    envelope: SmtpEnvelope,
    raw: Buffer,
    gate: () => void | Promise<void>,
    signal?: AbortSignal,
  ): Promise<SmtpAccepted> {
    for (let attempt = 1; ; attempt++) {
      const conn = await this.acquire();
      const reused = conn.messages > 0;
      const message = new GatedMessage(raw, gate);
      try {
        const info = await this.sendOn(conn, envelope, message, signal);
        conn.messages++;
        this.release(conn, true);
        return { response: info.response };
      } catch (error) {
        await message.abandon();
        this.release(conn, false);
        // An idle connection the server had closed: nothing was sent, try a fresh one.
        if (reused && attempt === 1 && !message.gateStarted && isConnectionLoss(error)) continue;
        throw new SmtpSendError(error, message.handedOver);
      }
    }
  }

  /** Closes idle connections now and busy ones when their message is done. */
  close(): void {
    this.closed = true;
    for (const conn of this.idle.splice(0)) this.retire(conn, true);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private sendOn(
    conn: Pooled,
    envelope: SmtpEnvelope,
    message: GatedMessage,
    signal: AbortSignal | undefined,
  ): Promise<SMTPConnection.SentMessageInfo> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (message.gateStarted) return;
        finish(new SendAbortedError('sending aborted before the message was handed over'));
        this.retire(conn, false);
      };
      const finish = (error: Error | null, info?: SMTPConnection.SentMessageInfo) => {
        if (settled) return;
        settled = true;
        conn.failInFlight = undefined;
        signal?.removeEventListener('abort', onAbort);
        if (error || !info) reject(error ?? new Error('SMTP send ended without an answer'));
        else resolve(info);
      };
      if (signal?.aborted) return finish(new SendAbortedError('sending aborted before it began'));
      signal?.addEventListener('abort', onAbort, { once: true });
      conn.failInFlight = (error) => finish(error);
      conn.smtp.send({ from: envelope.from, to: [...envelope.to] }, message, finish);
    });
  }

  private async acquire(): Promise<Pooled> {
    for (;;) {
      if (this.closed) throw new Error('the SMTP pool is closed');
      const idle = this.idle.pop();
      if (idle) return idle;
      if (this.open < this.options.size) {
        this.open++;
        return await this.connect();
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private release(conn: Pooled, reusable: boolean): void {
    const keep =
      reusable &&
      !this.closed &&
      !conn.retired &&
      conn.messages < this.options.maxMessagesPerConnection;
    if (keep) this.idle.push(conn);
    else this.retire(conn, reusable);
    this.wakeOne();
  }

  /** Drops a connection: QUIT when it is healthy, otherwise just close the socket. */
  private retire(conn: Pooled, polite: boolean): void {
    const index = this.idle.indexOf(conn);
    if (index >= 0) this.idle.splice(index, 1);
    if (conn.retired) return;
    conn.retired = true;
    this.open--;
    try {
      if (polite) conn.smtp.quit();
      else conn.smtp.close();
    } catch {
      // Already gone.
    }
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }

  /** Opens one connection; the caller has counted it in `open` (a failure uncounts it). */
  private async connect(): Promise<Pooled> {
    const smtp = new SMTPConnection(this.connectionOptions);
    const conn: Pooled = { smtp, messages: 0, retired: false };
    const lost = (error: Error) => {
      conn.failInFlight?.(error);
      if (conn.retired) return;
      conn.retired = true;
      this.open--;
      const index = this.idle.indexOf(conn);
      if (index >= 0) this.idle.splice(index, 1);
      this.wakeOne();
    };
    smtp.on('error', (error) => lost(error));
    smtp.on('end', () => lost(connectionClosed()));
    // SMTPConnection reports a failed connect or a dead socket as events, not to the callback.
    const step = (run: (done: (error?: Error | null) => void) => void) =>
      new Promise<void>((resolve, reject) => {
        conn.failInFlight = reject;
        run((error) => (error ? reject(error) : resolve()));
      }).finally(() => {
        conn.failInFlight = undefined;
      });
    try {
      await step((done) => smtp.connect(done));
      const auth = this.auth;
      if (auth) await step((done) => smtp.login(auth, done));
      return conn;
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
      try {
        smtp.close();
      } catch {
        // Already gone.
      }
      throw error;
    }
  }
}

const connectionClosed = () =>
  Object.assign(new Error('SMTP connection closed'), { code: 'ECONNECTION' });

function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNECTION' || code === 'ESOCKET' || code === 'ETIMEDOUT';
}
