/**
 * What the test-mode adapter does with a payment-method id. It honours Stripe's test ids
 * (https://docs.stripe.com/testing), so the same ids work against both adapters.
 */
export type TestCardBehaviour = 'succeed' | 'decline' | 'requires_action' | 'invalid';

export function testCardBehaviour(paymentMethodId: string): TestCardBehaviour {
  if (
    paymentMethodId === 'pm_card_chargeDeclined' ||
    paymentMethodId.startsWith('pm_card_chargeDeclined') ||
    paymentMethodId.startsWith('pm_card_visa_chargeDeclined')
  ) {
    return 'decline';
  }
  if (
    paymentMethodId === 'pm_card_authenticationRequired' ||
    paymentMethodId === 'pm_card_threeDSecure2Required' ||
    paymentMethodId === 'pm_card_authenticationRequiredOnSetup'
  ) {
    return 'requires_action';
  }
  if (/^pm_card_[A-Za-z0-9_]+$/.test(paymentMethodId)) return 'succeed';
  return 'invalid';
}
