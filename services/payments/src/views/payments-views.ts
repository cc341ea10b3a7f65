import { Provider } from '@nestjs/common';
import { CustomerEmailsView } from './customer-emails.view';
import { OrderPaymentMethodsView } from './order-payment-methods.view';
import { TransactionsView } from './transactions.view';

/**
 * The payments views as one provider: a handler, consumer, controller or job injects `PaymentsViews`
 * and reads `this.views.transactions`, `this.views.paymentMethods` or `this.views.customerEmails`.
 */
export class PaymentsViews {
  constructor(
    readonly transactions: TransactionsView,
    readonly paymentMethods: OrderPaymentMethodsView,
    readonly customerEmails: CustomerEmailsView,
  ) {}
}

const PARTS = [TransactionsView, OrderPaymentMethodsView, CustomerEmailsView] as const;

/** Each view once (a spec may still `get` one by its class) and `PaymentsViews` made of them. */
export const VIEW_PROVIDERS: Provider[] = [...PARTS, { provide: PaymentsViews, useFactory: (...views: ConstructorParameters<typeof PaymentsViews>) => new PaymentsViews(...views), inject: [...PARTS] }];
