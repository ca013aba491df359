import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/** One statement's rows and, for INSERT/UPDATE/DELETE, the number of rows it touched. */
export interface SqlResult<T> {
  readonly rows: T[];
  readonly count: number;
}

/** Runs parameterised SQL on one connection (inside a transaction when given one). */
export class SqlSession {
  constructor(private readonly runner: QueryRunner) {}

  async run<T = Record<string, unknown>>(
    sql: string,
    values: unknown[] = [],
  ): Promise<SqlResult<T>> {
    const result = await this.runner.query(sql, values, true);
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

/**
 * Plain SQL over TypeORM's pool. The catalog's queries (ranked search, conditional stock updates,
 * SKIP LOCKED) are clearer as SQL than as entity operations.
 */
@Injectable()
export class Sql {
  constructor(readonly dataSource: DataSource) {}

  async rows<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
    return this.session((s) => s.rows<T>(sql, values));
  }

  /** A connection of its own for a few statements, without a transaction. */
  async session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(new SqlSession(runner));
    } finally {
      await runner.release();
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
