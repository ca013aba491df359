import { undocumentedVariables } from '@commerce/nest-kit';
import { notificationsConfigSchema } from './config';
import { notificationProcessorsConfigSchema } from './processors/processors.config';

// Every variable the app reads has its row in docs/deploy.md's environment table.
describe('environment variables in docs/deploy.md', () => {
  it('lists every variable of notifications', () => {
    expect(undocumentedVariables(notificationsConfigSchema, 'notifications', __dirname)).toEqual(
      [],
    );
  });
  it('lists every variable of notification-processors', () => {
    expect(
      undocumentedVariables(
        notificationProcessorsConfigSchema,
        'notification-processors',
        __dirname,
      ),
    ).toEqual([]);
  });
});
