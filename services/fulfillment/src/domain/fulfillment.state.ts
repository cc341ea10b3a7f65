import { CodCollect, CodUndeliveredReason, FulfillmentEvent, FulfillmentItem, FulfillmentStatus, ShippingAddress, assertNever } from '@continuum/contracts';

/** Where a COD fulfillment's cash stands: PENDING until an agent marks it paid or undelivered. */
export type CodStatus = 'PENDING' | 'PAID' | CodUndeliveredReason;

export interface CodState extends CodCollect {
  readonly status: CodStatus;
  readonly deliveryConfirmation: string | null;
  readonly date: string | null;
}

/** One fulfillment as its stream folds it. */
export interface Fulfillment {
  readonly status: FulfillmentStatus;
  readonly fulfillmentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly reference: string;
  readonly items: readonly FulfillmentItem[];
  /** the order's own lines (what a reship may ship instead); the items unless a reship corrected them */
  readonly orderItems: readonly FulfillmentItem[];
  /** the order's campaign (its limits bound a reship's quantities); null on fulfillments created before it was recorded */
  readonly campaignId: string | null;
  readonly shippingAddress: ShippingAddress | null;
  readonly shippingMethod: string;
  readonly cod: CodState | null;
  readonly reshipOf: string | null;
  /** upsell lines added while in HOLD, in order (the last of `items` and `orderItems`), by the order item they come from */
  readonly upsells: readonly UpsellLines[];
  /** reships made of this fulfillment, in order (their fulfillment ids) */
  readonly reships: readonly string[];
  /** exports so far: 1 after the first, 2 after the automatic resend */
  readonly exportAttempts: number;
  readonly createdAt: string;
  readonly exportedAt: string | null;
  readonly trackingNumber: string | null;
  readonly carrier: string | null;
  readonly shippedAt: string | null;
  readonly deliveredAt: string | null;
  readonly rmaNumber: string | null;
  readonly returnedAt: string | null;
  readonly failureReason: string | null;
  readonly cancelReason: string | null;
}

/** The lines one upsell of the order added to a fulfillment. */
export interface UpsellLines {
  readonly orderItemId: string;
  readonly items: readonly FulfillmentItem[];
}

export type FulfillmentState = { readonly status: 'NONE' } | Fulfillment;

export const initialFulfillmentState = (): FulfillmentState => ({ status: 'NONE' });

/** Statuses in which the package has left the house (or came back): never cancelled, except by a COD refusal. */
export const SHIPPED_STATUSES: readonly FulfillmentStatus[] = ['SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'];
/** Statuses an export run sends. */
export const EXPORTABLE_STATUSES: readonly FulfillmentStatus[] = ['HOLD', 'RECYCLED'];

/** Not shipped and not over: what an order cancel (or a refund with auto-cancel) cancels. */
export const isUnshipped = (state: FulfillmentState): state is Fulfillment =>
  state.status === 'HOLD' || state.status === 'PENDING' || state.status === 'RECYCLED' || state.status === 'FAILED';

/** A fulfillment folded before upsells were recorded (a view document written then) has none. */
export const upsellsOf = (f: Fulfillment): readonly UpsellLines[] => (f.upsells as readonly UpsellLines[] | undefined) ?? [];

export function evolveFulfillment(state: FulfillmentState, event: FulfillmentEvent): FulfillmentState {
  if (event.type === 'FulfillmentCreated') {
    const d = event.data;
    return {
      status: 'HOLD',
      fulfillmentId: d.fulfillmentId,
      orderId: d.orderId,
      customerId: d.customerId,
      reference: d.reference,
      items: d.items,
      orderItems: d.orderItems ?? d.items,
      campaignId: d.campaignId ?? null,
      shippingAddress: d.shippingAddress,
      shippingMethod: d.shippingMethod,
      cod: d.cod ? { ...d.cod, status: 'PENDING', deliveryConfirmation: null, date: null } : null,
      reshipOf: d.reshipOf,
      upsells: [],
      reships: [],
      exportAttempts: 0,
      createdAt: d.at,
      exportedAt: null,
      trackingNumber: null,
      carrier: null,
      shippedAt: null,
      deliveredAt: null,
      rmaNumber: null,
      returnedAt: null,
      failureReason: null,
      cancelReason: null,
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'FulfillmentItemsAdded': {
      const { orderItemId, items } = event.data;
      return { ...state, items: [...state.items, ...items], orderItems: [...state.orderItems, ...items], upsells: [...upsellsOf(state), { orderItemId, items }] };
    }
    case 'FulfillmentItemsRemoved': {
      // upsell lines are the last of the lists, in the order they were added: drop one upsell's and keep the rest
      const upsells = upsellsOf(state);
      const kept = upsells.filter((upsell) => upsell.orderItemId !== event.data.orderItemId);
      const added = upsells.reduce((n, upsell) => n + upsell.items.length, 0);
      const keptLines = kept.flatMap((upsell) => upsell.items);
      return {
        ...state,
        items: [...state.items.slice(0, state.items.length - added), ...keptLines],
        orderItems: [...state.orderItems.slice(0, state.orderItems.length - added), ...keptLines],
        upsells: kept,
      };
    }
    case 'FulfillmentExported':
      return { ...state, status: 'PENDING', exportAttempts: event.data.attempt, exportedAt: event.data.at };
    case 'FulfillmentShipped': {
      const d = event.data;
      // after an early DELIVERED (or a return), a late SHIPPED only adds the tracking
      const status = state.status === 'PENDING' || state.status === 'SHIPPED' ? 'SHIPPED' : state.status;
      return { ...state, status, trackingNumber: d.trackingNumber, carrier: d.carrier, shippedAt: d.shippedAt };
    }
    case 'FulfillmentDelivered':
      return { ...state, status: 'DELIVERED', deliveredAt: event.data.deliveredAt };
    case 'FulfillmentCancelled':
      return { ...state, status: 'CANCELLED', cancelReason: event.data.reason };
    case 'FulfillmentRmaIssued':
      return { ...state, status: 'RMA_PENDING', rmaNumber: event.data.rmaNumber };
    case 'FulfillmentReturned':
      return { ...state, status: 'RETURNED', returnedAt: event.data.returnedAt };
    case 'FulfillmentFailed':
      return { ...state, status: 'FAILED', failureReason: event.data.reason };
    case 'FulfillmentRecycled':
      return { ...state, status: 'RECYCLED' };
    case 'FulfillmentReshipped':
      return { ...state, reships: [...state.reships, event.data.reshipFulfillmentId] };
    case 'CodMarkedPaid':
      return state.cod ? { ...state, cod: { ...state.cod, status: 'PAID', deliveryConfirmation: event.data.deliveryConfirmation, date: event.data.date } } : state;
    case 'CodMarkedUndelivered':
      return state.cod ? { ...state, cod: { ...state.cod, status: event.data.status } } : state;
    default:
      return assertNever(event, 'fulfillment event');
  }
}
