import { undocumentedVariables } from '@commerce/nest-kit';
import { workerConfigSchema } from './config';

// Every variable the app reads has its row in docs/deploy.md's environment table.
describe('environment variables in docs/deploy.md', () => {
  it('lists every variable of temporal', () => {
    expect(undocumentedVariables(workerConfigSchema, 'temporal', __dirname)).toEqual([]);
  });
});
