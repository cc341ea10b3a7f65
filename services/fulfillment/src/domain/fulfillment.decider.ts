import { Decider, DomainError, FulfillmentEvent, FulfillmentRequest, FulfillmentStatus, assertNever } from '@continuum/contracts';
import {
  CancelFulfillment,
  CreateFulfillment,
  DeliverFulfillment,
  ExportFulfillment,
  FulfillmentCommand,
  IssueRma,
  MarkCodPaid,
  MarkCodUndelivered,
  ReportFailure,
  ReturnFulfillment,
  ShipFulfillment,
} from './fulfillment.commands';
import { reshipFulfillmentId } from './fulfillment-ids';
import { AT_HOUSE_STATUSES, EXPORTABLE_STATUSES, Fulfillment, FulfillmentState, SHIPPED_STATUSES, evolveFulfillment, initialFulfillmentState } from './fulfillment.state';

/** Exports a fulfillment gets: the first, and one automatic resend after a failure (RECYCLED). */
export const MAX_EXPORT_ATTEMPTS = 2;

type EventOf<T extends FulfillmentEvent['type']> = Extract<FulfillmentEvent, { type: T }>;
const event = <T extends FulfillmentEvent['type']>(type: T, data: EventOf<T>['data']): EventOf<T> => ({ type, data }) as EventOf<T>;

/**
 * The life of one fulfillment (stream `fulfillment-<fulfillmentId>`, DOMAIN.md "Fulfillment"):
 * HOLD -> PENDING (exported) -> SHIPPED -> DELIVERED; RMA_PENDING -> RETURNED; CANCELLED (never after
 * shipping, except a COD delivery the customer refused); FAILED -> RECYCLED (one automatic resend)
 * -> PENDING, or FAILED for good; a reship (only once the record reached the house) is a new
 * fulfillment with a suffixed reference. Updates the house repeats change nothing.
 */
export const fulfillmentDecider: Decider<FulfillmentCommand, FulfillmentEvent, FulfillmentState> = {
  initialState: initialFulfillmentState,
  evolve: evolveFulfillment,
  decide: (command, state) => {
    if (command.type === 'CreateFulfillment') return create(command, state);
    const current = existing(state);
    switch (command.type) {
      case 'ExportFulfillment':
        return exportIt(command, current);
      case 'ShipFulfillment':
        return ship(command, current);
      case 'DeliverFulfillment':
        return deliver(command, current);
      case 'IssueRma':
        return issueRma(command, current);
      case 'ReturnFulfillment':
        return returnIt(command, current);
      case 'CancelFulfillment':
        return cancel(command, current);
      case 'ReportFailure':
        return reportFailure(command, current);
      case 'ReshipFulfillment':
        return reship(current, command.metadata.now);
      case 'MarkCodPaid':
        return markCodPaid(command, current);
      case 'MarkCodUndelivered':
        return markCodUndelivered(command, current);
      default:
        return assertNever(command, 'fulfillment command');
    }
  },
};

function existing(state: FulfillmentState): Fulfillment {
  if (state.status === 'NONE') throw new DomainError('FULFILLMENT_NOT_FOUND', 'No fulfillment with this id or reference', 'not-found');
  return state;
}

const ids = (f: Fulfillment) => ({ fulfillmentId: f.fulfillmentId, orderId: f.orderId });

/** The refusal for a fulfillment that is not where a command needs it, in the words an agent (or a house) needs. */
function refuse(f: Fulfillment, what: string): never {
  const why: Partial<Record<FulfillmentStatus, [string, string]>> = {
    HOLD: ['NOT_EXPORTED', 'it has not been sent to the fulfillment house yet'],
    RECYCLED: ['NOT_EXPORTED', 'it failed and waits for its automatic resend'],
    CANCELLED: ['FULFILLMENT_CANCELLED', 'it is cancelled'],
    FAILED: ['FULFILLMENT_FAILED', 'the fulfillment house rejected it for good'],
  };
  const [code, reason] = why[f.status] ?? [`ALREADY_${f.status}`, `it is already ${f.status}`];
  throw new DomainError(code, `Cannot ${what} fulfillment ${f.reference}: ${reason}`, 'rule', { status: f.status });
}

function create(command: CreateFulfillment, state: FulfillmentState): FulfillmentEvent[] {
  if (state.status !== 'NONE') return []; // the same order event again, or its sibling (OrderApproved + OrderAwaitingCod)
  const d = command.data;
  if (d.items.length === 0) throw new DomainError('NO_ITEMS', `Order ${d.orderId} has nothing to ship`);
  return [event('FulfillmentCreated', { ...d, at: command.metadata.now })];
}

function exportIt(command: ExportFulfillment, f: Fulfillment): FulfillmentEvent[] {
  if (!EXPORTABLE_STATUSES.includes(f.status)) refuse(f, 'export');
  const facts = command.data;
  if (facts.orderInQa) throw new DomainError('ORDER_IN_QA', `Order ${f.orderId} waits in QA: its fulfillment stays HOLD until QA approves it`);
  if (facts.testCardOnLiveGateway) {
    throw new DomainError('TEST_CARD_ON_LIVE_GATEWAY', `Order ${f.orderId} was paid with a test card on a live gateway: its fulfillment never leaves HOLD`);
  }
  const address = f.shippingAddress ?? facts.customerAddress;
  if (address === null || facts.shipToName === null) {
    throw new DomainError('SHIP_TO_UNKNOWN', `The ship-to name or address of order ${f.orderId} is not known yet: it stays HOLD for the next run`);
  }
  const attempt = f.exportAttempts + 1;
  const request: FulfillmentRequest = {
    reference: f.reference,
    orderId: f.orderId,
    customerId: f.customerId,
    items: f.items.map(({ sku, name, quantity }) => ({ sku, name, quantity })),
    shipTo: { name: facts.shipToName, address },
    shippingMethod: f.shippingMethod,
    ...(f.cod ? { cod: { amount: f.cod.amount, currency: f.cod.currency } } : {}),
    attempt,
  };
  return [event('FulfillmentExported', { ...ids(f), reference: f.reference, attempt, request, at: command.metadata.now })];
}

function ship(command: ShipFulfillment, f: Fulfillment): FulfillmentEvent[] {
  const d = command.data;
  const shipped = () => [event('FulfillmentShipped', { ...ids(f), trackingNumber: d.trackingNumber, carrier: d.carrier, shippedAt: d.shippedAt })];
  switch (f.status) {
    case 'PENDING':
      return shipped();
    case 'SHIPPED':
      // the same report again changes nothing; a new tracking number corrects the old one
      return f.trackingNumber === d.trackingNumber && (d.carrier === null || d.carrier === f.carrier) ? [] : shipped();
    case 'DELIVERED':
    case 'RMA_PENDING':
    case 'RETURNED':
      // SHIPPED after an early DELIVERED: only the tracking is added; a repeat changes nothing
      if (f.trackingNumber === d.trackingNumber) return [];
      if (f.trackingNumber === null) return shipped();
      return refuse(f, 'change the tracking of');
    default:
      return refuse(f, 'ship');
  }
}

function deliver(command: DeliverFulfillment, f: Fulfillment): FulfillmentEvent[] {
  switch (f.status) {
    case 'SHIPPED':
    case 'PENDING': // DELIVERED before SHIPPED: the package clearly left; a late SHIPPED adds the tracking
      return [event('FulfillmentDelivered', { ...ids(f), deliveredAt: command.data.deliveredAt })];
    case 'DELIVERED':
      return [];
    default:
      return refuse(f, 'deliver');
  }
}

function issueRma(command: IssueRma, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'RMA_PENDING' && f.rmaNumber === command.data.rmaNumber) return [];
  if (f.status !== 'SHIPPED' && f.status !== 'DELIVERED') {
    if (!SHIPPED_STATUSES.includes(f.status)) throw new DomainError('NOT_SHIPPED', `Cannot authorise a return of fulfillment ${f.reference}: it never shipped (${f.status})`);
    return refuse(f, 'authorise a return of');
  }
  return [event('FulfillmentRmaIssued', { ...ids(f), rmaNumber: command.data.rmaNumber, at: command.metadata.now })];
}

function returnIt(command: ReturnFulfillment, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'RETURNED') return [];
  if (f.status !== 'SHIPPED' && f.status !== 'DELIVERED' && f.status !== 'RMA_PENDING') {
    throw new DomainError('NOT_SHIPPED', `Fulfillment ${f.reference} cannot come back: it never shipped (${f.status})`, 'rule', { status: f.status });
  }
  return [event('FulfillmentReturned', { ...ids(f), returnedAt: command.data.returnedAt, reason: command.data.reason })];
}

function cancel(command: CancelFulfillment, f: Fulfillment): FulfillmentEvent[] {
  if (f.status === 'CANCELLED') return [];
  if (SHIPPED_STATUSES.includes(f.status)) {
    throw new DomainError('ALREADY_SHIPPED', `Fulfillment ${f.reference} cannot be cancelled: it has shipped (${f.status})`, 'rule', { status: f.status });
  }
  return [event('FulfillmentCancelled', { ...ids(f), reason: command.data.reason, at: command.metadata.now })];
}

function reportFailure(command: ReportFailure, f: Fulfillment): FulfillmentEvent[] {
  // the same failure reported again changes nothing
  if (f.status === 'RECYCLED' || f.status === 'FAILED') return [];
  if (f.status !== 'PENDING') return refuse(f, 'fail');
  const attempt = f.exportAttempts;
  const final = attempt >= MAX_EXPORT_ATTEMPTS;
  const failed = event('FulfillmentFailed', { ...ids(f), reason: command.data.reason, attempt, final, at: command.data.at });
  return final ? [failed] : [failed, event('FulfillmentRecycled', { ...ids(f), at: command.metadata.now })];
}

function reship(f: Fulfillment, now: string): FulfillmentEvent[] {
  if (f.status === 'HOLD' || f.status === 'RECYCLED') {
    throw new DomainError('RESHIP_BEFORE_EXPORT', `Fulfillment ${f.reference} has not reached the fulfillment house: it cannot be reshipped yet`, 'rule', { status: f.status });
  }
  if (!AT_HOUSE_STATUSES.includes(f.status)) return refuse(f, 'reship');
  const next = reshipFulfillmentId(f.fulfillmentId, f.reships.length + 1);
  return [event('FulfillmentReshipped', { ...ids(f), reshipFulfillmentId: next, reshipReference: next, at: now })];
}

function codOf(f: Fulfillment) {
  if (!f.cod) throw new DomainError('NOT_COD', `Fulfillment ${f.reference} is not a cash-on-delivery order`);
  return f.cod;
}

/** An agent's date (YYYY-MM-DD or a date-time) as a date-time. */
const asDateTime = (date: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00.000Z` : date);

function markCodPaid(command: MarkCodPaid, f: Fulfillment): FulfillmentEvent[] {
  const cod = codOf(f);
  const d = command.data;
  if (cod.status === 'PAID') {
    if (cod.deliveryConfirmation === d.deliveryConfirmation) return [];
    throw new DomainError('COD_ALREADY_PAID', `COD of fulfillment ${f.reference} is already marked paid (${cod.deliveryConfirmation})`);
  }
  if (f.status !== 'PENDING' && f.status !== 'SHIPPED' && f.status !== 'DELIVERED') return refuse(f, 'mark COD paid on');
  const paid = event('CodMarkedPaid', { ...ids(f), deliveryConfirmation: d.deliveryConfirmation, date: d.date });
  return f.status === 'DELIVERED' ? [paid] : [paid, event('FulfillmentDelivered', { ...ids(f), deliveredAt: asDateTime(d.date) })];
}

function markCodUndelivered(command: MarkCodUndelivered, f: Fulfillment): FulfillmentEvent[] {
  const cod = codOf(f);
  if (cod.status === 'PAID') throw new DomainError('COD_ALREADY_PAID', `COD of fulfillment ${f.reference} is already marked paid`);
  if (f.status !== 'PENDING' && f.status !== 'SHIPPED') return refuse(f, 'mark COD undelivered on');
  const status = command.data.status;
  const undelivered = event('CodMarkedUndelivered', { ...ids(f), status });
  if (status !== 'DECLINED') return [undelivered];
  return [undelivered, event('FulfillmentCancelled', { ...ids(f), reason: 'COD delivery declined by the customer', at: command.metadata.now })];
}
