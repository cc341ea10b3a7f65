import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext, Platform } from '@continuum/platform';
import { customerDecider, customerStreamId, orderDecider, orderStreamId } from '../domain';
import { CustomerOrdersView } from '../views/customer-orders.view';
import { metadataFor, scopedContext } from './command-metadata';
import { loadCustomer } from './stream-loaders';

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
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CustomerOrdersView) private readonly orders: CustomerOrdersView,
  ) {}

  async execute({ customerId, fromCustomerId, context }: MergeCustomersCommand): Promise<MergeResult> {
    const other = await loadCustomer(this.platform, fromCustomerId);
    if (other.status === 'ABSENT') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${fromCustomerId} does not exist`, 'not-found');
    if (other.status === 'MERGED' && other.intoCustomerId !== customerId) {
      throw new DomainError('CUSTOMER_MERGED', `Customer ${fromCustomerId} was already merged into ${other.intoCustomerId}`, 'rule');
    }
    await this.platform.commands.run({
      streamId: customerStreamId(customerId),
      decider: customerDecider,
      command: { type: 'MergeCustomer', data: { customerId, fromCustomerId }, metadata: metadataFor(context) },
      context: scopedContext(context, 'merge'),
    });
    if (other.status === 'ACTIVE') {
      await this.platform.commands.run({
        streamId: customerStreamId(fromCustomerId),
        decider: customerDecider,
        command: { type: 'MarkCustomerMergedInto', data: { customerId: fromCustomerId, intoCustomerId: customerId }, metadata: metadataFor(context) },
        context: scopedContext(context, 'merged-into'),
      });
    }
    const orderIds = await this.orders.orderIdsOf(fromCustomerId);
    for (const orderId of orderIds) {
      await this.platform.commands.run({
        streamId: orderStreamId(orderId),
        decider: orderDecider,
        command: { type: 'ReassignOrderCustomer', data: { orderId, customerId }, metadata: metadataFor(context) },
        context: scopedContext(context, `reassign:${orderId}`),
      });
    }
    return { customerId, fromCustomerId, reassignedOrderIds: orderIds };
  }
}
