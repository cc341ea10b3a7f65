import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { RebillChargeStatus, RebillResolutionOutcome, ResolveClock, exists, rebillResolution, rebillToResolve } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { PurchaseAggregate } from './aggregates';
import { PaymentsClient } from './payments-client';

/** What resolving a rebill did: the recorded outcome, ASKED_AGAIN (orders asked again: no order yet) or NOTHING (nothing to resolve yet). */
export interface RebillResolution {
  readonly purchaseId: string;
  readonly outcome: RebillResolutionOutcome | 'ASKED_AGAIN' | 'NOTHING';
  /** the rebill order asked about (null when none was recorded) */
  readonly orderId: string | null;
  /** payments' answer (null when payments was not asked) */
  readonly chargeStatus: RebillChargeStatus | null;
}

/**
 * Resolve a rebill whose outcome never came: an agent's `POST /purchases/:id/resolve-rebill` (at once,
 * no clock) or the rebill-resolve sweeper (`clock`: only bills in flight longer than
 * REBILL_RESOLVE_AFTER_MS). Decisions in domain/rebill-resolution.workflow.ts.
 */
export class ResolveRebillCommand extends Command<RebillResolution> {
  constructor(
    readonly purchaseId: string,
    readonly context: CommandContext,
    readonly clock?: ResolveClock,
  ) {
    super();
  }
}

/** Reads the purchase, asks payments for the rebill order's charge status over HTTP, records what it says. */
@CommandHandler(ResolveRebillCommand)
export class ResolveRebillHandler implements ICommandHandler<ResolveRebillCommand, RebillResolution> {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(PaymentsClient) private readonly payments: PaymentsClient,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  async execute({ purchaseId, context, clock }: ResolveRebillCommand): Promise<RebillResolution> {
    const { state } = await this.purchases.load(purchaseId);
    if (!exists(state)) throw new DomainError('PURCHASE_NOT_FOUND', 'No such purchase', 'not-found');
    const next = rebillToResolve(state, clock);
    if (next.kind === 'NOTHING') return { purchaseId, outcome: 'NOTHING', orderId: null, chargeStatus: null };
    if (next.kind === 'ASK_AGAIN') {
      const asked = await this.purchases.run(purchaseId, next.command, context);
      return { purchaseId, outcome: asked.events.length > 0 ? 'ASKED_AGAIN' : 'NOTHING', orderId: null, chargeStatus: null };
    }
    const chargeStatus = await this.payments.chargeStatus(next.orderId, context.correlationId);
    // decided on the purchase as it is after the answer (its outcome may have arrived meanwhile: the decider then records nothing)
    const current = (await this.purchases.load(purchaseId)).state;
    const resolution = exists(current) ? rebillResolution(current, chargeStatus, this.settings.recycleDelaysMs) : { outcome: 'WAITING' as const };
    if (!resolution.command) return { purchaseId, outcome: resolution.outcome, orderId: next.orderId, chargeStatus };
    const recorded = await this.purchases.run(purchaseId, resolution.command, context);
    return { purchaseId, outcome: recorded.events.length > 0 ? resolution.outcome : 'NOTHING', orderId: next.orderId, chargeStatus };
  }
}
