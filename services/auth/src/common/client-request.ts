/**
 * What controllers read from Fastify's request: the client address, which honours
 * X-Forwarded-For only from the peers TRUST_PROXY names.
 */
export interface ClientRequest {
  readonly ip: string;
}
