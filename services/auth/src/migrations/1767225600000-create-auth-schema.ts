import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users (emails stored normalised, unique), refresh-token families (one per login) and their
 * refresh tokens (only a SHA-256 hash is stored), with the jti of the access token issued
 * alongside each, so a revoked family can revoke its access tokens too.
 */
export class CreateAuthSchema1767225600000 implements MigrationInterface {
  name = 'CreateAuthSchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table users (
        id uuid primary key default gen_random_uuid(),
        email text not null,
        name text not null,
        password_hash text not null,
        roles text[] not null default '{CUSTOMER}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint users_email_normalised check (email = lower(btrim(email))),
        constraint users_roles_known check (roles <@ array['CUSTOMER', 'ADMIN', 'SUPER_ADMIN']::text[])
      )`);
    await q.query(`create unique index users_email_key on users (email)`);
    await q.query(`create index users_roles_idx on users using gin (roles)`);
    await q.query(`
      create table refresh_families (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await q.query(`create index refresh_families_user_idx on refresh_families (user_id)`);
    await q.query(`
      create table refresh_tokens (
        id uuid primary key default gen_random_uuid(),
        family_id uuid not null references refresh_families (id) on delete cascade,
        token_hash text not null,
        access_jti uuid not null,
        access_expires_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    await q.query(`create unique index refresh_tokens_hash_key on refresh_tokens (token_hash)`);
    await q.query(`create index refresh_tokens_family_idx on refresh_tokens (family_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table refresh_tokens');
    await q.query('drop table refresh_families');
    await q.query('drop table users');
  }
}
