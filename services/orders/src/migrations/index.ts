import { CreateOrdersSchema1767312000000 } from './1767312000000-create-orders-schema';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateOrdersSchema1767312000000];
