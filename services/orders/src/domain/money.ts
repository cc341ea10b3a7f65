// Money in integer minor units is shared with subscriptions (the price of a purchase's next rebill):
// it lives in @continuum/contracts (libs/contracts/src/orders/order-pricing.ts).
export { assertMinorUnits, linePrice, orderTotal, sumMinor } from '@continuum/contracts';
