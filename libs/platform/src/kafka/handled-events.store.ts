import { Connection } from 'mongoose';
import { insertOnce } from '../store/insert-once';

interface HandledEventDocument {
  /** `<groupId>:<dedupId>` */
  _id: string;
  groupId: string;
  type: string;
  handledAt: Date;
}

/**
 * Remembers which events a consumer group has handled (collection `handled_events`), so a
 * redelivered event (a relay that republished, a rebalance before the offset commit) changes nothing.
 */
export class HandledEventsStore {
  constructor(
    private readonly connection: Connection,
    private readonly groupId: string,
  ) {}

  private get collection() {
    return this.connection.collection<HandledEventDocument>('handled_events');
  }

  private idFor(dedupId: string): string {
    return `${this.groupId}:${dedupId}`;
  }

  async isHandled(dedupId: string): Promise<boolean> {
    return (await this.collection.findOne({ _id: this.idFor(dedupId) }, { projection: { _id: 1 } })) !== null;
  }

  /** Records a handled event; recording it twice is harmless. */
  async markHandled(dedupId: string, type: string, handledAt: Date): Promise<void> {
    await insertOnce(this.collection, { _id: this.idFor(dedupId), groupId: this.groupId, type, handledAt });
  }
}
