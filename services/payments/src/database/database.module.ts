import { PostgresModule } from '@commerce/persistence';
import { InvoiceEntity } from '../invoices/invoice.entity';
import { MIGRATIONS } from '../migrations';
import { PaymentEntity, RefundEntity } from '../payments/payment.entity';
import { WebhookEventEntity } from '../webhooks/webhook-event.entity';

export const ENTITIES = [PaymentEntity, RefundEntity, InvoiceEntity, WebhookEventEntity];

/** The payments database (commerce_payments), migrated at start. */
export const DatabaseModule = PostgresModule.forRoot({
  entities: ENTITIES,
  migrations: MIGRATIONS,
  migrationLock: 7_245_310_004,
});
