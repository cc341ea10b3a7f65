import { Command, Decider, RebillOrderReported, RebillOutcomeEvent, RebillRefused, ReportedRebillOrderStatus, assertNever } from '@continuum/contracts';

/**
 * orders' answers to one rebill request that are not the rebill order's own events, on a stream of
 * their own: `rebill-answer-<orderId>` (the id the request's rebill order has, or would have had).
 */
export const rebillAnswerStreamId = (orderId: string): string => `rebill-answer-${orderId}`;

/** orders refused the rebill order of a RebillRequested: record it, so subscriptions hears the outcome. */
export type RefuseRebill = Command<'RefuseRebill', Omit<RebillRefused['data'], 'at'>>;
/** A request asked again found its rebill order ended (QA, cancel, a payment without a card charge): say how. */
export type ReportRebillOrder = Command<'ReportRebillOrder', Omit<RebillOrderReported['data'], 'at'>>;
export type RebillAnswerCommand = RefuseRebill | ReportRebillOrder;

export type RebillAnswerState = {
  readonly refusal: RebillRefused['data'] | null;
  /** the order statuses reported so far */
  readonly reported: readonly ReportedRebillOrderStatus[];
};

function decide(command: RebillAnswerCommand, state: RebillAnswerState): RebillOutcomeEvent[] {
  switch (command.type) {
    case 'RefuseRebill':
      // one request, one refusal: a redelivered or repeated request refused again records nothing new
      if (state.refusal) return [];
      return [{ type: 'RebillRefused', data: { ...command.data, at: command.metadata.now } }];
    case 'ReportRebillOrder':
      // each ending reported once, whatever asks again
      if (state.reported.includes(command.data.status)) return [];
      return [{ type: 'RebillOrderReported', data: { ...command.data, at: command.metadata.now } }];
    default:
      return assertNever(command, 'rebill answer command');
  }
}

function evolve(state: RebillAnswerState, event: RebillOutcomeEvent): RebillAnswerState {
  switch (event.type) {
    case 'RebillRefused':
      return { ...state, refusal: event.data };
    case 'RebillOrderReported':
      return { ...state, reported: [...state.reported, event.data.status] };
    default:
      return assertNever(event, 'rebill answer event');
  }
}

/** What orders answered a rebill request with, besides its order: refused once, each ending of its order reported once. */
export const rebillAnswerDecider: Decider<RebillAnswerCommand, RebillOutcomeEvent, RebillAnswerState> = {
  decide,
  evolve,
  initialState: () => ({ refusal: null, reported: [] }),
};
