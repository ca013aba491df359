/** The app's root pino logger, for code that logs outside a request (and the exception filter). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
