import { setTimeout as sleep } from 'node:timers/promises';
import { testEndpoints } from './endpoints';

export interface SinkMessageSummary {
  ID: string;
  Subject: string;
  From: { Address: string; Name: string };
  To: { Address: string; Name: string }[];
}

export interface SinkMessage extends SinkMessageSummary {
  Text: string;
  HTML: string;
}

/** Reads mail back from the SMTP sink (mailpit) through its HTTP API. */
export class MailSink {
  constructor(private readonly baseUrl = testEndpoints.mailpitUrl) {}

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`);
    if (!res.ok) throw new Error(`mailpit ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** Mailpit search syntax, e.g. `to:"ada@example.com" subject:"Order"`. */
  async search(query: string): Promise<SinkMessageSummary[]> {
    const body = await this.get<{ messages: SinkMessageSummary[] }>(
      `/api/v1/search?limit=1000&query=${encodeURIComponent(query)}`,
    );
    return body.messages;
  }

  message(id: string): Promise<SinkMessage> {
    return this.get<SinkMessage>(`/api/v1/message/${encodeURIComponent(id)}`);
  }

  /** The message's headers as sent: name -> values. */
  headers(id: string): Promise<Record<string, string[]>> {
    return this.get<Record<string, string[]>>(`/api/v1/message/${encodeURIComponent(id)}/headers`);
  }

  /** Polls until at least `count` messages match (mail is delivered asynchronously). */
  async waitFor(query: string, count = 1, timeoutMs = 10_000): Promise<SinkMessageSummary[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.search(query);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `mail sink: ${found.length}/${count} messages match ${query} after ${timeoutMs} ms`,
        );
      }
      await sleep(100);
    }
  }
}
