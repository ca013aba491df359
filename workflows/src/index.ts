// The worker bundles this file: it must export every workflow and nothing that touches Node.
export { checkoutWorkflow } from './checkout.workflow';
