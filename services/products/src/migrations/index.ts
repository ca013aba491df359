import { CreateCatalogSchema1767312000000 } from './1767312000000-create-catalog-schema';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateCatalogSchema1767312000000];
