import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { devKeys, eventEnvelope, eventually, mailsTo, newCustomer, republished, testAddress as address } from '@continuum/testing';
import { derivedId } from '@continuum/platform';
import { intakeSeed } from '../src/messaging/intake-seed';
import { useOrdersService, visa } from './orders-harness';

jest.setTimeout(90_000);

describe('orders reactions and intake over Kafka (real stack)', () => {
  const t = useOrdersService();
  let campaignId: string;
  let productId: string;

  beforeAll(async () => {
    ({ campaignId, productIds: [productId] } = await t.createCampaign('Kafka campaign', [{ sku: 'K-1', name: 'One', price: 2500, shippingPrice: 500, billingType: 'STRAIGHT' }]));
  });

  const place = async (body: Record<string, unknown>) =>
    (await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], ...body }).expect(201)).body as {
      orderId: string;
      customerId: string;
      status: string;
    };
  const statusOf = async (orderId: string) => (await t.http.get(`/orders/${orderId}`).expect(200)).body.status as string;
  /** The order's commits, less the record of its confirmation email, which the order-emails consumer appends in its own time. */
  const orderCommits = async (orderId: string) => (await t.commits({ streamId: `order-${orderId}` })).filter((commit) => commit.events[0]?.type !== 'OrderConfirmationEmailSent');
  /** Adds one unit of the campaign's product to the order as an upsell; answers its order item id. */
  const addUpsell = async (orderId: string) =>
    (await t.http.post(`/orders/${orderId}/upsells`, { productId, quantity: 1 }, devKeys.service).expect(201)).body.orderItemId as string;
  const becomes = (orderId: string, status: string) => eventually(async () => (await statusOf(orderId)) === status, `order ${orderId} ${status}`);

  // the card on payments' events is the vault token orders sent; these specs play payments, any token does
  const card = { token: 'tok_played-by-the-spec-0001', brand: 'VISA', last4: '1111', bin: '411111' };
  const charge = (order: { orderId: string; customerId: string }, transactionId: string = randomUUID()) => ({
    transactionId,
    orderId: order.orderId,
    customerId: order.customerId,
    type: 'SALE',
    amount: 3000,
    currency: 'USD',
    card,
    merchantId: 'm-1',
    gatewayTransactionId: null,
    message: 'test gateway',
    rerunOf: null,
    at: new Date().toISOString(),
    purpose: 'ORDER',
  });
  const approved = (order: { orderId: string; customerId: string }, transactionId?: string, extra: Record<string, unknown> = {}) => {
    const data = { ...charge(order, transactionId), response: 'SUCCESS', prepaid: false, ...extra };
    return eventEnvelope('PaymentApproved', `transaction-${data.transactionId}`, data);
  };
  /** The charge of one upsell item, as payments names and marks it. */
  const upsell = (order: { orderId: string }, orderItemId = `item-${randomUUID().slice(0, 8)}`) => ({
    transactionId: `${order.orderId}-upsell-${orderItemId}`,
    purpose: 'UPSELL',
    orderItemId,
  });
  const declined = (order: { orderId: string; customerId: string }, response: 'SOFT_DECLINE' | 'HARD_DECLINE', extra: Record<string, unknown> = {}) => {
    const data = { ...charge(order, extra.transactionId as string | undefined), response, ...extra };
    return eventEnvelope('PaymentDeclined', `transaction-${data.transactionId}`, data);
  };

  /** Everything the payments topic carried before this marker was handled (one partition), dead letters included. */
  const paymentsDrained = () => t.probe.drain(Topics.paymentsEvents);

  it('holds a $0 EXTERNAL order in PENDING once the external payment is recorded; approving QA completes it', async () => {
    const order = await place({ paymentType: 'EXTERNAL', items: [{ productId, quantity: 1, unitPrice: 0 }] });
    expect(order.status).toBe('PROCESSING');
    const transactionId = randomUUID();
    const recorded = eventEnvelope('ExternalPaymentRecorded', `transaction-${transactionId}`, {
      transactionId,
      orderId: order.orderId,
      customerId: order.customerId,
      amount: 0,
      currency: 'USD',
      at: new Date().toISOString(),
    });
    await t.probe.publishEnvelope(Topics.paymentsEvents, recorded);
    await becomes(order.orderId, 'PENDING');
    const qa = await t.http.post(`/orders/${order.orderId}/qa`, { action: 'APPROVE' }).expect(200);
    expect(qa.body.status).toBe('COMPLETE');
    const [, sentToQa] = await t.commits({ streamId: `order-${order.orderId}` });
    expect(sentToQa).toMatchObject({ correlationId: recorded.correlationId, causationId: recorded.eventId, actor: recorded.actor, events: [{ type: 'OrderSentToQa' }] });
  });

  it('completes a card order on PaymentApproved; an upsell approval is ignored and an approval after cancel asks for a reversal, neither dead-lettered', async () => {
    const order = await place({ paymentType: 'CARD', card: visa });
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order));
    await becomes(order.orderId, 'COMPLETE');

    const upsellCharge = approved(order, undefined, upsell(order));
    await t.probe.publishEnvelope(Topics.paymentsEvents, upsellCharge);
    const cancelledOrder = await place({ paymentType: 'CARD', card: visa });
    await t.http.post(`/orders/${cancelledOrder.orderId}/cancel`, { reason: 'changed mind' }).expect(200);
    const late = approved(cancelledOrder);
    await t.probe.publishEnvelope(Topics.paymentsEvents, late);
    await paymentsDrained();

    expect(t.probe.deadLetters.filter((d) => d.key === upsellCharge.streamId || d.key === late.streamId)).toEqual([]);
    expect(await statusOf(order.orderId)).toBe('COMPLETE');
    expect(await statusOf(cancelledOrder.orderId)).toBe('CANCELLED');
    expect(await orderCommits(order.orderId)).toHaveLength(2);
    // the late approval took money for a cancelled order: payments is asked to give that charge back
    const [, , reversal] = await t.commits({ streamId: `order-${cancelledOrder.orderId}` });
    expect(reversal).toMatchObject({
      causationId: late.eventId,
      events: [{ type: 'OrderPaymentReversalRequested', data: { orderId: cancelledOrder.orderId, transactionId: late.data.transactionId, amount: 3000, currency: 'USD' } }],
    });
  });

  it('takes a declined upsell off the order (item and total), once; an approved upsell records nothing', async () => {
    const order = await place({ paymentType: 'CARD', card: visa });
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order, `${order.orderId}-charge-1`));
    await becomes(order.orderId, 'COMPLETE');
    const kept = await addUpsell(order.orderId);
    const dropped = await addUpsell(order.orderId);
    const before = (await t.http.get(`/orders/${order.orderId}`).expect(200)).body;
    expect(before.totals.total).toBe(3 * 3000);

    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order, undefined, upsell(order, kept)));
    const decline = declined(order, 'HARD_DECLINE', upsell(order, dropped));
    await t.probe.publishEnvelope(Topics.paymentsEvents, decline);
    const after = await eventually(async () => {
      const body = (await t.http.get(`/orders/${order.orderId}`).expect(200)).body;
      return body.items.length === 2 ? body : null;
    }, 'the declined upsell removed');
    expect(after.items.map((i: { orderItemId: string }) => i.orderItemId)).toEqual([before.items[0].orderItemId, kept]);
    expect(after.totals).toMatchObject({ subtotal: 2 * 2500, shipping: 2 * 500, total: 2 * 3000, refunded: 0 });
    expect(after.status).toBe('COMPLETE');

    // payments publishing the same outcome again (a new event id) takes nothing more off
    await t.probe.publishEnvelope(Topics.paymentsEvents, republished(decline));
    await paymentsDrained();
    expect(t.probe.deadLetters.filter((d) => d.key === decline.streamId)).toEqual([]);
    const commits = await orderCommits(order.orderId);
    expect(commits.map((c) => c.events[0]?.type)).toEqual(['OrderPlaced', 'OrderCompleted', 'UpsellAdded', 'UpsellAdded', 'UpsellDeclined']);
    expect(commits[4]).toMatchObject({
      causationId: decline.eventId,
      events: [{ data: { orderItemId: dropped, transactionId: decline.data.transactionId, amount: 3000, newTotals: { total: 2 * 3000 } } }],
    });
    expect((await t.http.get(`/orders/${order.orderId}`).expect(200)).body.totals.total).toBe(2 * 3000);
  });

  it('asks payments to reverse an upsell charge approved for a declined item or after cancel, once each, leaving the status', async () => {
    const order = await place({ paymentType: 'CARD', card: visa });
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order, `${order.orderId}-charge-1`));
    await becomes(order.orderId, 'COMPLETE');
    const shipped = await addUpsell(order.orderId);
    const dropped = await addUpsell(order.orderId);
    const stream = `order-${order.orderId}`;
    const reversalsOf = async () =>
      (await t.commits({ streamId: stream })).filter((c) => c.events[0]?.type === 'OrderPaymentReversalRequested');

    // the item was taken off after its decline, then its charge is approved anyway: nothing ships for that money
    await t.probe.publishEnvelope(Topics.paymentsEvents, declined(order, 'HARD_DECLINE', upsell(order, dropped)));
    const lateForDropped = approved(order, undefined, { ...upsell(order, dropped), amount: 3000 });
    await t.probe.publishEnvelope(Topics.paymentsEvents, lateForDropped);
    await eventually(async () => (await reversalsOf()).length === 1, 'the reversal of the dropped upsell');
    expect(await statusOf(order.orderId)).toBe('COMPLETE');

    await t.http.post(`/orders/${order.orderId}/cancel`, { reason: 'changed mind' }).expect(200);
    const afterCancel = approved(order, undefined, { ...upsell(order, shipped), amount: 3000 });
    await t.probe.publishEnvelope(Topics.paymentsEvents, afterCancel);
    await eventually(async () => (await reversalsOf()).length === 2, 'the reversal of the upsell approved after cancel');

    // payments publishing both approvals again (new event ids) asks for nothing more
    for (const again of [lateForDropped, afterCancel]) await t.probe.publishEnvelope(Topics.paymentsEvents, republished(again));
    await paymentsDrained();
    expect(t.probe.deadLetters.filter((d) => d.key === lateForDropped.streamId || d.key === afterCancel.streamId)).toEqual([]);
    expect(await statusOf(order.orderId)).toBe('CANCELLED');
    const reversals = await reversalsOf();
    expect(reversals).toHaveLength(2);
    expect(reversals[0]).toMatchObject({
      causationId: lateForDropped.eventId,
      events: [{ data: { orderId: order.orderId, transactionId: lateForDropped.data.transactionId, amount: 3000, currency: 'USD' } }],
    });
    expect(reversals[1]).toMatchObject({
      causationId: afterCancel.eventId,
      events: [{ data: { orderId: order.orderId, transactionId: afterCancel.data.transactionId, amount: 3000, currency: 'USD' } }],
    });
  });

  it('refuses QA approval of a fully refunded order (422, decline it instead); a partly refunded one is approved and stays REFUNDED', async () => {
    const heldAndRefunded = async (amount: number) => {
      const order = await place({ paymentType: 'CARD', card: visa, forceQa: true });
      const transactionId = `${order.orderId}-charge-1`;
      await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order, transactionId));
      await becomes(order.orderId, 'PENDING');
      const refundId = randomUUID();
      await t.probe.publishEnvelope(
        Topics.paymentsEvents,
        eventEnvelope('RefundSucceeded', `transaction-${transactionId}`, {
          transactionId,
          orderId: order.orderId,
          customerId: order.customerId,
          refundId,
          amount,
          currency: 'USD',
          attempt: 1,
          gatewayTransactionId: null,
          message: 'test gateway',
          refundedTotal: amount,
          fullyRefunded: amount === 3000,
          autoCancel: false,
          at: new Date().toISOString(),
        }),
      );
      await eventually(async () => (await t.http.get(`/orders/${order.orderId}`).expect(200)).body.totals.refunded === amount, 'the refund recorded');
      return order;
    };

    const fully = await heldAndRefunded(3000);
    const refused = await t.http.post(`/orders/${fully.orderId}/qa`, { action: 'APPROVE' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'ORDER_FULLY_REFUNDED' });
    expect(await statusOf(fully.orderId)).toBe('PENDING');
    const declinedQa = await t.http.post(`/orders/${fully.orderId}/qa`, { action: 'DECLINE' }).expect(200);
    expect(declinedQa.body.status).toBe('DECLINED');

    const partly = await heldAndRefunded(1000);
    const approvedQa = await t.http.post(`/orders/${partly.orderId}/qa`, { action: 'APPROVE' }).expect(200);
    expect(approvedQa.body).toMatchObject({ status: 'REFUNDED', totals: { total: 3000, refunded: 1000 } });
    const list = await t.http.get(`/orders?customerId=${partly.customerId}`).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ orderId: partly.orderId, status: 'REFUNDED' })]);
  });

  it('never takes an upsell outcome that arrives first for the payment of a PROCESSING order', async () => {
    const order = await place({ paymentType: 'CARD', card: visa });
    expect(order.status).toBe('PROCESSING');
    const upsellApproved = approved(order, undefined, upsell(order));
    const upsellDeclined = declined(order, 'HARD_DECLINE', upsell(order));
    // an upsell approval stored before events carried a purpose: the version 1 reader tells it from the transaction id
    const { purpose: _purpose, orderItemId: _orderItemId, ...v1Data } = approved(order, undefined, upsell(order)).data as Record<string, unknown>;
    const upsellV1 = eventEnvelope('PaymentApproved', `transaction-${v1Data.transactionId}`, v1Data, { version: 1 });
    for (const envelope of [upsellApproved, upsellDeclined, upsellV1]) await t.probe.publishEnvelope(Topics.paymentsEvents, envelope);
    await paymentsDrained();

    expect(t.probe.deadLetters.filter((d) => [upsellApproved, upsellDeclined, upsellV1].some((e) => e.streamId === d.key))).toEqual([]);
    expect(await statusOf(order.orderId)).toBe('PROCESSING');
    expect(await t.commits({ streamId: `order-${order.orderId}` })).toHaveLength(1);

    // the order's own charge still completes it
    const own = approved(order, `${order.orderId}-charge-1`);
    await t.probe.publishEnvelope(Topics.paymentsEvents, own);
    await becomes(order.orderId, 'COMPLETE');
    const [, paid] = await t.commits({ streamId: `order-${order.orderId}` });
    expect(paid.causationId).toBe(own.eventId);
  });

  it('declines on a hard decline (no rerun) and reruns a soft decline to COMPLETE', async () => {
    const hard = await place({ paymentType: 'CARD', card: visa });
    await t.probe.publishEnvelope(Topics.paymentsEvents, declined(hard, 'HARD_DECLINE'));
    await becomes(hard.orderId, 'DECLINED');
    const refused = await t.http.post(`/orders/${hard.orderId}/rerun`, {}).expect(422);
    expect(refused.body.code).toBe('HARD_DECLINE_NEEDS_NEW_PAYMENT');

    const soft = await place({ paymentType: 'CARD', card: visa });
    const softDecline = declined(soft, 'SOFT_DECLINE');
    await t.probe.publishEnvelope(Topics.paymentsEvents, softDecline);
    await becomes(soft.orderId, 'DECLINED');
    const rerun = await t.http.post(`/orders/${soft.orderId}/rerun`, { merchantId: 'm-2' }).expect(200);
    expect(rerun.body.status).toBe('PROCESSING');
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(soft, undefined, { rerunOf: softDecline.data.transactionId, purpose: 'RERUN' }));
    await becomes(soft.orderId, 'COMPLETE');
  });

  it('turns an intake PlaceOrder message into an order, a duplicate into nothing and garbage into a dead letter', async () => {
    const clientOrderId = `lander-${randomUUID()}`;
    const message = { type: 'PlaceOrder', clientOrderId, campaignId, customer: newCustomer(), items: [{ productId, quantity: 2 }], paymentType: 'EXTERNAL' };
    // no source: the clientOrderId is scoped to `intake`
    const orderId = derivedId(`order:${intakeSeed(undefined, clientOrderId)}`);
    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
    const order = await eventually(async () => {
      const res = await t.http.get(`/orders/${orderId}`);
      return res.status === 200 ? res.body : null;
    }, 'the intake order');
    expect(order).toMatchObject({ status: 'PROCESSING', clientOrderId, items: [{ quantity: 2 }] });
    const [placed] = await t.commits({ streamId: `order-${orderId}` });
    expect(placed.actor).toEqual({ kind: 'service', id: 'intake' });

    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
    const garbageKey = `garbage-${randomUUID()}`;
    await t.probe.publishRaw(Topics.ordersIntake, garbageKey, '{"type":"PlaceOrder","clientOrderId":');
    const invalidKey = `invalid-${randomUUID()}`;
    await t.probe.publishRaw(Topics.ordersIntake, invalidKey, JSON.stringify({ ...message, clientOrderId: invalidKey, items: [] }));
    const garbage = await t.probe.waitForDeadLetter((d) => d.key === garbageKey, 'the garbage dead letter');
    expect(JSON.parse(garbage.value)).toMatchObject({ reason: 'invalid-json' });
    const invalid = await t.probe.waitForDeadLetter((d) => d.key === invalidKey, 'the schema-invalid dead letter');
    expect(JSON.parse(invalid.value)).toMatchObject({ reason: 'schema-invalid' });

    // the intake partition handled the repeat before the garbage behind it
    expect(await t.commits({ streamId: `order-${orderId}` })).toHaveLength(1);
    expect(await t.commits({ 'events.type': 'CustomerRegistered', 'events.data.email': message.customer.email })).toHaveLength(1);
    expect(t.probe.deadLetters.filter((d) => d.key === clientOrderId)).toEqual([]);
  });

  it('scopes an intake clientOrderId by its source: two services reusing one get two orders, each once', async () => {
    const clientOrderId = `shared-${randomUUID()}`;
    const message = (source: string) => ({ type: 'PlaceOrder', source, clientOrderId, campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL' });
    const lander = message('lander');
    const checkout = message('checkout');
    for (const m of [lander, checkout, lander]) await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(m));
    const orderOf = (source: string) => derivedId(`order:${intakeSeed(source, clientOrderId)}`);
    for (const source of ['lander', 'checkout']) {
      await eventually(async () => (await t.http.get(`/orders/${orderOf(source)}`)).status === 200, `the ${source} order`);
    }
    // the repeat of lander's message sits behind checkout's on the partition; a marker proves it was handled
    await t.probe.drain(Topics.ordersIntake);
    const placed = await t.commits({ 'events.type': 'OrderPlaced', 'events.data.clientOrderId': clientOrderId });
    expect(placed.map((c) => [c.streamId, c.actor]).sort()).toEqual(
      [
        [`order-${orderOf('checkout')}`, { kind: 'service', id: 'checkout' }],
        [`order-${orderOf('lander')}`, { kind: 'service', id: 'lander' }],
      ].sort(),
    );
    expect(t.probe.deadLetters.filter((d) => d.key === clientOrderId)).toEqual([]);
  });

  it('places an intake CARD order with the token the publisher got from the vault, on the token and never a number', async () => {
    const token = await t.tokenise();
    const clientOrderId = `lander-${randomUUID()}`;
    const message = { type: 'PlaceOrder', source: 'lander', clientOrderId, campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: token };
    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
    const orderId = derivedId(`order:${intakeSeed('lander', clientOrderId)}`);
    const order = await eventually(async () => {
      const res = await t.http.get(`/orders/${orderId}`);
      return res.status === 200 ? res.body : null;
    }, 'the intake card order');
    expect(order).toMatchObject({ paymentType: 'CARD', card: { brand: 'VISA', last4: '1111' } });
    const [placed] = await t.commits({ streamId: `order-${orderId}` });
    expect(placed!.events[0]!.data).toMatchObject({ card: { token: token.token, brand: 'VISA', last4: '1111', bin: '411111' } });
  });

  it('refuses an intake message that carries a card number to the DLQ, with a reason and original that keep no number or cvv', async () => {
    const clientOrderId = `lander-${randomUUID()}`;
    const raw = { number: '4111111111111111', expMonth: 12, expYear: 2030, cvv: '8604' };
    const message = { type: 'PlaceOrder', clientOrderId, campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: raw };
    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
    const letter = await t.probe.waitForDeadLetter((d) => d.key === clientOrderId, 'the card-number dead letter');
    // the cvv as a value or a word of its own: its four digits may also occur inside the random hex ids the letter names
    expect(letter.value).not.toMatch(/4111111111111111|(?<![\w-])8604(?![\w-])/);
    const parsed = JSON.parse(letter.value);
    expect(parsed).toMatchObject({ reason: 'schema-invalid', error: { message: expect.stringContaining('/card') } });
    expect(JSON.parse(parsed.original)).toMatchObject({ clientOrderId, card: { number: '[REDACTED]', cvv: '[REDACTED]', expMonth: 12 } });
    expect(await t.commits({ 'events.data.clientOrderId': clientOrderId })).toEqual([]);
  });

  it('dead-letters a blacklisted intake order as rejected, with its reason', async () => {
    const customer = newCustomer();
    await t.http.post('/blacklist', { type: 'EMAIL', value: customer.email }, devKeys.admin).expect(201);
    const clientOrderId = `lander-${randomUUID()}`;
    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify({ type: 'PlaceOrder', clientOrderId, campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL' }));
    const letter = await t.probe.waitForDeadLetter((d) => d.key === clientOrderId, 'the blacklisted dead letter');
    expect(JSON.parse(letter.value)).toMatchObject({ reason: 'rejected', error: { code: 'BLACKLISTED' } });
  });

  it('places a rebill order for RebillRequested on the original card, once per billing cycle', async () => {
    const original = await place({ paymentType: 'CARD', card: visa, shippingAddress: address });
    const purchaseId = randomUUID();
    const request = eventEnvelope('RebillRequested', `purchase-${purchaseId}`, {
      purchaseId,
      customerId: original.customerId,
      originalOrderId: original.orderId,
      campaignId,
      productId,
      quantity: 1,
      unitPrice: 1999,
      shippingPrice: 299,
      billingCycle: 2,
    });
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, request);
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, republished(request));
    const rebillId = derivedId(`order:rebill:${purchaseId}:2`);
    const rebill = await eventually(async () => {
      const res = await t.http.get(`/orders/${rebillId}`);
      return res.status === 200 ? res.body : null;
    }, 'the rebill order');
    expect(rebill).toMatchObject({ customerId: original.customerId, paymentType: 'CARD', card: { last4: '1111' }, totals: { subtotal: 1999, shipping: 299, total: 2298 } });
    const [placed] = await t.commits({ streamId: `order-${rebillId}` });
    expect(placed).toMatchObject({ causationId: request.eventId, correlationId: request.correlationId, events: [{ data: { rebill: { purchaseId, billingCycle: 2, originalOrderId: original.orderId } } }] });
    const list = await t.http.get(`/orders?customerId=${original.customerId}`).expect(200);
    expect(list.body.map((o: { orderId: string }) => o.orderId).sort()).toEqual([original.orderId, rebillId].sort());
  });

  it('emails the order confirmation once when the order completes, nothing for the event delivered again, one more per resend; each send is an event', async () => {
    const customer = newCustomer();
    const order = await place({ paymentType: 'CARD', card: visa, customer });
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order));
    const completed = await t.probe.waitForEvent('OrderCompleted', { orderId: order.orderId });
    const sent = await t.probe.waitForEvent('OrderConfirmationEmailSent', { orderId: order.orderId });
    expect(sent).toMatchObject({ causationId: completed.eventId, data: { customerId: order.customerId, to: customer.email, reason: 'ORDER_COMPLETED', causeEventId: completed.eventId } });
    const confirmations = async () => (await mailsTo(customer.email)).filter((mail) => mail.subject.includes(order.orderId));
    expect((await confirmations()).map((mail) => mail.subject)).toEqual([`Your order ${order.orderId} is confirmed`]);

    // OrderCompleted again, as after a crash between publishing and marking it: no second welcome email
    await t.probe.publishEnvelope(Topics.ordersEvents, republished(completed));
    expect((await t.http.post(`/orders/${order.orderId}/resend-email`, { kind: 'REFUND' }).expect(422)).body).toMatchObject({ code: 'NO_REFUND' });
    expect(JSON.stringify((await t.http.post(`/orders/${order.orderId}/resend-email`, { kind: 'SHIPPING' }).expect(400)).body)).toContain('kind');
    expect((await t.http.post(`/orders/${order.orderId}/resend-email`, { kind: 'CONFIRMATION' }).expect(202)).body).toEqual({ orderId: order.orderId, kind: 'CONFIRMATION' });
    const requested = await t.probe.waitForEvent('OrderEmailResendRequested', { orderId: order.orderId });
    expect(requested).toMatchObject({ actor: { kind: 'agent' }, data: { kind: 'CONFIRMATION' } });
    // the resend follows the republished event on the order's partition: once it is recorded, both were handled
    await eventually(() => (t.probe.events('OrderConfirmationEmailSent', { orderId: order.orderId }).length >= 2 ? true : undefined), 'the resend recorded');
    const sends = t.probe.events('OrderConfirmationEmailSent', { orderId: order.orderId });
    expect(sends.map((event) => [(event.data as { reason: string }).reason, (event.data as { causeEventId: string }).causeEventId, event.actor.kind])).toEqual([
      ['ORDER_COMPLETED', completed.eventId, completed.actor.kind],
      ['RESEND_REQUESTED', requested.eventId, 'agent'],
    ]);
    expect(await confirmations()).toHaveLength(2);
  });

  it('waits for a confirmation another instance claimed instead of dead-lettering its event, and sends it once that claim is given back', async () => {
    const customer = newCustomer();
    const order = await place({ paymentType: 'CARD', card: visa, customer });
    // another orders instance claimed the email a moment ago and, as far as this one knows, is sending it
    const sentEmails = t.platform().connection.db!.collection<{ _id: string; claimedAt: Date; claimedBy: string }>('sent_emails');
    const key = `confirmation:${order.orderId}`;
    await sentEmails.insertOne({ _id: key, claimedAt: new Date(), claimedBy: 'another-orders-instance' });
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved(order));
    await t.probe.waitForEvent('OrderCompleted', { orderId: order.orderId });
    // longer than the five attempts (3 s) that used to end in a dead letter
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const confirmations = async () => (await mailsTo(customer.email)).filter((mail) => mail.subject.includes(order.orderId));
    expect(t.probe.events('OrderConfirmationEmailSent', { orderId: order.orderId })).toEqual([]);
    expect(await confirmations()).toEqual([]);
    // that instance's send failed: it gives the claim back, and this one's next try sends the email
    await sentEmails.deleteOne({ _id: key });
    const sent = await t.probe.waitForEvent('OrderConfirmationEmailSent', { orderId: order.orderId });
    expect(sent).toMatchObject({ data: { to: customer.email, reason: 'ORDER_COMPLETED' } });
    expect(await confirmations()).toHaveLength(1);
    expect(t.probe.deadLetters.filter((d) => d.key === `order-${order.orderId}`)).toEqual([]);
  });
});
