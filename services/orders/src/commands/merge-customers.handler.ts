import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { CustomerOrdersView } from '../views/customer-orders.view';
import { CustomerAggregate, OrderAggregate } from './aggregates';

/** What a merge did: the survivor, the customer merged into it and the orders moved over. */
export interface MergeResult {
  readonly customerId: string;
  readonly fromCustomerId: string;
  readonly reassignedOrderIds: readonly string[];
}

/** Merges `fromCustomerId` into `customerId` (the survivor): POST /customers/:id/merge. */
export class MergeCustomersCommand extends Command<MergeResult> {
  constructor(
    readonly customerId: string,
    readonly fromCustomerId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Three steps, each idempotent so a retried merge finishes what a failed one started:
 * MergeCustomer on the survivor, MarkCustomerMergedInto on the other, ReassignOrderCustomer on
 * each of the other's orders (from the customer-orders view).
 */
@CommandHandler(MergeCustomersCommand)
export class MergeCustomersHandler implements ICommandHandler<MergeCustomersCommand> {
  constructor(
    @Inject(CustomerAggregate) private readonly customers: CustomerAggregate,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
    @Inject(CustomerOrdersView) private readonly customerOrders: CustomerOrdersView,
  ) {}

  async execute({ customerId, fromCustomerId, context }: MergeCustomersCommand): Promise<MergeResult> {
    const other = await this.customers.state(fromCustomerId);
    if (other.status === 'ABSENT') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${fromCustomerId} does not exist`, 'not-found');
    if (other.status === 'MERGED' && other.intoCustomerId !== customerId) {
      throw new DomainError('CUSTOMER_MERGED', `Customer ${fromCustomerId} was already merged into ${other.intoCustomerId}`, 'rule');
    }
    await this.customers.run(customerId, { type: 'MergeCustomer', data: { customerId, fromCustomerId } }, context);
    if (other.status === 'ACTIVE') {
      await this.customers.run(fromCustomerId, { type: 'MarkCustomerMergedInto', data: { customerId: fromCustomerId, intoCustomerId: customerId } }, context);
    }
    const orderIds = await this.customerOrders.orderIdsOf(fromCustomerId);
    for (const orderId of orderIds) {
      await this.orders.run(orderId, { type: 'ReassignOrderCustomer', data: { orderId, customerId } }, context);
    }
    return { customerId, fromCustomerId, reassignedOrderIds: orderIds };
  }
}
