import {
  assertNever,
  BlacklistEntryType,
  BlacklistEvent,
  Command,
  Decider,
  DomainError,
} from '@continuum/contracts';
import { BlacklistEntry, normaliseBlacklistValue } from './blacklist.policy';

/** Stream of one blacklist entry. */
export const blacklistStreamId = (entryId: string) => `blacklist-${entryId}`;

/** Admins only: the HTTP layer checks the role, the events record who did it. */
export type AddBlacklistEntry = Command<
  'AddBlacklistEntry',
  { entryId: string; type: BlacklistEntryType; value: string; codOnly: boolean; reason?: string }
>;
export type RemoveBlacklistEntry = Command<'RemoveBlacklistEntry', { entryId: string }>;
export type BlacklistCommand = AddBlacklistEntry | RemoveBlacklistEntry;

export type BlacklistState =
  | { readonly status: 'ABSENT' }
  | { readonly status: 'ACTIVE'; readonly entry: BlacklistEntry }
  | { readonly status: 'REMOVED'; readonly entry: BlacklistEntry };

function add(command: AddBlacklistEntry, state: BlacklistState): BlacklistEvent[] {
  // A removed entry may be added again; an active one is a duplicate.
  if (state.status === 'ACTIVE') throw new DomainError('BLACKLIST_ENTRY_EXISTS', `${state.entry.type} ${state.entry.value} is already blacklisted (entry ${state.entry.entryId})`, 'conflict');
  const { entryId, type, codOnly } = command.data;
  const reason = command.data.reason?.trim();
  const value = normaliseBlacklistValue(type, command.data.value);
  return [
    {
      type: 'BlacklistEntryAdded',
      data: { entryId, type, value, codOnly, ...(reason ? { reason } : {}), addedBy: command.metadata.actor },
    },
  ];
}

function remove(command: RemoveBlacklistEntry, state: BlacklistState): BlacklistEvent[] {
  if (state.status !== 'ACTIVE') {
    throw new DomainError('BLACKLIST_ENTRY_NOT_FOUND', `Blacklist entry ${command.data.entryId} does not exist`, 'not-found');
  }
  const { entryId, type, value } = state.entry;
  return [{ type: 'BlacklistEntryRemoved', data: { entryId, type, value, removedBy: command.metadata.actor } }];
}

/** One blacklist entry: add it (value normalised for its type), remove it. */
export const blacklistDecider: Decider<BlacklistCommand, BlacklistEvent, BlacklistState> = {
  initialState: () => ({ status: 'ABSENT' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'AddBlacklistEntry':
        return add(command, state);
      case 'RemoveBlacklistEntry':
        return remove(command, state);
      default:
        return assertNever(command, 'blacklist command');
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'BlacklistEntryAdded': {
        const { entryId, type, value, codOnly, reason } = event.data;
        return { status: 'ACTIVE', entry: { entryId, type, value, codOnly, ...(reason ? { reason } : {}) } };
      }
      case 'BlacklistEntryRemoved':
        return state.status === 'ABSENT' ? state : { status: 'REMOVED', entry: state.entry };
      default:
        return assertNever(event, 'blacklist event');
    }
  },
};
