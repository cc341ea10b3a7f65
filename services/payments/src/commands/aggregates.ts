import { Inject, Injectable } from '@nestjs/common';
import { PaymentsEvent } from '@continuum/contracts';
import { AggregateRunner, Platform } from '@continuum/platform';
import { TransactionCommand, transactionDecider, TransactionState, transactionStreamId } from '../domain';

/** Transactions: `transactions.run(transactionId, { type: 'RequestVoid', data }, context)` on stream `transaction-<id>`. */
@Injectable()
export class TransactionAggregate extends AggregateRunner<TransactionCommand, PaymentsEvent, TransactionState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, {
      decider: transactionDecider,
      streamId: transactionStreamId,
      startsStream: ['RecordCharge', 'RecordExternalPayment', 'OpenCodTransaction'],
    });
  }

  /** The current state of each transaction, read from its stream (rules that move money need current state, not a view). */
  async states(transactionIds: readonly string[]): Promise<TransactionState[]> {
    const states: TransactionState[] = [];
    for (const id of transactionIds) states.push((await this.load(id)).state);
    return states;
  }
}
