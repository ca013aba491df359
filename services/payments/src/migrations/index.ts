import { CreatePaymentsSchema1767398400000 } from './1767398400000-create-payments-schema';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreatePaymentsSchema1767398400000];
