import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, derivedId, ID_SOURCE, IdSource } from '@continuum/platform';
import { cardOnFileAsked, customerAsked, existingOrderCustomer, hasCardOnFile, newOrderCustomer, OrderCustomer, OrderRequest, PlacedOrderResult, placeOrderData, replayOfPlacedOrder, survivorOf } from '../domain';
import { OrdersAggregates } from './aggregates';
import { OrdersViews } from '../views/orders-views';

export type { OrderRequest, PlacedOrderResult } from '../domain';

/**
 * Places an order. `idSeed` makes the new ids deterministic (the Idempotency-Key, `intakeSeed(source, clientOrderId)`,
 * `rebill:<purchaseId>:<cycle>`): a second run with the same seed finds the order and changes nothing.
 */
export class PlaceOrderCommand extends Command<PlacedOrderResult> {
  constructor(
    readonly request: OrderRequest,
    readonly context: CommandContext,
    readonly idSeed: string | undefined = context.idempotencyKey,
  ) {
    super();
  }
}

/**
 * The place-order workflow (its decisions: `domain/place-order.workflow.ts`): look the order up (a
 * retry answers it), load the campaign, resolve the customer (given id, dedup or new), match the
 * blacklist, then PlaceOrder. The command is decided once before anything is stored, so a refused
 * order (blacklisted, unknown product, ...) leaves no customer behind either.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
    @Inject(OrdersViews) private readonly views: OrdersViews,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async execute({ request, context, idSeed }: PlaceOrderCommand): Promise<PlacedOrderResult> {
    const orderId = idSeed !== undefined ? derivedId(`order:${idSeed}`) : this.ids.newId();
    if (idSeed !== undefined) {
      const replay = replayOfPlacedOrder(orderId, await this.aggregates.orders.state(orderId));
      if (replay) return replay;
    }
    const campaign = await this.aggregates.campaigns.snapshot(request.campaignId);
    const customer = await this.orderCustomer(request, idSeed);
    // a new customer has no card on file; an existing one has when one of its orders was paid by card
    const cardOnFile = cardOnFileAsked(request) ? !customer.register && hasCardOnFile(await this.views.customerOrders.ordersOf(customer.customerId)) : undefined;
    const data = placeOrderData({
      orderId,
      request,
      campaign,
      customer,
      blacklist: await this.views.blacklist.active(),
      itemIds: request.items.map((_, index) => derivedId(`${orderId}:item:${index}`)),
      // the QA roll is the one random input of placing an order, drawn by the platform's id source; the domain only compares it
      qaRoll: this.ids.draw(),
      ...(cardOnFile !== undefined ? { cardOnFile } : {}),
    });
    this.aggregates.orders.check({ type: 'PlaceOrder', data }, context);

    if (customer.register) {
      await this.aggregates.customers.run(customer.customerId, { type: 'RegisterCustomer', data: { ...customer.register, customerId: customer.customerId } }, context);
    }
    const { state } = await this.aggregates.orders.run(orderId, { type: 'PlaceOrder', data }, context);
    if (state.status === 'ABSENT') throw new Error(`order ${orderId} was not stored`);
    return { orderId, customerId: state.order.customerId, status: state.status, replayed: false };
  }

  private async orderCustomer(request: OrderRequest, idSeed: string | undefined): Promise<OrderCustomer> {
    const asked = customerAsked(request);
    if ('customerId' in asked) {
      const state = await this.aggregates.customers.state(asked.customerId);
      const survivor = survivorOf(state);
      return existingOrderCustomer(asked.customerId, survivor !== null ? await this.aggregates.customers.state(survivor) : state);
    }
    const candidates = await this.views.customerLookup.candidates(asked.input);
    const newCustomerId = idSeed !== undefined ? derivedId(`order-customer:${idSeed}`) : this.ids.newId();
    return newOrderCustomer(asked.input, candidates, request.disableCustomerDedup ?? false, newCustomerId);
  }
}
