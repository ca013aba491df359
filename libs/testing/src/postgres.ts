import { Client } from 'pg';
import { testEndpoints } from './endpoints';
import { uniqueName } from './names';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testEndpoints.postgresUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file, so tests never see each other's rows. */
export async function createScratchDatabase(prefix = 'test'): Promise<ScratchDatabase> {
  const name = uniqueName(prefix).toLowerCase();
  await admin((c) => c.query(`create database "${name}"`));
  return {
    name,
    url: testEndpoints.postgresUrl(name),
    drop: () =>
      admin(async (c) => void (await c.query(`drop database if exists "${name}" with (force)`))),
  };
}
