import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { OrderChange, OrderState } from '../domain';
import { OrderAggregate } from './aggregates';

/** What an order change did: the order after it and how many events it stored (0: nothing to do). */
export interface OrderChangeResult {
  readonly state: OrderState;
  readonly stored: number;
}

/**
 * Runs one command on an existing order: QA, cancel, rerun, payment outcomes, refunds, reassignment.
 *
 *   bus.execute(new ChangeOrderCommand({ type: 'ApproveQa', data: { orderId } }, context))
 */
export class ChangeOrderCommand extends Command<OrderChangeResult> {
  constructor(
    readonly change: OrderChange,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeOrderCommand)
export class ChangeOrderHandler implements ICommandHandler<ChangeOrderCommand> {
  constructor(@Inject(OrderAggregate) private readonly orders: OrderAggregate) {}

  async execute({ change, context }: ChangeOrderCommand): Promise<OrderChangeResult> {
    const { state, events } = await this.orders.run(change.data.orderId, change, context);
    return { state, stored: events.length };
  }
}
