import { Inject, Injectable, Provider } from '@nestjs/common';
import { BlacklistEvent, CampaignEvent, CampaignProduct, CampaignSnapshot, CustomerEvent, CustomerProfile, CustomFieldChanges, CustomFields, DomainError, OrderEvent, RebillOutcomeEvent } from '@continuum/contracts';
import { aggregateRunner, CommandContext, CommandInput, derivedId, ID_SOURCE, IdSource } from '@continuum/platform';
import {
  AddBlacklistEntry,
  BlacklistCommand,
  blacklistDecider,
  BlacklistState,
  blacklistStreamId,
  CampaignCommand,
  campaignDecider,
  CampaignState,
  campaignStreamId,
  CreateCampaign,
  CustomerCommand,
  customerDecider,
  CustomerState,
  customerStreamId,
  CustomerView,
  customerView,
  OrderCommand,
  orderDecider,
  OrderState,
  orderStreamId,
  normaliseBlacklistValue,
  PlaceOrder,
  PlacedOrder,
  RebillAnswerCommand,
  rebillAnswerDecider,
  RebillAnswerState,
  rebillAnswerStreamId,
} from '../domain';

/**
 * The id of something a request creates: derived from the request's Idempotency-Key (`<kind>:<key>`),
 * so a retry lands on the same stream and decides the same command; without a key, a fresh id from the
 * platform's id source.
 */
export function newId(kind: string, context: CommandContext, ids: IdSource): string {
  return context.idempotencyKey !== undefined ? derivedId(`${kind}:${context.idempotencyKey}`) : ids.newId();
}

/** The clock of the order runner, also the time of the dry run of a new order (`OrderAggregate.check`). */
const orderClock = (): Date => new Date();

/** An upsell as POST /orders/:id/upsells takes it. */
export interface UpsellRequest {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice?: number;
}

@Injectable()
export class CustomerAggregate extends aggregateRunner<CustomerCommand, CustomerEvent, CustomerState>({ decider: customerDecider, streamId: customerStreamId, startsStream: ['RegisterCustomer'] }) {
  @Inject(ID_SOURCE) private readonly ids!: IdSource;

  /** The customer as its stream folds it (ABSENT when never registered). */
  async state(customerId: string): Promise<CustomerState> {
    return (await this.load(customerId)).state;
  }

  /** POST /customers: one RegisterCustomer under an id from the request's key. Answers the id. */
  async register(profile: CustomerProfile & { customFields?: CustomFields }, context: CommandContext): Promise<{ customerId: string }> {
    const customerId = newId('customer', context, this.ids);
    await this.run(customerId, { type: 'RegisterCustomer', data: { ...profile, customerId } }, context);
    return { customerId };
  }

  /** PATCH /customers/:id: one UpdateCustomer (profile changes and custom fields merged by name). Answers the customer as GET shows it. */
  async update(customerId: string, changes: Partial<CustomerProfile> & { customFields?: CustomFieldChanges }, context: CommandContext): Promise<CustomerView> {
    const { state } = await this.run(customerId, { type: 'UpdateCustomer', data: { ...changes, customerId } }, context);
    const view = customerView(state);
    if (!view) throw new Error('customer view of an absent customer');
    return view;
  }

  /** POST /customers/:id/notes: one AddCustomerNote under an id from the request's key. Answers the id. */
  async addNote(customerId: string, message: string, context: CommandContext): Promise<{ noteId: string }> {
    const noteId = newId('note', context, this.ids);
    await this.run(customerId, { type: 'AddCustomerNote', data: { customerId, noteId, message } }, context);
    return { noteId };
  }
}

@Injectable()
export class BlacklistAggregate extends aggregateRunner<BlacklistCommand, BlacklistEvent, BlacklistState>({ decider: blacklistDecider, streamId: blacklistStreamId }) {
  /**
   * POST /blacklist: one AddBlacklistEntry. One stream per blacklisted value (its id derives from the
   * type and the normalised value), so the same entry added twice is a conflict (409), not a second entry.
   */
  async add(entry: Omit<AddBlacklistEntry['data'], 'entryId'>, context: CommandContext): Promise<{ entryId: string }> {
    const entryId = BlacklistAggregate.entryIdOf(entry.type, entry.value);
    await this.run(entryId, { type: 'AddBlacklistEntry', data: { ...entry, entryId } }, context);
    return { entryId };
  }

  /** The id of the entry for this value: one stream per blacklisted value, whoever adds it. */
  static entryIdOf(type: AddBlacklistEntry['data']['type'], value: string): string {
    return derivedId(`blacklist:${type}:${normaliseBlacklistValue(type, value)}`);
  }
}

/** What POST /campaigns takes: a campaign without ids (they are made here). */
export type CampaignInput = Omit<CreateCampaign['data'], 'campaignId' | 'products'> & { products: readonly Omit<CampaignProduct, 'productId'>[] };

@Injectable()
export class CampaignAggregate extends aggregateRunner<CampaignCommand, CampaignEvent, CampaignState>({ decider: campaignDecider, streamId: campaignStreamId }) {
  @Inject(ID_SOURCE) private readonly ids!: IdSource;

  /** The campaign snapshot orders are priced from; CAMPAIGN_NOT_FOUND (404) when it was never created. */
  async snapshot(campaignId: string): Promise<CampaignSnapshot> {
    const { state } = await this.load(campaignId);
    if (state.status === 'ABSENT') throw new DomainError('CAMPAIGN_NOT_FOUND', `Campaign ${campaignId} does not exist`, 'not-found');
    return state.campaign;
  }

  /** POST /campaigns: one CreateCampaign, its id from the request's key, its products' ids from its id. Answers the snapshot. */
  async create(input: CampaignInput, context: CommandContext): Promise<CampaignSnapshot> {
    const campaignId = newId('campaign', context, this.ids);
    const products = input.products.map((product, index) => ({ ...product, productId: derivedId(`${campaignId}:product:${index}`) }));
    const { state } = await this.run(campaignId, { type: 'CreateCampaign', data: { ...input, campaignId, products } }, context);
    if (state.status === 'ABSENT') throw new Error(`campaign ${campaignId} was not stored`);
    return state.campaign;
  }
}

/** Orders: `orders.run(orderId, { type: 'CancelOrder', data }, context)`. */
@Injectable()
export class OrderAggregate extends aggregateRunner<OrderCommand, OrderEvent, OrderState>({ decider: orderDecider, streamId: orderStreamId, startsStream: ['PlaceOrder'] }, orderClock) {
  @Inject(CampaignAggregate) private readonly campaigns!: CampaignAggregate;
  @Inject(ID_SOURCE) private readonly ids!: IdSource;

  /**
   * Decides PlaceOrder on an order that does not exist yet, storing nothing: placing an order checks
   * it this way before it registers a new customer, so a refused order leaves no customer behind.
   */
  check(input: CommandInput<PlaceOrder>, context: CommandContext): void {
    const command: PlaceOrder = { ...input, metadata: { now: orderClock().toISOString(), actor: context.actor } };
    orderDecider.decide(command, orderDecider.initialState());
  }

  /**
   * POST /orders/:id/upsells: one AddUpsell, priced from the campaign the order was placed on (looked
   * up first); the new item's id comes from the request's key. Answers that id.
   */
  async addUpsell(orderId: string, upsell: UpsellRequest, context: CommandContext): Promise<{ orderItemId: string }> {
    const placed = await this.placed(orderId);
    const campaign = await this.campaigns.snapshot(placed.order.campaignId);
    const orderItemId = newId('upsell', context, this.ids);
    const { productId, quantity, unitPrice } = upsell;
    await this.run(orderId, { type: 'AddUpsell', data: { orderId, orderItemId, productId, quantity, ...(unitPrice !== undefined ? { unitPrice } : {}), campaign } }, context);
    return { orderItemId };
  }

  /** The order as its stream folds it (ABSENT when it was never placed). */
  async state(orderId: string): Promise<OrderState> {
    return (await this.load(orderId)).state;
  }

  /** A placed order; ORDER_NOT_FOUND (404) otherwise. */
  async placed(orderId: string): Promise<PlacedOrder> {
    const state = await this.state(orderId);
    if (state.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${orderId} does not exist`, 'not-found');
    return state;
  }
}

/** orders' answers to rebill requests (refusals, reported endings), one stream per request: `answers.react(orderId, (answer) => onRebillRefused(...), context)`. */
@Injectable()
export class RebillAnswerAggregate extends aggregateRunner<RebillAnswerCommand, RebillOutcomeEvent, RebillAnswerState>({ decider: rebillAnswerDecider, streamId: rebillAnswerStreamId }) {}

/**
 * The orders aggregates as one provider: a handler, consumer or controller injects `OrdersAggregates`
 * and calls `this.aggregates.orders.run(orderId, { type, data }, context)` (likewise `customers`,
 * `blacklist`, `campaigns`, `rebillAnswers`).
 */
export class OrdersAggregates {
  constructor(
    readonly orders: OrderAggregate,
    readonly customers: CustomerAggregate,
    readonly blacklist: BlacklistAggregate,
    readonly campaigns: CampaignAggregate,
    readonly rebillAnswers: RebillAnswerAggregate,
  ) {}
}

const PARTS = [OrderAggregate, CustomerAggregate, BlacklistAggregate, CampaignAggregate, RebillAnswerAggregate] as const;

/** Each aggregate once (a spec may still `get` one by its class) and `OrdersAggregates` made of them. */
export const AGGREGATES: Provider[] = [...PARTS, { provide: OrdersAggregates, useFactory: (...parts: ConstructorParameters<typeof OrdersAggregates>) => new OrdersAggregates(...parts), inject: [...PARTS] }];
