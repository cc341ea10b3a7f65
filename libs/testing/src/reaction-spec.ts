import { DomainEvent, IncomingEvent, Reaction } from '@continuum/contracts';

/**
 * Specification-style tests for a pure reaction (what a service does when another service's event
 * arrives), like `spec()` for deciders:
 *
 *   reactionSpec(onPaymentOutcome).given(processingOrder).when(paymentApproved).then([recordPaymentApproved]);
 *   reactionSpec(onPaymentOutcome).given(completedOrder).when(siblingApproved).thenNothing();
 *
 * `given` takes the local state the consumer looks up; build it by folding events with the
 * service's decider when the state is an aggregate (`fold(decider, events)`).
 */
export function reactionSpec<E extends DomainEvent, S, W>(reaction: Reaction<E, S, W>) {
  return {
    given(state: S) {
      return {
        when(event: E, eventId = 'event-under-test') {
          const incoming = { ...event, eventId } as IncomingEvent<E>;
          return {
            then(expected: readonly W[]): readonly W[] {
              const work = reaction(incoming, state);
              expect(work).toEqual(expected);
              return work;
            },
            /** the event means nothing for this state (a redelivery, an outcome that is not ours) */
            thenNothing(): void {
              expect(reaction(incoming, state)).toEqual([]);
            },
          };
        },
      };
    },
  };
}

/** The state a decider folds from `events`, for `given` of a reaction spec. */
export function fold<E, S>(decider: { evolve: (state: S, event: E) => S; initialState: () => S }, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState());
}
