import { APP_CONFIG } from '@commerce/nest-kit';
import { MongooseModule } from '@nestjs/mongoose';
import type { NotificationsConfig } from '../config';

/**
 * The notifications database (MONGO_URL; FerretDB locally, MongoDB in production). Indexes are
 * declared on the schemas and built at start; nothing here needs transactions, TTL or text indexes,
 * which FerretDB v1 lacks.
 */
export const DatabaseModule = MongooseModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: NotificationsConfig) => ({
    uri: config.MONGO_URL,
    serverSelectionTimeoutMS: 5000,
    // Fail a query fast instead of buffering it while the database is unreachable.
    bufferCommands: false,
  }),
});
