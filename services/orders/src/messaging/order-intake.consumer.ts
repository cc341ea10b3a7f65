import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, PLACE_ORDER_MESSAGE_TYPE, PlaceOrderMessage, Topics } from '@continuum/contracts';
import { CommandContext, DeclaredConsumer, derivedId, EventConsumer, IncomingMessage, MessageFingerprints, MessageHandler, Platform } from '@continuum/platform';
import { PlaceOrderCommand } from '../commands/place-order.handler';
import { intakeSeed } from './intake-seed';

export const ORDER_INTAKE_GROUP = 'intake';

/**
 * `orders.intake.v1`: internal services' PlaceOrder messages, placed through the same path as
 * POST /orders. The order id is derived from `source` and `clientOrderId` (`intakeSeed`), so a
 * repeated message finds its order and changes nothing. Schema-invalid messages and refused orders (e.g. BLACKLISTED) are
 * dead-lettered to orders.dlq.v1 by the consumer runner, with the reason. The card arrives tokenised
 * (the publisher called payments POST /cards); a message with a card number fails its schema.
 */
@EventConsumer({ groupId: ORDER_INTAKE_GROUP, topics: [Topics.ordersIntake], parse: 'message' })
export class OrderIntakeConsumer implements DeclaredConsumer {
  private fingerprints?: MessageFingerprints;

  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  handlers(): Record<string, MessageHandler> {
    return { [PLACE_ORDER_MESSAGE_TYPE]: (message) => this.place(message) };
  }

  private async place(incoming: IncomingMessage): Promise<void> {
    const { type: _type, version: _version, messageId, card, source, ...order } = incoming.message as PlaceOrderMessage;
    const seed = intakeSeed(source, order.clientOrderId);
    const context: CommandContext = {
      // a message has no correlation id of its own: one per clientOrderId keeps a repeat in the same story
      correlationId: derivedId(`correlation:${seed}`),
      causationId: messageId ?? null,
      actor: { kind: 'service', id: source ?? 'intake' },
      idempotencyKey: seed,
    };
    // The same clientOrderId with another body is refused (dead-lettered as rejected), as HTTP answers 422 for a reused Idempotency-Key.
    const fingerprints = (this.fingerprints ??= new MessageFingerprints(this.platform.connection));
    const body = { ...order, source: source ?? null, card: card ?? null };
    const verdict = await fingerprints.claim(seed, body);
    if (verdict === 'different') {
      throw new DomainError('CLIENT_ORDER_ID_REUSED', `clientOrderId ${order.clientOrderId} was already used with a different order; nothing was placed`, 'rule');
    }
    let result;
    try {
      result = await this.commands.execute(new PlaceOrderCommand({ ...order, ...(card ? { card } : {}) }, context, seed));
    } catch (error) {
      if (verdict === 'first' && error instanceof DomainError) await fingerprints.release(seed, body);
      throw error;
    }
    this.platform.logger.info({ clientOrderId: order.clientOrderId, ...result }, result.replayed ? 'intake order already placed; nothing changed' : 'intake order placed');
  }
}
