import { dataSourceOptions } from './database.module';

describe('products database sessions', () => {
  it('plan each search for its words and start no parallel workers', () => {
    const options = dataSourceOptions({
      DATABASE_URL: 'postgres://app@db/products',
      DATABASE_POOL_SIZE: 1,
    });
    const startup = (options.extra as { options?: string }).options;
    expect(startup).toContain('-c plan_cache_mode=force_custom_plan');
    expect(startup).toContain('-c max_parallel_workers_per_gather=0');
  });
});
