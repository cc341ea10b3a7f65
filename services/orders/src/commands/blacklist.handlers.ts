import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { AddBlacklistEntry, normaliseBlacklistValue } from '../domain';
import { BlacklistAggregate } from './aggregates';
import { derivedId } from './derived-id';

/** Adds a blacklist entry (admins only, checked by the controller); answers its id. */
export class AddBlacklistEntryCommand extends Command<{ entryId: string }> {
  constructor(
    readonly entry: Omit<AddBlacklistEntry['data'], 'entryId'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Lifts a blacklist entry. */
export class RemoveBlacklistEntryCommand extends Command<{ entryId: string; removed: true }> {
  constructor(
    readonly entryId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AddBlacklistEntryCommand)
export class AddBlacklistEntryHandler implements ICommandHandler<AddBlacklistEntryCommand> {
  constructor(
    @Inject(BlacklistAggregate) private readonly blacklist: BlacklistAggregate
  ) {}

  async execute({ entry, context }: AddBlacklistEntryCommand): Promise<{ entryId: string }> {
    // One stream per blacklisted value: the same entry added twice is a conflict (409), not a second entry.
    const entryId = derivedId(`blacklist:${entry.type}:${normaliseBlacklistValue(entry.type, entry.value)}`);
    await this.blacklist.run(entryId, { type: 'AddBlacklistEntry', data: { ...entry, entryId } }, context);
    return { entryId };
  }
}

@CommandHandler(RemoveBlacklistEntryCommand)
export class RemoveBlacklistEntryHandler implements ICommandHandler<RemoveBlacklistEntryCommand> {
  constructor(
    @Inject(BlacklistAggregate) private readonly blacklist: BlacklistAggregate
  ) {}

  async execute({ entryId, context }: RemoveBlacklistEntryCommand): Promise<{ entryId: string; removed: true }> {
    await this.blacklist.run(entryId, { type: 'RemoveBlacklistEntry', data: { entryId } }, context);
    return { entryId, removed: true };
  }
}
