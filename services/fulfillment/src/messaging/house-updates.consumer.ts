import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { FULFILLMENT_UPDATE_MESSAGE, FulfillmentUpdate, Topics } from '@continuum/contracts';
import { CommandContext, DeclaredConsumer, EventConsumer, IncomingMessage, MessageHandler } from '@continuum/platform';
import { FulfillmentAggregate } from '../commands';
import { houseCommand } from '../domain';

export const HOUSE_UPDATES_GROUP = 'house-updates';

/**
 * `fulfillment.updates.v1`: what fulfillment houses report. Every record is a FulfillmentUpdate
 * (validated against its schema by the consumer runner, the same bounds as POST /fulfillment-updates).
 * A record over MAX_INPUT_RECORD_BYTES (not parsed), malformed JSON, a schema failure, an unknown
 * reference or an illegal transition goes to `fulfillment.dlq.v1` with the reason and the original,
 * and the partition moves on. The same update twice changes nothing (the decider); an unknown
 * reference is not found and an illegal transition a rule error, both dead-lettered.
 */
@EventConsumer({ groupId: HOUSE_UPDATES_GROUP, topics: [Topics.fulfillmentUpdates], parse: 'message', messageType: FULFILLMENT_UPDATE_MESSAGE })
export class HouseUpdatesConsumer implements DeclaredConsumer {
  constructor(@Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate) {}

  handlers(): Record<string, MessageHandler> {
    return { [FULFILLMENT_UPDATE_MESSAGE]: (message) => this.apply(message) };
  }

  private async apply(incoming: IncomingMessage): Promise<void> {
    const update = incoming.message as FulfillmentUpdate;
    const context: CommandContext = {
      // an update has no correlation id of its own: one per record keeps its retries in one story
      correlationId: createHash('sha256').update(`house-update:${incoming.dedupId}`).digest('hex').slice(0, 32),
      causationId: null,
      actor: { kind: 'fulfillment-house', id: Topics.fulfillmentUpdates },
      idempotencyKey: `${HOUSE_UPDATES_GROUP}:${incoming.dedupId}`,
    };
    // the reference is the fulfillment's id: an `_id` read of one stream
    await this.fulfillments.run(update.reference, houseCommand(update), context);
  }
}
