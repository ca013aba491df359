import { CreateOrdersSchema1767312000000 } from './1767312000000-create-orders-schema';
import { CheckoutStart1767398400000 } from './1767398400000-checkout-start';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateOrdersSchema1767312000000, CheckoutStart1767398400000];
