import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { mergeStart, MergeResult } from '../domain';
import { CustomerOrdersView } from '../views/customer-orders.view';
import { CustomerAggregate, OrderAggregate } from './aggregates';

export type { MergeResult } from '../domain';

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
 * The merge workflow (its decision: `mergeStart` in `domain/merge-customers.workflow.ts`). Three
 * steps, each idempotent so a retried merge finishes what a failed one started: MergeCustomer on
 * the survivor, MarkCustomerMergedInto on the other, ReassignOrderCustomer on each of the other's
 * orders (from the customer-orders view).
 */
@CommandHandler(MergeCustomersCommand)
export class MergeCustomersHandler implements ICommandHandler<MergeCustomersCommand> {
  constructor(
    @Inject(CustomerAggregate) private readonly customers: CustomerAggregate,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
    @Inject(CustomerOrdersView) private readonly customerOrders: CustomerOrdersView,
  ) {}

  async execute({ customerId, fromCustomerId, context }: MergeCustomersCommand): Promise<MergeResult> {
    const { markMerged } = mergeStart(customerId, fromCustomerId, await this.customers.state(fromCustomerId));
    await this.customers.run(customerId, { type: 'MergeCustomer', data: { customerId, fromCustomerId } }, context);
    if (markMerged) {
      await this.customers.run(fromCustomerId, { type: 'MarkCustomerMergedInto', data: { customerId: fromCustomerId, intoCustomerId: customerId } }, context);
    }
    const orderIds = await this.customerOrders.orderIdsOf(fromCustomerId);
    for (const orderId of orderIds) {
      await this.orders.run(orderId, { type: 'ReassignOrderCustomer', data: { orderId, customerId } }, context);
    }
    return { customerId, fromCustomerId, reassignedOrderIds: orderIds };
  }
}
