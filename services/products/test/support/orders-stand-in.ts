import { StandInServer, json } from '@commerce/testing';

/**
 * Stands in for the orders service's `POST /internal/orders/statuses` (the products account's
 * token comes from the environment's TestTokenIssuer), for tests of the products side of the sweeper: which expired reservations
 * it releases given what the orders service answers (live, ended, unknown, or no answer at all).
 * The route itself is tested against the real orders service in
 * services/orders/test/orders.int-spec.ts.
 */
export class OrdersStandIn extends StandInServer {
  /** Order id -> status, as the orders service would answer; ids not here are unknown orders. */
  readonly statuses = new Map<string, string>();
  /** When set, the statuses route answers this status (e.g. 503) instead. */
  failWith: number | undefined;
  /** Ids asked about, per call. */
  readonly asked: string[][] = [];
  /** The bearer token of each statuses call. */
  readonly tokens: (string | undefined)[] = [];

  constructor() {
    super();
    this.on('POST', '/internal/orders/statuses', (req, res, body) => {
      const { ids = [] } = parse(body);
      this.asked.push(ids);
      this.tokens.push(req.headers.authorization);
      if (this.failWith) return json(res, this.failWith, { statusCode: this.failWith });
      const items = ids.flatMap((id) => {
        const status = this.statuses.get(id);
        return status ? [{ id, status }] : [];
      });
      json(res, 200, { items });
    });
  }
}

function parse(body: Buffer): { ids?: string[] } {
  return JSON.parse(body.toString('utf8') || '{}') as { ids?: string[] };
}
