import { Provider } from '@nestjs/common';
import { BlacklistView } from './blacklist.view';
import { CustomerLookupView } from './customer-lookup.view';
import { CustomerOrdersView } from './customer-orders.view';

/**
 * The orders views as one provider: a handler, consumer or controller injects `OrdersViews` and reads
 * `this.views.customerOrders`, `this.views.customerLookup` or `this.views.blacklist`.
 */
export class OrdersViews {
  constructor(
    readonly customerOrders: CustomerOrdersView,
    readonly customerLookup: CustomerLookupView,
    readonly blacklist: BlacklistView,
  ) {}
}

const PARTS = [CustomerOrdersView, CustomerLookupView, BlacklistView] as const;

/** Each view once (a spec may still `get` one by its class) and `OrdersViews` made of them. */
export const VIEW_PROVIDERS: Provider[] = [...PARTS, { provide: OrdersViews, useFactory: (...views: ConstructorParameters<typeof OrdersViews>) => new OrdersViews(...views), inject: [...PARTS] }];
