import { undocumentedVariables } from '@commerce/nest-kit';
import { analyticsConfigSchema, analyticsProcessorsConfigSchema } from './config';

// Every variable the app reads has its row in docs/deploy.md's environment table.
describe('environment variables in docs/deploy.md', () => {
  it('lists every variable of analytics', () => {
    expect(undocumentedVariables(analyticsConfigSchema, 'analytics', __dirname)).toEqual([]);
  });
  it('lists every variable of analytics-processors', () => {
    expect(
      undocumentedVariables(analyticsProcessorsConfigSchema, 'analytics-processors', __dirname),
    ).toEqual([]);
  });
});
