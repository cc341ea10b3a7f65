import { Inject, Injectable } from '@nestjs/common';
import { BlacklistEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { blacklistDecider, BlacklistEntry, BlacklistState } from '../domain';

const STREAM_PREFIX = 'blacklist-';
const ALL = 'all';

/** Every blacklist entry by id, in one document: the check at order time is one `_id` read. */
export const blacklistViewDefinition: ViewDefinition<Record<string, BlacklistState>, BlacklistEvent> = {
  name: 'blacklist',
  streamPrefix: STREAM_PREFIX,
  documentId: () => ALL,
  initial: () => ({}),
  evolve: (entries, event) => {
    const entryId = event.streamId.slice(STREAM_PREFIX.length);
    return { ...entries, [entryId]: blacklistDecider.evolve(entries[entryId] ?? blacklistDecider.initialState(), event) };
  },
};

/** The blacklist entries that are in force, for the check when an order is placed and for GET /blacklist. */
@Injectable()
export class BlacklistView {
  private readonly view: ViewStore<Record<string, BlacklistState>, BlacklistEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.view(blacklistViewDefinition);
  }

  async active(): Promise<BlacklistEntry[]> {
    const entries = Object.values((await this.view.get(ALL)) ?? {});
    return entries
      .flatMap((state) => (state.status === 'ACTIVE' ? [state.entry] : []))
      .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0))
      .map(({ entryId, type, value, codOnly, reason }) => ({ entryId, type, value, codOnly, ...(reason ? { reason } : {}) }));
  }
}
