/** Where the Temporal Web UI is (VITE_TEMPORAL_UI_URL at build time; the dev server by default). */
export const TEMPORAL_UI = import.meta.env.VITE_TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';

/** An order's checkout workflow in the Temporal UI (namespace `default`, id `checkout-<orderId>`). */
export const workflowUrl = (orderId: string, runId?: string) =>
  `${TEMPORAL_UI}/namespaces/default/workflows/checkout-${orderId}${runId ? `/${runId}/history` : ''}`;
