import type { PaymentSettledEvent } from '@commerce/contracts';
import { StandInServer, type TestTokenIssuer, json } from '@commerce/testing';

export interface RecordedEvent {
  orderId: string;
  event: PaymentSettledEvent;
  authorization: string | undefined;
}

/**
 * A real HTTP server standing in for the orders service's
 * `POST /internal/orders/:orderId/payment-events`; it accepts the tokens `issuer` handed out by
 * client credentials.
 */
export class StandInServices extends StandInServer {
  /** Tokens the orders stand-in refuses with 401 (as if revoked). */
  readonly refusedTokens = new Set<string>();
  /** Events the orders stand-in accepted. */
  readonly events: RecordedEvent[] = [];
  /** Every delivery attempt, accepted or not. */
  eventAttempts = 0;
  /** When set, the orders stand-in answers this status instead of accepting. */
  eventsFailWith: number | undefined;

  constructor(issuer: TestTokenIssuer) {
    super();
    this.on('POST', /^\/internal\/orders\/([^/]+)\/payment-events$/, (req, res, body, [id]) => {
      this.eventAttempts++;
      const authorization = req.headers.authorization;
      const token = authorization?.replace(/^Bearer /, '');
      if (!token || !issuer.issuedTokens.includes(token) || this.refusedTokens.has(token)) {
        return json(res, 401, { statusCode: 401, code: 'TOKEN_INVALID' });
      }
      if (this.eventsFailWith) {
        return json(res, this.eventsFailWith, { statusCode: this.eventsFailWith });
      }
      this.events.push({
        orderId: decodeURIComponent(id ?? ''),
        event: JSON.parse(body.toString('utf8')) as PaymentSettledEvent,
        authorization,
      });
      json(res, 202, { accepted: true });
    });
  }
}
