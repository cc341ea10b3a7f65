import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { mergeStart, MergeResult } from '../domain';
import { OrdersAggregates } from './aggregates';
import { OrdersViews } from '../views/orders-views';

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
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
    @Inject(OrdersViews) private readonly views: OrdersViews,
  ) {}

  async execute({ customerId, fromCustomerId, context }: MergeCustomersCommand): Promise<MergeResult> {
    const { markMerged } = mergeStart(customerId, fromCustomerId, await this.aggregates.customers.state(fromCustomerId));
    await this.aggregates.customers.run(customerId, { type: 'MergeCustomer', data: { customerId, fromCustomerId } }, context);
    if (markMerged) {
      await this.aggregates.customers.run(fromCustomerId, { type: 'MarkCustomerMergedInto', data: { customerId: fromCustomerId, intoCustomerId: customerId } }, context);
    }
    const orderIds = await this.views.customerOrders.orderIdsOf(fromCustomerId);
    for (const orderId of orderIds) {
      await this.aggregates.orders.run(orderId, { type: 'ReassignOrderCustomer', data: { orderId, customerId } }, context);
    }
    return { customerId, fromCustomerId, reassignedOrderIds: orderIds };
  }
}
