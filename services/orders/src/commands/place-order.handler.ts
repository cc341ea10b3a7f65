import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Address, CustomerProfile, DomainError, NewCustomerInput, OrderStatus, PaymentType, RebillInfo } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { CardDetails, findDuplicateCustomer, matchBlacklist, orderDecider, PlaceOrder } from '../domain';
import { BlacklistView } from '../views/blacklist.view';
import { CustomerLookupView } from '../views/customer-lookup.view';
import { CampaignAggregate, CustomerAggregate, OrderAggregate } from './aggregates';
import { derivedId } from './derived-id';

/** An order as HTTP, the intake topic and rebills ask for it; the card is already tokenised. */
export interface OrderRequest {
  readonly campaignId: string;
  readonly customerId?: string;
  readonly customer?: NewCustomerInput;
  /** `shippingPrice` is for rebills, which bill the purchase's own shipping */
  readonly items: readonly { readonly productId: string; readonly quantity: number; readonly unitPrice?: number; readonly shippingPrice?: number }[];
  readonly paymentType: PaymentType;
  readonly card?: CardDetails;
  readonly shippingAddress?: Address;
  readonly forceQa?: boolean;
  readonly disableCustomerDedup?: boolean;
  readonly ipAddress?: string;
  readonly externalReference?: string;
  readonly clientOrderId?: string;
  readonly rebill?: RebillInfo;
  /** rebills: the purchase's sales tax (minor units) */
  readonly salesTax?: number;
}

/** The answer of POST /orders. `replayed`: the order already existed (a retried create) and nothing changed. */
export interface PlacedOrderResult {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly replayed: boolean;
}

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

interface ResolvedCustomer {
  readonly customerId: string;
  /** set when the customer does not exist yet and is registered with the order */
  readonly register?: NewCustomerInput;
  readonly profile: CustomerProfile;
}

/**
 * Resolve the customer (given id, dedup or new), load the campaign, check the blacklist, then
 * PlaceOrder. The command is decided once before anything is stored, so a refused order
 * (blacklisted, unknown product, ...) leaves no customer behind either.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    @Inject(CustomerAggregate) private readonly customers: CustomerAggregate,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
    @Inject(CampaignAggregate) private readonly campaigns: CampaignAggregate,
    @Inject(CustomerLookupView) private readonly lookup: CustomerLookupView,
    @Inject(BlacklistView) private readonly blacklist: BlacklistView,
  ) {}

  async execute({ request, context, idSeed }: PlaceOrderCommand): Promise<PlacedOrderResult> {
    const orderId = idSeed !== undefined ? derivedId(`order:${idSeed}`) : randomUUID();
    if (idSeed !== undefined) {
      const existing = await this.orders.state(orderId);
      if (existing.status !== 'ABSENT') return { orderId, customerId: existing.order.customerId, status: existing.status, replayed: true };
    }
    const campaign = await this.campaigns.snapshot(request.campaignId);
    const customer = await this.resolveCustomer(request, idSeed);
    const addresses = [customer.profile.billingAddress, customer.profile.shippingAddress, request.shippingAddress].filter((a): a is Address => a !== undefined);
    const match = matchBlacklist(
      {
        paymentType: request.paymentType,
        email: customer.profile.email,
        ...(customer.profile.phone !== undefined ? { phone: customer.profile.phone } : {}),
        ...(request.card ? { cardBin: request.card.bin } : {}),
        ...(request.ipAddress !== undefined ? { ipAddress: request.ipAddress } : {}),
        addresses,
      },
      await this.blacklist.active(),
    );
    const shippingAddress = request.shippingAddress ?? customer.profile.shippingAddress ?? customer.profile.billingAddress;
    const command: PlaceOrder = {
      type: 'PlaceOrder',
      data: {
        orderId,
        customerId: customer.customerId,
        campaign,
        items: request.items.map((item, index) => ({ ...item, orderItemId: derivedId(`${orderId}:item:${index}`) })),
        paymentType: request.paymentType,
        ...(request.card ? { card: request.card } : {}),
        shippingAddress,
        forceQa: request.forceQa ?? false,
        // the QA roll is the one random input of placing an order; the domain only compares it
        qaRoll: Math.random(),
        blacklistMatch: match ? { entryId: match.entryId, type: match.type, value: match.value, ...(match.reason ? { reason: match.reason } : {}) } : null,
        ...(request.clientOrderId !== undefined ? { clientOrderId: request.clientOrderId } : {}),
        ...(request.externalReference !== undefined ? { externalReference: request.externalReference } : {}),
        ...(request.ipAddress !== undefined ? { ipAddress: request.ipAddress } : {}),
        ...(request.rebill ? { rebill: request.rebill } : {}),
        ...(request.rebill && request.salesTax ? { salesTax: request.salesTax } : {}),
      },
      metadata: { now: new Date().toISOString(), actor: context.actor },
    };
    // decided once before anything is stored: a refused order leaves no customer behind
    orderDecider.decide(command, orderDecider.initialState());

    if (customer.register) {
      await this.customers.run(customer.customerId, { type: 'RegisterCustomer', data: { ...customer.register, customerId: customer.customerId } }, context);
    }
    const { state } = await this.orders.run(orderId, { type: 'PlaceOrder', data: command.data }, context);
    if (state.status === 'ABSENT') throw new Error(`order ${orderId} was not stored`);
    return { orderId, customerId: state.order.customerId, status: state.status, replayed: false };
  }

  private async resolveCustomer(request: OrderRequest, idSeed: string | undefined): Promise<ResolvedCustomer> {
    if (request.customerId !== undefined) return this.existingCustomer(request.customerId);
    const input = request.customer;
    if (!input) throw new DomainError('CUSTOMER_REQUIRED', 'An order needs customerId or customer', 'rule', { field: 'customer' });
    const duplicate = findDuplicateCustomer(input, await this.lookup.candidates(input), { disableCustomerDedup: request.disableCustomerDedup ?? false });
    if (duplicate) return { customerId: duplicate.customerId, profile: input };
    const customerId = idSeed !== undefined ? derivedId(`order-customer:${idSeed}`) : randomUUID();
    return { customerId, register: input, profile: input };
  }

  private async existingCustomer(customerId: string): Promise<ResolvedCustomer> {
    const state = await this.customers.state(customerId);
    // an order for a merged-away customer goes to the survivor
    const live = state.status === 'MERGED' ? await this.customers.state(state.intoCustomerId) : state;
    if (live.status === 'ABSENT') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`, 'not-found');
    return { customerId: live.customer.customerId, profile: live.customer };
  }
}
