import { undocumentedVariables } from '@commerce/nest-kit';
import { productsEnvSchema } from './config';

// Every variable the app reads has its row in docs/deploy.md's environment table.
describe('environment variables in docs/deploy.md', () => {
  it('lists every variable of products', () => {
    expect(undocumentedVariables(productsEnvSchema, 'products', __dirname)).toEqual([]);
  });
});
