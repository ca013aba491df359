import { CreateCatalogSchema1767312000000 } from './1767312000000-create-catalog-schema';
import { CreateSearchTerms1767398400000 } from './1767398400000-create-search-terms';

/** Every migration, oldest first. */
export const MIGRATIONS = [CreateCatalogSchema1767312000000, CreateSearchTerms1767398400000];
