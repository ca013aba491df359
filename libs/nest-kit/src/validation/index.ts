export * from './validation';
export * from './page-query.dto';
