import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, CommandInput } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { PurchaseCommand, PurchaseWork } from '../domain';

/**
 * Runs the work a reaction decided. The commands for one purchase are one `react()`: decided in
 * order on one read and appended as one commit under the event's key (`<group>:<eventId>`), so a
 * redelivery replays that commit. (Run one by one under that one key, every command after the first
 * was answered as a replay of the first: a purchase learning an order with two fulfillments
 * recorded one.) Purchases are separate streams, each its own commit.
 */
@Injectable()
export class PurchaseWorkRunner {
  constructor(@Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate) {}

  async run(work: readonly PurchaseWork[], context: CommandContext): Promise<void> {
    for (const [purchaseId, commands] of byPurchase(work)) {
      await this.purchases.react(purchaseId, () => commands, context);
    }
  }
}

/** The work's commands per purchase, purchases and commands in the order the reaction gave them. */
function byPurchase(work: readonly PurchaseWork[]): Map<string, CommandInput<PurchaseCommand>[]> {
  const grouped = new Map<string, CommandInput<PurchaseCommand>[]>();
  for (const item of work) {
    const commands = grouped.get(item.purchaseId) ?? [];
    commands.push(item.command as CommandInput<PurchaseCommand>);
    grouped.set(item.purchaseId, commands);
  }
  return grouped;
}
