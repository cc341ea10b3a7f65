import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { ReservationClock, voidReservationRecord, voidReservationToAsk } from '../domain';
import { PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { TransactionAggregate } from './aggregates';

/** What the sweep did with one charge's void reservation. */
export type VoidReservationOutcome = 'COMPLETED' | 'RELEASED' | 'NONE';

/**
 * Resolve a void reservation left behind (a crash between `VoidRequested` and the gateway's answer):
 * the void-reservation sweeper sends it for each charge with a reserved void. Decisions in
 * domain/reversal-sweeps.workflow.ts.
 */
export class ResolveVoidReservationCommand extends Command<VoidReservationOutcome> {
  constructor(
    readonly transactionId: string,
    readonly clock: ReservationClock,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Reads the charge, asks the gateway what it did under the reservation's reference when the
 * reservation is older than the age, and records the answer: the void completed (ChargeVoided) or the
 * reservation released (VoidFailed). A reservation recorded meanwhile (the late answer of a slow call)
 * is left as that answer made it.
 */
@CommandHandler(ResolveVoidReservationCommand)
export class ResolveVoidReservationHandler implements ICommandHandler<ResolveVoidReservationCommand, VoidReservationOutcome> {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  async execute({ transactionId, clock, context }: ResolveVoidReservationCommand): Promise<VoidReservationOutcome> {
    const ask = voidReservationToAsk((await this.transactions.load(transactionId)).state, clock);
    if (!ask) return 'NONE';
    const status = await this.gateway.status(ask.query);
    try {
      const recorded = await this.transactions.run(transactionId, voidReservationRecord(ask.voidId, status, this.settings.autoCancelOnRefund), context);
      if (recorded.events.some((e) => e.type === 'ChargeVoided')) return 'COMPLETED';
      return recorded.events.some((e) => e.type === 'VoidFailed') ? 'RELEASED' : 'NONE';
    } catch (error) {
      // the reservation was recorded or released meanwhile: nothing left to resolve
      if (error instanceof DomainError && error.kind !== 'conflict') return 'NONE';
      throw error;
    }
  }
}
