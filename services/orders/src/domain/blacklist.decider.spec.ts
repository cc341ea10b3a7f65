import { BlacklistEvent } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { BlacklistCommand, blacklistDecider } from './blacklist.decider';

const admin = { kind: 'admin' as const, id: 'ops' };
const metadata = { now: '2026-03-01T10:00:00.000Z', actor: admin };
const add = (data: Partial<Extract<BlacklistCommand, { type: 'AddBlacklistEntry' }>['data']> = {}): BlacklistCommand => ({
  type: 'AddBlacklistEntry',
  data: { entryId: 'bl-1', type: 'EMAIL', value: ' Fraud@Example.com ', codOnly: false, ...data },
  metadata,
});
const added: BlacklistEvent = {
  type: 'BlacklistEntryAdded',
  data: { entryId: 'bl-1', type: 'EMAIL', value: 'fraud@example.com', codOnly: false, addedBy: admin },
};
const remove: BlacklistCommand = { type: 'RemoveBlacklistEntry', data: { entryId: 'bl-1' }, metadata };

describe('blacklist decider', () => {
  it('adds an entry with its normalised value and the admin who added it', () => {
    spec(blacklistDecider).given([]).when(add()).then([added]);
  });

  it('keeps a COD-only flag and a trimmed reason', () => {
    spec(blacklistDecider)
      .given([])
      .when(add({ type: 'STATE_COUNTRY', value: 'tx/us', codOnly: true, reason: ' too many refused parcels ' }))
      .then([
        {
          type: 'BlacklistEntryAdded',
          data: { entryId: 'bl-1', type: 'STATE_COUNTRY', value: 'TX/US', codOnly: true, reason: 'too many refused parcels', addedBy: admin },
        },
      ]);
  });

  it('refuses a value that cannot be of its type', () => {
    spec(blacklistDecider).given([]).when(add({ type: 'CARD_BIN', value: '12' })).thenThrows('INVALID_BLACKLIST_VALUE', 'rule');
  });

  it('refuses the same entry id twice', () => {
    spec(blacklistDecider).given([added]).when(add()).thenThrows('BLACKLIST_ENTRY_EXISTS', 'conflict');
  });

  it('adds a removed entry again', () => {
    const removed: BlacklistEvent = { type: 'BlacklistEntryRemoved', data: { entryId: 'bl-1', type: 'EMAIL', value: 'fraud@example.com', removedBy: admin } };
    spec(blacklistDecider).given([added, removed]).when(add()).then([added]);
  });

  it('removes an entry, recording who removed it', () => {
    spec(blacklistDecider)
      .given([added])
      .when(remove)
      .then([{ type: 'BlacklistEntryRemoved', data: { entryId: 'bl-1', type: 'EMAIL', value: 'fraud@example.com', removedBy: admin } }]);
  });

  it('cannot remove a missing or already removed entry', () => {
    spec(blacklistDecider).given([]).when(remove).thenThrows('BLACKLIST_ENTRY_NOT_FOUND', 'not-found');
    const removed: BlacklistEvent = { type: 'BlacklistEntryRemoved', data: { entryId: 'bl-1', type: 'EMAIL', value: 'fraud@example.com', removedBy: admin } };
    spec(blacklistDecider).given([added, removed]).when(remove).thenThrows('BLACKLIST_ENTRY_NOT_FOUND', 'not-found');
  });
});
