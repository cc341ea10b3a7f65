import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeOf, PaymentsEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { RebillChargeOutcome } from '../domain';

/** The outcomes of one rebill order's charges that came before its purchase knew the order. */
export interface KeptRebillOutcomes {
  readonly outcomes: readonly RebillChargeOutcome[];
}

/**
 * One document per rebill order (`view_rebill_outcomes`), from payments' transaction streams, each
 * guarded by that stream's version (a redelivery keeps nothing twice). Only rebill charges' outcomes
 * are kept; the consumer keeps only those no purchase knows yet (`keepsRebillOutcome`), and each is
 * forgotten once its purchase has decided it, so the collection holds only outcomes in flight.
 */
export const rebillOutcomesViewDefinition: ViewDefinition<KeptRebillOutcomes, PaymentsEvent> = {
  name: 'rebill_outcomes',
  streamPrefix: 'transaction-',
  documentId: (event) => (event.data as { orderId: string }).orderId,
  initial: () => ({ outcomes: [] }),
  evolve: (kept, event) => {
    if (event.type !== 'PaymentApproved' && event.type !== 'PaymentDeclined') return kept;
    if (event.data.purpose !== 'REBILL' || kept.outcomes.some((outcome) => outcome.eventId === event.eventId)) return kept;
    return { outcomes: [...kept.outcomes, { type: event.type, data: event.data, eventId: event.eventId } as RebillChargeOutcome] };
  },
};

/**
 * Fed by the payment-reactions consumer with the outcomes it cannot place yet; the order-reactions
 * consumer reads them once it has recorded the rebill order on its purchase.
 */
@Injectable()
export class RebillOutcomesView {
  private readonly view: ViewStore<KeptRebillOutcomes, PaymentsEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.readModel(rebillOutcomesViewDefinition);
  }

  async keep(event: EnvelopeOf<PaymentsEvent>): Promise<void> {
    await this.view.applyEvent(event);
  }

  async ofOrder(orderId: string): Promise<readonly RebillChargeOutcome[]> {
    return (await this.view.get(orderId))?.outcomes ?? [];
  }

  /**
   * Forgets the outcomes kept for `orderId` once its purchase has decided them: nothing of a rebill
   * stays here after its bill is recorded. An outcome of the order kept after this is read by a
   * consumer that finds the order recorded and decides it itself, so none is lost. Idempotent (one
   * `_id` read when nothing is kept): payment-reactions calls it on every rebill outcome whose purchase
   * knows the order (`planPaymentEvent`), so a kept document an attempt left behind is removed by its retry.
   */
  async forget(orderId: string): Promise<void> {
    await this.view.remove(orderId);
  }
}
