import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { customerBlacklistValues, entryToAdd } from '../domain';
import { BlacklistAggregate, OrdersAggregates } from './aggregates';

/** POST /customers/:id/blacklist (admins): the customer's email, phone and billing address blacklisted. */
export class BlacklistCustomerCommand extends Command<{ entryIds: string[] }> {
  constructor(
    readonly customerId: string,
    readonly input: { readonly codOnly: boolean; readonly reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * The blacklist-customer workflow (its decisions: `domain/blacklist-customer.workflow.ts`): read the
 * customer, add an entry for each of its values unless one is in force already (each on its own
 * blacklist stream, so the order-time check sees it), then record CustomerBlacklisted on the
 * customer's stream naming them all: the one line of the timeline. Each step is idempotent, so a
 * retry with the same key finishes what a failed attempt started.
 */
@CommandHandler(BlacklistCustomerCommand)
export class BlacklistCustomerHandler implements ICommandHandler<BlacklistCustomerCommand> {
  constructor(
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  async execute({ customerId, input, context }: BlacklistCustomerCommand): Promise<{ entryIds: string[] }> {
    const values = customerBlacklistValues(customerId, await this.aggregates.customers.state(customerId));
    const entries = [];
    for (const { type, value } of values) {
      const entryId = BlacklistAggregate.entryIdOf(type, value);
      if (entryToAdd((await this.aggregates.blacklist.load(entryId)).state)) {
        await this.aggregates.blacklist.run(entryId, { type: 'AddBlacklistEntry', data: { entryId, type, value, codOnly: input.codOnly, reason: input.reason } }, context);
      }
      entries.push({ entryId, type, value });
    }
    await this.aggregates.customers.run(customerId, { type: 'RecordCustomerBlacklisted', data: { customerId, entries, codOnly: input.codOnly, reason: input.reason } }, context);
    return { entryIds: entries.map((entry) => entry.entryId) };
  }
}
