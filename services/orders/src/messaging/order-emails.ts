import { OutgoingMail } from '@continuum/platform';
import { OrderDetails } from '../domain';

/** Injection token of the orders service's Mailer (SMTP_URL). */
export const ORDERS_MAILER = Symbol('ORDERS_MAILER');

/** `4494, 'USD'` -> `USD 44.94`, in integer arithmetic. */
const money = (amount: number, currency: string): string => `${currency} ${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;

/** The order confirmation ("welcome") email: its subject names the order id; the lines and what was paid. */
export function orderConfirmationMail(to: string, order: Pick<OrderDetails, 'orderId' | 'currency' | 'items' | 'totals'>): OutgoingMail {
  const lines = order.items.map((item) => `  ${item.quantity} x ${item.name}  ${money(item.price, order.currency)}`);
  const { shipping, salesTax, discount, total } = order.totals;
  return {
    to: [to],
    subject: `Your order ${order.orderId} is confirmed`,
    text: [
      `Thank you for your order. Order ${order.orderId} is confirmed.`,
      '',
      ...lines,
      `  Shipping  ${money(shipping, order.currency)}`,
      ...(salesTax > 0 ? [`  Sales tax  ${money(salesTax, order.currency)}`] : []),
      ...(discount > 0 ? [`  Discount  -${money(discount, order.currency)}`] : []),
      `  Total  ${money(total, order.currency)}`,
      '',
      'We will let you know when it ships.',
    ].join('\n'),
  };
}
