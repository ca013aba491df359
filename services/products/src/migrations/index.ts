import { CreateCatalogSchema1767312000000 } from './1767312000000-create-catalog-schema';
import { CreateSearchTerms1767398400000 } from './1767398400000-create-search-terms';
import { FastTypoTolerantSearch1767484800000 } from './1767484800000-fast-typo-tolerant-search';
import { SearchWordLookup1767571200000 } from './1767571200000-search-word-lookup';

/** Every migration, oldest first. */
export const MIGRATIONS = [
  CreateCatalogSchema1767312000000,
  CreateSearchTerms1767398400000,
  FastTypoTolerantSearch1767484800000,
  SearchWordLookup1767571200000,
];
