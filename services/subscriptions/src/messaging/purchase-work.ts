import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext, CommandInput } from '@continuum/platform';
import { PurchaseActionCommand } from '../commands';
import { PurchaseCommand, PurchaseWork } from '../domain';

/** Runs the work a reaction decided: each item is one command on one purchase. */
@Injectable()
export class PurchaseWorkRunner {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  async run(work: readonly PurchaseWork[], context: CommandContext): Promise<void> {
    for (const item of work) {
      await this.commands.execute(new PurchaseActionCommand(item.purchaseId, item.command as CommandInput<PurchaseCommand>, context));
    }
  }
}
