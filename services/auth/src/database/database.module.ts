import { PostgresModule } from '@commerce/persistence';
import { MIGRATIONS } from '../migrations';
import { RefreshFamilyEntity, RefreshTokenEntity } from '../sessions/sessions.entity';
import { UserEntity } from '../users/users.entity';

export const ENTITIES = [UserEntity, RefreshFamilyEntity, RefreshTokenEntity];

/** The auth database (commerce_auth), migrated at start. */
export const DatabaseModule = PostgresModule.forRoot({
  entities: ENTITIES,
  migrations: MIGRATIONS,
  migrationLock: 7_245_310_001,
});
