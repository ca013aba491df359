export * from './validation';
export * from './page-query.dto';
export * from './decimal-int';
