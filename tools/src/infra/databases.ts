import { Client } from 'pg';
import { postgresUrl } from './components';

/** Creates each database that does not exist yet. Safe to run concurrently and repeatedly. */
export async function ensureDatabases(names: readonly string[]): Promise<string[]> {
  const client = new Client({ connectionString: postgresUrl(), connectionTimeoutMillis: 5000 });
  await client.connect();
  const created: string[] = [];
  try {
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name "${name}"`);
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
        name,
      ]);
      if (rowCount) continue;
      try {
        await client.query(`create database "${name}"`);
        created.push(name);
      } catch (err) {
        // 42P04 duplicate_database, 23505 unique_violation: another process created it first.
        const code = (err as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw err;
      }
    }
  } finally {
    await client.end();
  }
  return created;
}
