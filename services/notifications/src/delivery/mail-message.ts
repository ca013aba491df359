import type { NotificationDocument } from '../notifications/notification.schema';
import MailComposer from 'nodemailer/lib/mail-composer';
import { mailboxAddress } from '../processors/processors.config';

export interface ComposedMail {
  readonly messageId: string;
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** The RFC 5322 message (LF line endings; the SMTP data stream writes CRLF and stuffs dots). */
  readonly raw: Buffer;
}

/**
 * The Message-ID of a notification's email: derived from the notification id, so every attempt
 * (and a duplicate, should one ever slip through) carries the same one, and mail clients that
 * collapse identical Message-IDs show it once. The domain is the sender's.
 */
export function messageIdFor(notificationId: string, from: string): string {
  const domain = mailboxAddress(from).split('@')[1] ?? 'localhost';
  return `<${notificationId}@${domain}>`;
}

/** What one outgoing email is made of (a notification's or a campaign recipient's). */
export interface MailFields {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly date: Date;
  /** Extra headers, e.g. `X-Notification-Id` or `List-Unsubscribe`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Builds the RFC 5322 message and its SMTP envelope. */
export async function buildMail(fields: MailFields, from: string): Promise<ComposedMail> {
  const node = new MailComposer({
    from,
    to: fields.to,
    subject: fields.subject,
    text: fields.text,
    html: fields.html,
    messageId: fields.messageId,
    date: fields.date,
    headers: { ...fields.headers },
  }).compile();
  const raw = await node.build();
  return {
    messageId: fields.messageId,
    envelope: { from: mailboxAddress(from), to: [fields.to] },
    raw,
  };
}

/** The email of a notification: rendered subject, text and HTML from the stored document. */
export function composeMail(
  notification: Pick<
    NotificationDocument,
    '_id' | 'to' | 'subject' | 'text' | 'html' | 'createdAt'
  >,
  from: string,
): Promise<ComposedMail> {
  return buildMail(
    {
      messageId: messageIdFor(notification._id, from),
      to: notification.to,
      subject: notification.subject,
      text: notification.text,
      html: notification.html,
      date: notification.createdAt,
      headers: { 'X-Notification-Id': notification._id },
    },
    from,
  );
}
