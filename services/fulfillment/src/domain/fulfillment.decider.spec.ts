import { spec } from '@continuum/testing';
import {
  CancelFulfillment,
  CancelIfUnshipped,
  CreateFulfillment,
  DeliverFulfillment,
  ExportFulfillment,
  IssueRma,
  MarkCodPaid,
  MarkCodUndelivered,
  ReportFailure,
  ReshipFulfillment,
  ReturnFulfillment,
  ShipFulfillment,
} from './fulfillment.commands';
import { fulfillmentDecider } from './fulfillment.decider';
import { LATER, NOW, austin, cancelled, codCreated, command, created, delivered, event, exported, facts, failed, items, recycled, shipped } from './fulfillment.fixtures';

const decider = spec(fulfillmentDecider);

const create = (extra: Partial<CreateFulfillment['data']> = {}) =>
  command<CreateFulfillment>('CreateFulfillment', {
    fulfillmentId: 'o-1-F1',
    orderId: 'o-1',
    customerId: 'c-1',
    reference: 'o-1-F1',
    items,
    shippingAddress: austin,
    shippingMethod: 'STANDARD',
    cod: null,
    reshipOf: null,
    ...extra,
  });
const exportIt = (extra: Partial<ExportFulfillment['data']> = {}) => command<ExportFulfillment>('ExportFulfillment', { ...facts, ...extra });
const ship = (trackingNumber = '1Z999', carrier: string | null = 'UPS') => command<ShipFulfillment>('ShipFulfillment', { trackingNumber, carrier, shippedAt: LATER });
const deliver = () => command<DeliverFulfillment>('DeliverFulfillment', { deliveredAt: LATER });
const rma = (rmaNumber = 'RMA-7') => command<IssueRma>('IssueRma', { rmaNumber });
const returnIt = () => command<ReturnFulfillment>('ReturnFulfillment', { returnedAt: LATER, reason: null });
const cancel = (reason = 'customer asked') => command<CancelFulfillment>('CancelFulfillment', { reason });
const cancelIfUnshipped = (reason = 'customer asked') => command<CancelIfUnshipped>('CancelIfUnshipped', { reason });
const fail = (reason = 'address unknown') => command<ReportFailure>('ReportFailure', { reason, at: LATER });
const reship = () => command<ReshipFulfillment>('ReshipFulfillment', {});
const codPaid = (deliveryConfirmation = 'DC-1') => command<MarkCodPaid>('MarkCodPaid', { deliveryConfirmation, date: '2026-03-05' });
const codUndelivered = (status: MarkCodUndelivered['data']['status']) => command<MarkCodUndelivered>('MarkCodUndelivered', { status });

describe('fulfillment decider: HOLD -> PENDING -> SHIPPED -> DELIVERED', () => {
  it('creates a fulfillment in HOLD', () => {
    const [event] = decider.given([]).when(create()).then([created()]);
    expect(fulfillmentDecider.evolve(fulfillmentDecider.initialState(), event)).toMatchObject({ status: 'HOLD', reference: 'o-1-F1' });
  });

  it('a second create of the same fulfillment changes nothing', () => {
    decider.given([created()]).when(create()).then([]);
  });

  it('refuses a fulfillment with nothing to ship', () => {
    decider.given([]).when(create({ items: [] })).thenThrows('NO_ITEMS', 'rule');
  });

  it('exports a HOLD fulfillment with the request the house receives: PENDING', () => {
    const given = decider.given([created()]);
    given.when(exportIt()).then([exported(1)]);
    expect(fulfillmentDecider.evolve(given.state, exported(1))).toMatchObject({ status: 'PENDING', exportAttempts: 1 });
  });

  it('a COD export tells the house what to collect', () => {
    decider.given([codCreated()]).when(exportIt()).then([exported(1, { cod: { amount: 3000, currency: 'USD' } })]);
  });

  it("ships to the customer's address when the order named none", () => {
    const other = { ...austin, line1: '9 Elm St' };
    decider.given([created({ shippingAddress: null })]).when(exportIt({ customerAddress: other })).then([
      exported(1, { shipTo: { name: 'Ann Lee', address: other } }),
    ]);
  });

  it('stays HOLD while the ship-to name or address is unknown', () => {
    decider.given([created({ shippingAddress: null })]).when(exportIt()).thenThrows('SHIP_TO_UNKNOWN');
    decider.given([created()]).when(exportIt({ shipToName: null })).thenThrows('SHIP_TO_UNKNOWN');
  });

  it('never exports an order waiting in QA', () => {
    decider.given([created()]).when(exportIt({ orderInQa: true })).thenThrows('ORDER_IN_QA', 'rule');
  });

  it('never exports an order paid with a test card on a live gateway: it stays HOLD', () => {
    decider.given([created()]).when(exportIt({ testCardOnLiveGateway: true })).thenThrows('TEST_CARD_ON_LIVE_GATEWAY', 'rule');
  });

  it('exports once: a second export (an overlapping run) is refused', () => {
    decider.given([created(), exported()]).when(exportIt()).thenThrows('ALREADY_PENDING', 'rule');
  });

  it('ships a PENDING fulfillment with tracking and carrier', () => {
    decider.given([created(), exported()]).when(ship()).then([shipped()]);
  });

  it('the same SHIPPED again changes nothing; a new tracking number corrects it', () => {
    decider.given([created(), exported(), shipped()]).when(ship()).then([]);
    decider.given([created(), exported(), shipped()]).when(ship('1Z000')).then([shipped('1Z000')]);
  });

  it('delivers a shipped fulfillment; the same delivery again changes nothing', () => {
    decider.given([created(), exported(), shipped()]).when(deliver()).then([delivered()]);
    decider.given([created(), exported(), shipped(), delivered()]).when(deliver()).then([]);
  });

  it('DELIVERED before SHIPPED is applied; the late SHIPPED adds the tracking and keeps DELIVERED', () => {
    decider.given([created(), exported()]).when(deliver()).then([delivered()]);
    const late = decider.given([created(), exported(), delivered()]);
    late.when(ship()).then([shipped()]);
    expect(fulfillmentDecider.evolve(late.state, shipped())).toMatchObject({ status: 'DELIVERED', trackingNumber: '1Z999' });
    decider.given([created(), exported(), delivered(), shipped()]).when(ship()).then([]);
    decider.given([created(), exported(), delivered(), shipped()]).when(ship('OTHER')).thenThrows('ALREADY_DELIVERED');
  });

  it('refuses to ship or deliver what was never sent', () => {
    decider.given([created()]).when(ship()).thenThrows('NOT_EXPORTED', 'rule');
    decider.given([created()]).when(deliver()).thenThrows('NOT_EXPORTED', 'rule');
  });

  it('refuses to ship a cancelled fulfillment (422)', () => {
    decider.given([created(), cancelled()]).when(ship()).thenThrows('FULFILLMENT_CANCELLED', 'rule');
    decider.given([created(), exported(), cancelled()]).when(deliver()).thenThrows('FULFILLMENT_CANCELLED', 'rule');
  });

  it('a shipment, delivery or return reported without a time is timed when it is decided', () => {
    const untimed = command<ShipFulfillment>('ShipFulfillment', { trackingNumber: '1Z999', carrier: 'UPS', shippedAt: null });
    decider.given([created(), exported()]).when(untimed).then([event('FulfillmentShipped', { trackingNumber: '1Z999', carrier: 'UPS', shippedAt: NOW })]);
    decider
      .given([created(), exported(), shipped()])
      .when(command<DeliverFulfillment>('DeliverFulfillment', { deliveredAt: null }))
      .then([delivered(NOW)]);
    decider
      .given([created(), exported(), shipped()])
      .when(command<ReturnFulfillment>('ReturnFulfillment', { returnedAt: null, reason: null }))
      .then([event('FulfillmentReturned', { returnedAt: NOW, reason: null })]);
  });

  it('a SHIPPED for a COD fulfillment the customer declined is refused, even with the tracking it shipped with', () => {
    const declined = [codCreated(), exported(), shipped(), event('CodMarkedUndelivered', { status: 'DECLINED' }), cancelled('COD delivery declined by the customer')];
    decider.given(declined).when(ship()).thenThrows('FULFILLMENT_CANCELLED', 'rule');
  });

  it('an unknown fulfillment is not found', () => {
    decider.given([]).when(ship()).thenThrows('FULFILLMENT_NOT_FOUND', 'not-found');
  });
});

describe('fulfillment decider: RMA and returns', () => {
  it('authorises a return of a shipped or delivered fulfillment: RMA_PENDING, then RETURNED', () => {
    decider.given([created(), exported(), shipped(), delivered()]).when(rma()).then([event('FulfillmentRmaIssued', { rmaNumber: 'RMA-7', at: NOW })]);
    decider
      .given([created(), exported(), shipped(), delivered(), event('FulfillmentRmaIssued', { rmaNumber: 'RMA-7', at: NOW })])
      .when(returnIt())
      .then([event('FulfillmentReturned', { returnedAt: LATER, reason: null })]);
  });

  it('the same RMA or return again changes nothing', () => {
    decider.given([created(), exported(), shipped(), event('FulfillmentRmaIssued', { rmaNumber: 'RMA-7', at: NOW })]).when(rma()).then([]);
    decider.given([created(), exported(), shipped(), event('FulfillmentReturned', { returnedAt: LATER, reason: null })]).when(returnIt()).then([]);
  });

  it('a house may report a return without an RMA', () => {
    decider.given([created(), exported(), shipped()]).when(returnIt()).then([event('FulfillmentReturned', { returnedAt: LATER, reason: null })]);
  });

  it('refuses a second RMA with another number, and an RMA of what came back', () => {
    const rmaIssued = event('FulfillmentRmaIssued', { rmaNumber: 'RMA-7', at: NOW });
    decider.given([created(), exported(), shipped(), rmaIssued]).when(rma('RMA-8')).thenThrows('ALREADY_RMA_PENDING', 'rule');
    decider.given([created(), exported(), shipped(), event('FulfillmentReturned', { returnedAt: LATER, reason: null })]).when(rma()).thenThrows('ALREADY_RETURNED', 'rule');
  });

  it('refuses an RMA or a return of what never shipped', () => {
    decider.given([created(), exported()]).when(rma()).thenThrows('NOT_SHIPPED');
    decider.given([created()]).when(returnIt()).thenThrows('NOT_SHIPPED');
    decider.given([created(), cancelled()]).when(returnIt()).thenThrows('NOT_SHIPPED');
  });
});

describe('fulfillment decider: cancel', () => {
  const houseAsked = (reason = 'customer asked') => event('FulfillmentCancelled', { reason, at: NOW, houseCancel: { reference: 'o-1-F1' } });

  it('cancels before shipping (HOLD or PENDING); one the house holds (PENDING) asks the house to cancel its reference', () => {
    decider.given([created()]).when(cancel()).then([cancelled()]);
    decider.given([created(), exported()]).when(cancel()).then([houseAsked()]);
  });

  it('never after shipping', () => {
    decider.given([created(), exported(), shipped()]).when(cancel()).thenThrows('ALREADY_SHIPPED', 'rule');
    decider.given([created(), exported(), shipped(), delivered()]).when(cancel()).thenThrows('ALREADY_SHIPPED', 'rule');
  });

  it('cancelling again changes nothing', () => {
    decider.given([created(), cancelled()]).when(cancel()).then([]);
  });

  it("an order's cancel cancels a fulfillment that has not shipped (HOLD, PENDING, RECYCLED, FAILED)", () => {
    decider.given([created()]).when(cancelIfUnshipped()).then([cancelled()]);
    decider.given([created(), exported()]).when(cancelIfUnshipped()).then([houseAsked()]);
    decider.given([created(), exported(1), failed(1, false), recycled()]).when(cancelIfUnshipped()).then([cancelled()]);
    decider.given([created(), exported(1), failed(1, false), recycled(), exported(2), failed(2, true)]).when(cancelIfUnshipped()).then([cancelled()]);
  });

  it("an order's cancel leaves a fulfillment that shipped before it arrived as it is, without an error", () => {
    decider.given([created(), exported(), shipped()]).when(cancelIfUnshipped()).then([]);
    decider.given([created(), exported(), shipped(), delivered()]).when(cancelIfUnshipped()).then([]);
    decider.given([created(), exported(), shipped(), event('FulfillmentReturned', { returnedAt: LATER, reason: null })]).when(cancelIfUnshipped()).then([]);
    decider.given([created(), cancelled()]).when(cancelIfUnshipped()).then([]);
  });

  it("an agent's cancel of a shipped fulfillment names its status in the error's details", () => {
    const error = decider.given([created(), exported(), shipped()]).when(cancel()).thenThrows('ALREADY_SHIPPED', 'rule');
    expect(error.details).toEqual({ status: 'SHIPPED' });
  });
});

describe('fulfillment decider: FAILED -> RECYCLED (one automatic resend) -> PENDING, or FAILED for good', () => {
  it('a first failure recycles it for one automatic resend', () => {
    const given = decider.given([created(), exported()]);
    given.when(fail()).then([failed(1, false), recycled()]);
    expect([failed(1, false), recycled()].reduce(fulfillmentDecider.evolve, given.state)).toMatchObject({ status: 'RECYCLED' });
  });

  it('the next export run resends a RECYCLED fulfillment as attempt 2: PENDING', () => {
    decider.given([created(), exported(1), failed(1, false), recycled()]).when(exportIt()).then([exported(2)]);
  });

  it('a failure of the resend is final: FAILED for good', () => {
    const history = [created(), exported(1), failed(1, false), recycled(), exported(2)];
    decider.given(history).when(fail()).then([failed(2, true)]);
    decider.given([...history, failed(2, true)]).when(exportIt()).thenThrows('FULFILLMENT_FAILED');
  });

  it('the same failure reported twice changes nothing', () => {
    decider.given([created(), exported(1), failed(1, false), recycled()]).when(fail()).then([]);
  });

  it('refuses a failure of what was never sent or already shipped', () => {
    decider.given([created()]).when(fail()).thenThrows('NOT_EXPORTED');
    decider.given([created(), exported(), shipped()]).when(fail()).thenThrows('ALREADY_SHIPPED');
  });
});

describe('fulfillment decider: reship', () => {
  const reshipped = (n: number) => event('FulfillmentReshipped', { reshipFulfillmentId: `o-1-F1-R${n}`, reshipReference: `o-1-F1-R${n}`, at: NOW });

  it('reships a fulfillment that reached the house under the reference with suffix -R1, then -R2', () => {
    decider.given([created(), exported(), shipped()]).when(reship()).then([reshipped(1)]);
    decider.given([created(), exported(), shipped(), reshipped(1)]).when(reship()).then([reshipped(2)]);
    decider.given([created(), exported(), shipped(), event('FulfillmentReturned', { returnedAt: LATER, reason: null })]).when(reship()).then([reshipped(1)]);
  });

  it('refuses a reship before export', () => {
    decider.given([created()]).when(reship()).thenThrows('RESHIP_BEFORE_EXPORT', 'rule');
    decider.given([created(), exported(1), failed(1, false), recycled()]).when(reship()).thenThrows('RESHIP_BEFORE_EXPORT', 'rule');
  });

  it('refuses a reship of a cancelled fulfillment', () => {
    decider.given([created(), exported(), cancelled()]).when(reship()).thenThrows('FULFILLMENT_CANCELLED');
  });
});

describe('fulfillment decider: cash on delivery', () => {
  const codPaidEvent = event('CodMarkedPaid', { deliveryConfirmation: 'DC-1', date: '2026-03-05' });

  it('Mark COD Paid: DELIVERED with the delivery confirmation (payments records SUCCESS from CodMarkedPaid)', () => {
    decider.given([codCreated(), exported(1, { cod: { amount: 3000, currency: 'USD' } }), shipped()]).when(codPaid()).then([
      codPaidEvent,
      event('FulfillmentDelivered', { deliveredAt: '2026-03-05T00:00:00.000Z' }),
    ]);
  });

  it('after a house DELIVERED, Mark COD Paid records only the payment; twice changes nothing; another confirmation is refused', () => {
    const history = [codCreated(), exported(), shipped(), delivered()];
    decider.given(history).when(codPaid()).then([codPaidEvent]);
    decider.given([...history, codPaidEvent]).when(codPaid()).then([]);
    decider.given([...history, codPaidEvent]).when(codPaid('DC-2')).thenThrows('COD_ALREADY_PAID');
  });

  it('reattempt or pickup: the fulfillment stays pending (payments records a soft decline)', () => {
    for (const status of ['SCHEDULED_FOR_REATTEMPT', 'SCHEDULED_FOR_PICKUP'] as const) {
      const given = decider.given([codCreated(), exported(), shipped()]);
      given.when(codUndelivered(status)).then([event('CodMarkedUndelivered', { status })]);
      expect(fulfillmentDecider.evolve(given.state, event('CodMarkedUndelivered', { status }))).toMatchObject({ status: 'SHIPPED', cod: { status } });
    }
  });

  it('declined: the fulfillment is CANCELLED (payments records a hard decline, orders DECLINED)', () => {
    decider.given([codCreated(), exported(), shipped()]).when(codUndelivered('DECLINED')).then([
      event('CodMarkedUndelivered', { status: 'DECLINED' }),
      event('FulfillmentCancelled', { reason: 'COD delivery declined by the customer', at: NOW }),
    ]);
  });

  it('refuses COD actions on a fulfillment that is not COD, has not shipped yet, or is already settled', () => {
    decider.given([created(), exported()]).when(codPaid()).thenThrows('NOT_COD');
    decider.given([codCreated()]).when(codPaid()).thenThrows('NOT_SHIPPED', 'rule');
    decider.given([codCreated()]).when(codUndelivered('DECLINED')).thenThrows('NOT_SHIPPED', 'rule');
    decider.given([codCreated(), exported()]).when(codPaid()).thenThrows('NOT_SHIPPED', 'rule');
    decider.given([codCreated(), exported()]).when(codUndelivered('SCHEDULED_FOR_REATTEMPT')).thenThrows('NOT_SHIPPED', 'rule');
    decider.given([codCreated(), exported(), event('CodMarkedPaid', { deliveryConfirmation: 'DC-1', date: '2026-03-05' })]).when(codUndelivered('DECLINED')).thenThrows('COD_ALREADY_PAID');
    decider
      .given([codCreated(), exported(), event('CodMarkedUndelivered', { status: 'DECLINED' }), cancelled('COD delivery declined by the customer')])
      .when(codPaid())
      .thenThrows('FULFILLMENT_CANCELLED');
  });
});
