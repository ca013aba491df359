import {
  Column,
  DataSource,
  Entity,
  MigrationInterface,
  PrimaryGeneratedColumn,
  QueryRunner,
} from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../index';

@Entity({ name: 'proof_products' })
class ProofProduct {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  sku!: string;

  /** Money as integer minor units. */
  @Column({ type: 'integer' })
  price!: number;
}

class CreateProofProducts1700000000000 implements MigrationInterface {
  name = 'CreateProofProducts1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `create table proof_products (id uuid primary key default gen_random_uuid(), sku text not null unique, price integer not null check (price >= 0))`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table proof_products');
  }
}

describe('PostgreSQL through TypeORM migrations (real server)', () => {
  let db: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createScratchDatabase('proof');
    dataSource = new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [ProofProduct],
      migrations: [CreateProofProducts1700000000000],
      synchronize: false,
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('migrates, writes and queries, and the schema enforces its constraints', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateProofProducts1700000000000']);
    // A second run is a no-op: migrations are recorded.
    expect(await dataSource.runMigrations()).toEqual([]);

    const repo = dataSource.getRepository(ProofProduct);
    const saved = await repo.save(repo.create({ sku: 'SKU-1', price: 1999 }));
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await repo.findOneByOrFail({ sku: 'SKU-1' })).toMatchObject({ price: 1999 });

    await expect(repo.save(repo.create({ sku: 'SKU-1', price: 5 }))).rejects.toMatchObject({
      driverError: { code: '23505' },
    });
    await expect(repo.save(repo.create({ sku: 'SKU-2', price: -1 }))).rejects.toMatchObject({
      driverError: { code: '23514' },
    });
    expect(await repo.count()).toBe(1);
  });
});
