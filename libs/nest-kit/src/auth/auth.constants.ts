/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'kit:auth:public';

/** Metadata key set by `@Roles(...)`. */
export const ROLES_KEY = 'kit:auth:roles';

/** Metadata key set by `@ServiceClients(...)`: the service accounts granted a route. */
export const SERVICE_CLIENTS_KEY = 'kit:auth:service-clients';

/** Injection token of the resolved `KitAuthOptions`. */
export const KIT_AUTH_OPTIONS = Symbol('KIT_AUTH_OPTIONS');
