import { DomainEvent, EnvelopeOf, EventEnvelope } from '@continuum/contracts';

/**
 * A view: documents built by a pure `evolve` from committed events, each guarded by the stream
 * versions it has seen. Example, the orders of a customer listed by status:
 *
 *   const ordersView: ViewDefinition<OrderState> = {
 *     name: 'orders',
 *     streamPrefix: 'order-',
 *     initial: () => orderDecider.initialState(),
 *     evolve: orderDecider.evolve,
 *     indexes: { customer: (state) => (state.status === 'ABSENT' ? [] : [state.order.customerId]) },
 *   };
 */
export interface ViewDefinition<V, E extends DomainEvent = DomainEvent> {
  /**
   * names the collection `view_<name>` and its index collections `view_<name>__<index>` (generation
   * 0); a rebuilt generation g is `view_<name>__g<g>` and `view_<name>__g<g>__<index>`
   */
  readonly name: string;
  /** events of streams whose id starts with this feed the view */
  readonly streamPrefix: string;
  /** the document an event changes (default: one document per stream, its id the stream id) */
  readonly documentId?: (event: EventEnvelope) => string;
  readonly initial: () => V;
  /** pure: no clock, no I/O; gets the events of the streams `streamPrefix` names, typed as `E` */
  readonly evolve: (view: V, event: EnvelopeOf<E>) => V;
  /**
   * What the view is listed by: index name -> the keys a document is found under. Each index is a
   * collection keyed by `_id` = key, so listing never filters the whole view.
   */
  readonly indexes?: Readonly<Record<string, (view: V) => readonly string[]>>;
  /**
   * bump when `evolve` or the document shape changes: the first instance to start with it rebuilds
   * the view into its next generation while the running instances keep serving the current one
   */
  readonly version?: number;
}
