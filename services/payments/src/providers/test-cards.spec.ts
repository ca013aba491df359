import { testCardBehaviour } from './test-cards';

describe('test-mode payment-method ids', () => {
  it.each(['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_visa_debit'])(
    '%s succeeds',
    (id) => expect(testCardBehaviour(id)).toBe('succeed'),
  );

  it.each([
    'pm_card_chargeDeclined',
    'pm_card_chargeDeclinedInsufficientFunds',
    'pm_card_chargeDeclinedExpiredCard',
    'pm_card_visa_chargeDeclined',
    'pm_card_visa_chargeDeclinedInsufficientFunds',
  ])('%s declines', (id) => expect(testCardBehaviour(id)).toBe('decline'));

  it.each(['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required'])(
    '%s requires action',
    (id) => expect(testCardBehaviour(id)).toBe('requires_action'),
  );

  it.each(['pm_visa', 'card_123', '', 'pm_card_', 'pm_card_visa; drop', 'tok_visa'])(
    '%j is not a test payment method',
    (id) => expect(testCardBehaviour(id)).toBe('invalid'),
  );
});
