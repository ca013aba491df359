import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** One statement's rows and, for INSERT/UPDATE/DELETE, the number of rows it touched. */
export interface SqlResult<T> {
  readonly rows: T[];
  readonly count: number;
}

/**
 * Names for prepared statements, one per distinct SQL text, handed out up to a bound (texts past
 * it run unnamed), so that every connection of the pool prepares a bounded set. A named statement
 * is parsed and analysed once per connection; PostgreSQL still plans it for each set of values
 * when `plan_cache_mode` is `force_custom_plan` (see `dataSourceOptions`).
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly max: number) {}

  nameOf(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < this.max) {
      name = `sql_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

/** Where a session's statements go: a pooled `pg` client, or a TypeORM runner in a transaction. */
type Connection =
  | { readonly kind: 'pg'; readonly client: PoolClient; readonly names?: StatementNames }
  | { readonly kind: 'typeorm'; readonly runner: QueryRunner };

/** Runs parameterised SQL on one connection (inside a transaction when given one). */
export class SqlSession {
  constructor(private readonly connection: Connection | QueryRunner) {}

  async run<T = Record<string, unknown>>(
    sql: string,
    values: unknown[] = [],
  ): Promise<SqlResult<T>> {
    const connection = this.connection;
    if ('kind' in connection && connection.kind === 'pg') {
      const name = connection.names?.nameOf(sql);
      return fromPg<T>(
        await connection.client.query<T & object>(
          name === undefined ? { text: sql, values } : { name, text: sql, values },
        ),
      );
    }
    const runner = 'kind' in connection ? connection.runner : connection;
    const result = await runner.query(sql, values, true);
    const rows = (Array.isArray(result.records) ? result.records : []) as T[];
    return { rows, count: result.affected ?? rows.length };
  }

  async rows<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.run<T>(sql, values)).rows;
  }

  /** Same as `run`, under the name pg clients use (so the seeder takes either). */
  query(sql: string, values: unknown[] = []): Promise<SqlResult<unknown>> {
    return this.run(sql, values);
  }
}

function fromPg<T>(result: QueryResult<T & object>): SqlResult<T> {
  const rows = result.rows as T[];
  return { rows, count: result.rowCount ?? rows.length };
}

/**
 * Plain SQL on TypeORM's pool. The catalog's queries (ranked search, conditional stock updates,
 * SKIP LOCKED) are clearer as SQL than as entity operations. Statements outside a transaction
 * (every read, the search above all) go to the `pg` pool TypeORM holds, bypassing its query
 * runner: on the search path the runner's per-statement work (runner object, event broadcaster,
 * logger calls, result wrapping) was a measurable share of the service's CPU per request.
 * Transactions keep TypeORM's runner (its isolation and rollback handling).
 */
@Injectable()
export class Sql {
  /** The search's statement texts are few (their shape varies with the filters and words). */
  private readonly names = new StatementNames(64);

  constructor(readonly dataSource: DataSource) {}

  /** The `pg` pool under TypeORM (same connections, same DATABASE_POOL_SIZE). */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  async rows<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T & object>(sql, values)).rows;
  }

  /**
   * A connection of its own for a few statements, without a transaction. With `prepare`, its
   * statements are prepared by name (for a hot path that runs the same few texts).
   */
  async session<T>(
    work: (session: SqlSession) => Promise<T>,
    options: { readonly prepare?: boolean } = {},
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      const names = options.prepare ? this.names : undefined;
      return await work(new SqlSession({ kind: 'pg', client, ...(names ? { names } : {}) }));
    } finally {
      // pg-pool drops a client whose connection broke (it is no longer queryable) by itself.
      client.release();
    }
  }

  /** `work` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const result = await work(new SqlSession(runner));
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
