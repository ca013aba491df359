import { CreatePaymentsSchema1767398400000 } from './1767398400000-create-payments-schema';
import { PaymentCapture1767484800000 } from './1767484800000-payment-capture';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreatePaymentsSchema1767398400000, PaymentCapture1767484800000];
