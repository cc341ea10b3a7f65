import { Inject, Injectable } from '@nestjs/common';
import { Collection } from 'mongoose';
import { Platform } from '@continuum/platform';
import { BlacklistEntry, BlacklistState } from '../domain';

interface BlacklistRow extends BlacklistEntry {
  readonly _id: string;
  readonly active: boolean;
}

export const BLACKLIST_COLLECTION = 'view_blacklist';

/** The blacklist entries that are in force, for the check when an order is placed and for GET /blacklist. */
@Injectable()
export class BlacklistView {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  private get rows(): Collection<BlacklistRow> {
    return this.platform.connection.collection<BlacklistRow>(BLACKLIST_COLLECTION);
  }

  async save(state: BlacklistState): Promise<void> {
    if (state.status === 'ABSENT') return;
    const { entryId, type, value, codOnly, reason } = state.entry;
    const row: Omit<BlacklistRow, '_id'> = { entryId, type, value, codOnly, ...(reason ? { reason } : {}), active: state.status === 'ACTIVE' };
    await this.rows.replaceOne({ _id: entryId }, row, { upsert: true });
  }

  async active(): Promise<BlacklistEntry[]> {
    const rows = await this.rows.find({ active: true }).sort({ _id: 1 }).toArray();
    return rows.map(({ entryId, type, value, codOnly, reason }) => ({ entryId, type, value, codOnly, ...(reason ? { reason } : {}) }));
  }
}
