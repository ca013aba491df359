import { parse } from 'pg-connection-string';
import { z } from 'zod';

// libpq's modes plus node-postgres's own `no-verify` (TLS without checking the certificate).
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/**
 * DATABASE_URL: a `postgres://` or `postgresql://` URL as node-postgres reads it (TypeORM hands it
 * over unchanged), TLS included: `?sslmode=verify-full` (`sslrootcert=/path/ca.pem` for a private
 * CA, `sslcert`/`sslkey` for a client certificate). Parsed at start with node-postgres's own parser,
 * so a typo in the mode or a certificate file that cannot be read stops the start, naming the
 * variable, instead of failing the first query.
 */
export function envPostgresUrl() {
  return z.string().superRefine((raw, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return fail('expected a postgres:// or postgresql:// URL');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      return fail('expected a postgres:// or postgresql:// URL');
    }
    const mode = url.searchParams.get('sslmode');
    if (mode !== null && !SSL_MODES.includes(mode)) {
      return fail(`expected sslmode to be one of ${SSL_MODES.join(', ')}`);
    }
    try {
      // Reads sslrootcert, sslcert and sslkey as node-postgres will.
      parse(raw);
    } catch (error) {
      const { code, path } = error as NodeJS.ErrnoException;
      fail(code && path ? `cannot read ${path} (${code})` : (error as Error).message);
    }
  });
}
