import { documentedApps } from './env-docs';

describe('documentedApps', () => {
  it('reads the rows of the environment table only', () => {
    const markdown = [
      '## Secrets',
      '| `AUTH_SIGNING_KEY` | auth | rotate |',
      '## Environment variables',
      '| variable | apps | default | meaning |',
      '| --- | --- | --- | --- |',
      '| `PORT` | all | per app | HTTP port |',
      '| `ORDERS_TIMEOUT_MS` | gateway | unset | through the gateway |',
      '| `ORDERS_TIMEOUT_MS` | products, orders | `5000` | the sweeper call |',
      '## Next',
      '| `LATER` | auth | x | y |',
    ].join('\n');
    const rows = documentedApps(markdown);
    expect([...rows.keys()]).toEqual(['PORT', 'ORDERS_TIMEOUT_MS']);
    expect([...rows.get('ORDERS_TIMEOUT_MS')!]).toEqual(['gateway', 'products', 'orders']);
    expect([...rows.get('PORT')!]).toEqual(['all']);
  });
});
