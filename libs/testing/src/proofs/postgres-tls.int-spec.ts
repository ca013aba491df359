import { postgresOptions } from '@commerce/persistence';
import { DataSource } from 'typeorm';
import { testEndpoints } from '../endpoints';

// The test PostgreSQL runs with ssl=on (Debian's package does, with its self-signed certificate).
async function connect(query: string): Promise<DataSource> {
  const url = `${testEndpoints.postgresUrl('postgres')}?${query}`;
  const dataSource = new DataSource(
    postgresOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 1 }, { migrations: [] }),
  );
  return dataSource.initialize();
}

async function encrypted(dataSource: DataSource): Promise<boolean> {
  const rows: { ssl: boolean }[] = await dataSource.query(
    'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
  );
  return rows[0]?.ssl ?? false;
}

describe('DATABASE_URL TLS settings reach node-postgres through TypeORM (real server)', () => {
  it('has a server that offers TLS', async () => {
    const dataSource = await connect('sslmode=disable');
    try {
      expect(await dataSource.query('show ssl')).toEqual([{ ssl: 'on' }]);
      expect(await encrypted(dataSource)).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('encrypts with sslmode=no-verify', async () => {
    const dataSource = await connect('sslmode=no-verify');
    try {
      expect(await encrypted(dataSource)).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });

  it('verifies the certificate with sslmode=verify-full', async () => {
    // The server's self-signed certificate is trusted by nobody here: the connection is refused.
    await expect(connect('sslmode=verify-full')).rejects.toThrow(/certificate/i);
  });
});
