import { Inject } from '@nestjs/common';
import { FULFILLMENT_CANCEL_REQUEST_MESSAGE, FULFILLMENT_REQUEST_MESSAGE, FulfillmentCancelRequest, FulfillmentEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, Platform } from '@continuum/platform';

export const REQUESTS_PUBLISHER_GROUP = 'requests-publisher';

/**
 * Publishes each committed FulfillmentExported's request to `fulfillment.requests.v1`, keyed by the
 * reference. Because it reads the committed event from `fulfillment.events.v1` (published by the
 * outbox relay), a request goes out exactly when its export is stored and never for an export that
 * lost its race. Delivery is at least once (a crash between the publish and the consumer's commit
 * publishes again): houses dedupe by reference and attempt.
 * A committed FulfillmentCancelled of a fulfillment the house holds (exported, not shipped: the
 * event's `houseCancel`) goes out the same way as a FulfillmentCancelRequested for that reference.
 */
@EventConsumer({ groupId: REQUESTS_PUBLISHER_GROUP, topics: [Topics.fulfillmentEvents] })
export class RequestsPublisherConsumer implements DeclaredConsumer {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  handlers(): Record<string, MessageHandler> {
    return eventHandlers<FulfillmentEvent>({
      FulfillmentExported: async (event) => {
        const { request } = event.data;
        await this.platform.publisher.publish([
          {
            topic: this.platform.topic(Topics.fulfillmentRequests),
            key: request.reference,
            value: JSON.stringify(request),
            headers: { type: FULFILLMENT_REQUEST_MESSAGE, eventId: event.eventId, correlationId: event.correlationId },
          },
        ]);
      },
      FulfillmentCancelled: async (event) => {
        const { houseCancel, orderId, reason, at } = event.data;
        if (houseCancel === undefined) return;
        const cancel: FulfillmentCancelRequest = { type: FULFILLMENT_CANCEL_REQUEST_MESSAGE, reference: houseCancel.reference, orderId, reason, at };
        await this.platform.publisher.publish([
          {
            topic: this.platform.topic(Topics.fulfillmentRequests),
            key: cancel.reference,
            value: JSON.stringify(cancel),
            headers: { type: FULFILLMENT_CANCEL_REQUEST_MESSAGE, eventId: event.eventId, correlationId: event.correlationId },
          },
        ]);
      },
    });
  }
}
