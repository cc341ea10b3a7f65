import { Provider } from '@nestjs/common';
import { CampaignLimitsView } from './campaign-limits.view';
import { FulfillmentsView } from './fulfillments.view';
import { OrderFactsView } from './order-facts.view';
import { ShipToView } from './ship-to.view';

/**
 * The fulfillment views as one provider: a handler, consumer or controller injects `FulfillmentViews`
 * and reads `this.views.fulfillments`, `this.views.orderFacts`, `this.views.shipTo` or `this.views.campaignLimits`.
 */
export class FulfillmentViews {
  constructor(
    readonly fulfillments: FulfillmentsView,
    readonly orderFacts: OrderFactsView,
    readonly shipTo: ShipToView,
    readonly campaignLimits: CampaignLimitsView,
  ) {}
}

const PARTS = [FulfillmentsView, OrderFactsView, ShipToView, CampaignLimitsView] as const;

/** Each view once (a spec may still `get` one by its class) and `FulfillmentViews` made of them. */
export const VIEW_PROVIDERS: Provider[] = [...PARTS, { provide: FulfillmentViews, useFactory: (...views: ConstructorParameters<typeof FulfillmentViews>) => new FulfillmentViews(...views), inject: [...PARTS] }];
