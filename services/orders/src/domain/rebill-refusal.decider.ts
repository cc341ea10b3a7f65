import { Command, Decider, RebillOutcomeEvent, RebillRefused, assertNever } from '@continuum/contracts';

/** The refusal of one rebill request, on a stream of its own: `rebill-refusal-<orderId>` (the id its rebill order would have had). */
export const rebillRefusalStreamId = (orderId: string): string => `rebill-refusal-${orderId}`;

/** orders refused the rebill order of a RebillRequested: record it, so subscriptions hears the outcome. */
export type RefuseRebill = Command<'RefuseRebill', Omit<RebillRefused['data'], 'at'>>;
export type RebillRefusalCommand = RefuseRebill;

export type RebillRefusalState = { readonly status: 'ABSENT' } | { readonly status: 'REFUSED'; readonly refusal: RebillRefused['data'] };

function decide(command: RebillRefusalCommand, state: RebillRefusalState): RebillOutcomeEvent[] {
  switch (command.type) {
    case 'RefuseRebill':
      // one request, one answer: a redelivered or repeated request refused again records nothing new
      if (state.status === 'REFUSED') return [];
      return [{ type: 'RebillRefused', data: { ...command.data, at: command.metadata.now } }];
    default:
      return assertNever(command.type, 'rebill refusal command');
  }
}

function evolve(_state: RebillRefusalState, event: RebillOutcomeEvent): RebillRefusalState {
  switch (event.type) {
    case 'RebillRefused':
      return { status: 'REFUSED', refusal: event.data };
    default:
      return assertNever(event.type, 'rebill refusal event');
  }
}

/** A rebill request orders could not turn into an order: refused once, whatever redelivers the request. */
export const rebillRefusalDecider: Decider<RebillRefusalCommand, RebillOutcomeEvent, RebillRefusalState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'ABSENT' }),
};
