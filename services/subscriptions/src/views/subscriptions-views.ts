import { Provider } from '@nestjs/common';
import { CampaignCatalog } from './campaign-catalog.view';
import { OrderFulfillmentsView } from './order-fulfillments.view';
import { OrderTransactionsView } from './order-transactions.view';
import { PlacedOrders } from './placed-orders.view';
import { PurchasesView } from './purchases.view';
import { RebillOutcomesView } from './rebill-outcomes.view';

/**
 * The subscriptions views as one provider: a handler, consumer, controller or job injects
 * `SubscriptionsViews` and reads `this.views.purchases`, `this.views.catalog`, `this.views.placedOrders`,
 * `this.views.orderFulfillments`, `this.views.orderTransactions` or `this.views.rebillOutcomes`.
 */
export class SubscriptionsViews {
  constructor(
    readonly purchases: PurchasesView,
    readonly catalog: CampaignCatalog,
    readonly placedOrders: PlacedOrders,
    readonly orderFulfillments: OrderFulfillmentsView,
    readonly orderTransactions: OrderTransactionsView,
    readonly rebillOutcomes: RebillOutcomesView,
  ) {}
}

const PARTS = [PurchasesView, CampaignCatalog, PlacedOrders, OrderFulfillmentsView, OrderTransactionsView, RebillOutcomesView] as const;

/** Each view once (a spec may still `get` one by its class) and `SubscriptionsViews` made of them. */
export const VIEW_PROVIDERS: Provider[] = [...PARTS, { provide: SubscriptionsViews, useFactory: (...views: ConstructorParameters<typeof SubscriptionsViews>) => new SubscriptionsViews(...views), inject: [...PARTS] }];
