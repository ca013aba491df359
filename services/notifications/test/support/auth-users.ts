import { DEV_SERVICE_CLIENT_SECRET } from '../../src/config';
import { type TestTokenIssuer, json } from '@commerce/testing';

export interface StandInUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

/**
 * The auth service's user list, `GET /internal/users?role=&ids=&limit=&cursor=` (keyset pages by
 * id, as the real endpoint answers them), over an in-memory list, served by the test's token
 * issuer: the campaign fan-out gets its `notifications` token there by client credentials and
 * lists users with it, as it does against the auth service.
 */
export class AuthUsers {
  readonly users: StandInUser[] = [];
  /** Paths of the user list requests, in order. */
  readonly listRequests: string[] = [];

  constructor(issuer: TestTokenIssuer) {
    issuer.clients.set('notifications', DEV_SERVICE_CLIENT_SECRET);
    issuer.on('GET', '/internal/users', (req, res) => {
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!issuer.issuedTokens.includes(token)) return json(res, 401, { statusCode: 401 });
      const url = new URL(req.url ?? '/', 'http://stand-in');
      this.listRequests.push(`${url.pathname}${url.search}`);
      const limit = Number(url.searchParams.get('limit') ?? 500);
      const role = url.searchParams.get('role');
      const cursor = url.searchParams.get('cursor');
      const ids = url.searchParams.getAll('ids').flatMap((v) => v.split(','));
      const rows = [...this.users]
        .sort((a, b) => a.id.localeCompare(b.id))
        .filter((u) => !cursor || u.id > cursor)
        .filter((u) => !role || u.roles.includes(role))
        .filter((u) => ids.length === 0 || ids.includes(u.id))
        .slice(0, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      json(res, 200, { items, limit, nextCursor: rows.length > limit && last ? last.id : null });
    });
  }
}
