export {
  ServiceCallError,
  isRetryableFailure,
  isRetryableStatus,
  isServiceCallError,
  parseServiceErrorBody,
  type ServiceCallErrorInit,
  type ServiceCallFailureKind,
  type ServiceErrorBody,
} from './errors';
export type { FetchLike, HttpMethod } from './http';
export {
  ServiceTokenProvider,
  TOKEN_PATH,
  parseTokenResponse,
  renewalTime,
  type ServiceTokenProviderOptions,
  type ServiceTokenResponse,
  type TokenSource,
} from './token-provider';
export {
  ServiceClient,
  type ServiceCaller,
  type ServiceClientOptions,
  type ServiceRequest,
  type ServiceResponse,
} from './service-client';
export { createServiceClients, type ServiceClientsOptions } from './create-service-clients';
