import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, Platform } from '@continuum/platform';
import { OrderCommand, orderDecider, OrderState, orderStreamId } from '../domain';
import { metadataFor } from './command-metadata';

/** Any order command but PlaceOrder and AddUpsell, without its metadata (added here). */
export type OrderChange = Exclude<OrderCommand, { type: 'PlaceOrder' | 'AddUpsell' }> extends infer C
  ? C extends OrderCommand
    ? Pick<C, 'type' | 'data'>
    : never
  : never;

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
  constructor(
    @Inject(Platform) private readonly platform: Platform,
  ) {}

  async execute({ change, context }: ChangeOrderCommand): Promise<OrderChangeResult> {
    const command = { ...change, metadata: metadataFor(context) } as OrderCommand;
    const { state, events } = await this.platform.commands.run({ streamId: orderStreamId(change.data.orderId), decider: orderDecider, command, context });
    return { state, stored: events.length };
  }
}
