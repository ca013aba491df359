export * from './endpoints';
export * from './mailpit';
export * from './names';
export * from './postgres';
export * from './temporal';
export * from './tokens';
export * from './http';
export * from './child-app';
