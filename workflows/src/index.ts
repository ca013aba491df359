// The worker bundles this file: it must export every workflow and nothing that touches Node.
export * from './checkout.definitions';
export { checkoutWorkflow, CURRENT_STEPS } from './checkout.workflow';
