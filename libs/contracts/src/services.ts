/** Local ports of the apps (DESIGN §2); each app's config defaults to these. */
export const ServicePort = {
  gateway: 3000,
  auth: 3001,
  products: 3002,
  orders: 3003,
  payments: 3004,
  notifications: 3005,
  workers: 3006,
  analytics: 3008,
} as const;
export type ServiceName = Exclude<keyof typeof ServicePort, 'gateway'>;

/**
 * Each service's default request body limit (its BODY_LIMIT_BYTES). The gateway refuses a body
 * declared larger than its upstream accepts, itself, so the client reliably gets the 413 (an
 * upstream that refuses a body mid-upload may hang up before its answer can be read).
 */
export const ServiceBodyLimit: Record<ServiceName, number> = {
  auth: 64 * 1024,
  products: 256 * 1024,
  orders: 64 * 1024,
  payments: 1024 * 1024,
  notifications: 1024 * 1024,
  workers: 1024 * 1024,
  analytics: 1024 * 1024,
};

/**
 * Which service owns which public path prefix. The gateway strips `/api` and forwards the rest
 * unchanged, so a service's own routes are exactly its public paths without `/api`.
 */
export const ROUTE_OWNERS: readonly { prefix: string; service: ServiceName }[] = [
  { prefix: '/auth', service: 'auth' },
  { prefix: '/admin/users', service: 'auth' },
  { prefix: '/products', service: 'products' },
  { prefix: '/categories', service: 'products' },
  { prefix: '/inventory', service: 'products' },
  { prefix: '/cart', service: 'orders' },
  { prefix: '/checkout', service: 'orders' },
  { prefix: '/orders', service: 'orders' },
  { prefix: '/admin/orders', service: 'orders' },
  { prefix: '/payments', service: 'payments' },
  { prefix: '/invoices', service: 'payments' },
  { prefix: '/notifications', service: 'notifications' },
  { prefix: '/admin/campaigns', service: 'notifications' },
  { prefix: '/admin/notifications', service: 'notifications' },
  { prefix: '/admin/checkouts', service: 'orders' },
  { prefix: '/admin/analytics', service: 'analytics' },
  { prefix: '/admin/queues', service: 'workers' },
];

/**
 * Public routes: no token needed at the edge (DESIGN §5). Everything else under /api needs a
 * valid access token at the gateway, and the service checks it again (it never trusts the edge).
 */
export const PUBLIC_ROUTES: readonly { method: string; pattern: RegExp }[] = [
  { method: 'POST', pattern: /^\/auth\/(register|login|refresh)$/ },
  { method: 'GET', pattern: /^\/auth\/\.well-known\/jwks\.json$/ },
  { method: 'GET', pattern: /^\/products(\/[^/]+)?$/ },
  { method: 'GET', pattern: /^\/categories(\/[^/]+)?$/ },
  { method: 'POST', pattern: /^\/payments\/webhooks\/[a-z]+$/ },
  // Campaign emails' unsubscribe link (GET) and one-click unsubscribe (POST, RFC 8058): the
  // signed token in the query is the credential.
  { method: 'GET', pattern: /^\/notifications\/unsubscribe$/ },
  { method: 'POST', pattern: /^\/notifications\/unsubscribe$/ },
];

/** Routes that are internal to the backend and never exposed through the gateway. */
export const INTERNAL_PREFIX = '/internal';

/**
 * Service routes outside INTERNAL_PREFIX that the gateway still never relays: the
 * client-credentials grant is for backend callers only, so a stranger cannot even try a secret.
 */
export const GATEWAY_HIDDEN_PATHS: readonly string[] = ['/auth/token'];
