import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor, assertNever } from '@continuum/contracts';
import { IncomingMessage, Platform, ReactionWork, onStream, reactionContext, runReactionWork, workStep } from '@continuum/platform';
import { RefundOrderCommand, TransactionAggregate } from '../commands';
import { PaymentsWork } from '../domain';
import { ChargeJob, ChargeQueue } from '../jobs';

/** The consumed event a reaction's work comes from (a charge that keeps failing is dead-lettered with it). */
export interface WorkCause {
  /** the consumer group's short name, e.g. 'order-reactions' */
  readonly group: string;
  readonly event: { readonly eventId: string; readonly type: string; readonly correlationId: string; readonly actor: Actor };
  readonly message: IncomingMessage;
}

/** What the payments reactions' work is done with. */
export interface PaymentsWorkPorts {
  readonly platform: Platform;
  readonly transactions: TransactionAggregate;
  readonly commandBus: CommandBus;
  readonly charges: ChargeQueue;
}

/**
 * The payments reactions' one port: `work.run(onOrderEvent(event, order), { group, event, message })`
 * runs a reaction's work items (`paymentsReactionWork`) under the event's reaction context.
 */
@Injectable()
export class PaymentsReactionWork implements PaymentsWorkPorts {
  constructor(
    @Inject(Platform) readonly platform: Platform,
    @Inject(TransactionAggregate) readonly transactions: TransactionAggregate,
    @Inject(CommandBus) readonly commandBus: CommandBus,
    @Inject(ChargeQueue) readonly charges: ChargeQueue,
  ) {}

  run(work: readonly PaymentsWork[], cause: WorkCause): Promise<void> {
    return runReactionWork(paymentsReactionWork(work, cause, this), reactionContext(cause.group, cause.event));
  }
}

/**
 * A payments reaction's work items as the platform runs them (`runReactionWork`): a decision on one
 * transaction is a command for its stream (`onStream`: a non-card payment recorded, a COD outcome);
 * a card charge is a step that enqueues it on the charge queue (so a slow gateway does not hold the
 * Kafka partition); an order refund is a step that runs its workflow (RefundOrderCommand).
 */
export function paymentsReactionWork(work: readonly PaymentsWork[], cause: WorkCause, ports: PaymentsWorkPorts): ReactionWork[] {
  return work.map((item): ReactionWork => {
    switch (item.type) {
      case 'ChargeCard':
        return workStep(`charge:${item.data.transactionId}`, (context) => ports.charges.enqueue({ request: item.data, context, cause: chargeCause(ports.platform, cause) }));
      case 'RecordNonCardPayment': {
        const { kind, ...data } = item.data;
        return onStream(ports.transactions, data.transactionId, kind === 'EXTERNAL' ? { type: 'RecordExternalPayment', data } : { type: 'OpenCodTransaction', data });
      }
      case 'RefundOrder':
        return workStep(`refund-order:${item.data.orderId}`, (context) => ports.commandBus.execute(new RefundOrderCommand(item.data.orderId, item.data.mode, context)));
      case 'RecordCodOutcome': {
        const { transactionId, outcome } = item.data;
        return onStream(
          ports.transactions,
          transactionId,
          outcome.kind === 'PAID'
            ? { type: 'MarkCodPaid', data: { deliveryConfirmation: outcome.deliveryConfirmation, date: outcome.date } }
            : { type: 'MarkCodUndelivered', data: { status: outcome.status } },
        );
      }
      case 'ResendRefundEmail':
        return onStream(ports.transactions, item.data.transactionId, { type: 'ResendRefundEmail', data: { refundId: item.data.refundId } });
      default:
        return assertNever(item, 'payments work');
    }
  });
}

function chargeCause(platform: Platform, { group, event, message }: WorkCause): ChargeJob['cause'] {
  return {
    groupId: platform.consumerGroupId(group),
    source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key, headers: { type: event.type, eventId: event.eventId, correlationId: event.correlationId } },
    original: JSON.stringify(message.envelope ?? event),
  };
}
