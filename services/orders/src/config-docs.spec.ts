import { undocumentedVariables } from '@commerce/nest-kit';
import { ordersEnvSchema } from './config';

// Every variable the app reads has its row in docs/deploy.md's environment table.
describe('environment variables in docs/deploy.md', () => {
  it('lists every variable of orders', () => {
    expect(undocumentedVariables(ordersEnvSchema, 'orders', __dirname)).toEqual([]);
  });
});
