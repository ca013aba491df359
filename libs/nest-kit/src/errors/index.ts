export * from './app-error';
export * from './error-codes';
export * from './error-response';
export * from './error-response.dto';
export * from './exception.filter';
