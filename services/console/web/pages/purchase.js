// /purchases/:id: the purchase profile (subscriptions `GET /purchases/:id`): its details, every action an
// agent takes on it, its history (what, when, by whom) and its transactions. docs/console.md.
import { useState } from 'preact/hooks';
import { Action, call, day, Field, Heading, html, Link, Loading, money, toMinor, useId, useResource, when } from '../ui.js';

export function PurchasePage({ purchaseId }) {
  const profile = useResource('subscriptions', `/purchases/${encodeURIComponent(purchaseId)}`);
  return html`<${Loading} resource=${profile} what="purchase">
    ${(purchase) => html`
      <${Heading}>Purchase ${purchase.name ?? purchase.purchaseId}</${Heading}>
      <div class="card">
        <p><strong>Status:</strong> ${purchase.status}${purchase.cancellation ? ` (cancellation ${purchase.cancellation.when}${purchase.cancellation.date ? ` on ${purchase.cancellation.date}` : ''}: ${purchase.cancellation.reason})` : ''}
          · <strong>Cycle:</strong> ${purchase.billingCycle}${purchase.finalBillCycle ? ` of ${purchase.finalBillCycle}` : ''} · <strong>Trial:</strong> ${purchase.trialType}${purchase.trialDays ? ` (${purchase.trialDays} days)` : ''}</p>
        <p><strong>Next bill:</strong> ${day(purchase.nextBillDate) || 'none'} · <strong>Price:</strong> ${money(purchase.price, purchase.currency)} · <strong>Shipping:</strong> ${money(purchase.shippingPrice, purchase.currency)}
          ${typeof purchase.rebillAmount === 'number' ? html` · <strong>Next rebill:</strong> ${money(purchase.rebillAmount, purchase.currency)}` : null}</p>
        <p><strong>Quantity:</strong> ${purchase.quantity} · <strong>Order:</strong> <${Link} href=${`/orders/${encodeURIComponent(purchase.orderId)}`}>${purchase.orderId}</${Link}> (${day(purchase.orderDate)}) ·${' '}
          <${Link} href=${`/customers/${encodeURIComponent(purchase.customerId)}`}>Customer</${Link}>
          ${purchase.billing ? html` · <strong>Bill in flight:</strong> cycle ${purchase.billing.billingCycle} (${purchase.billing.trigger})` : null}
          ${purchase.recycle ? html` · <strong>Recycling:</strong> cycle ${purchase.recycle.billingCycle}, retry ${purchase.recycle.retry}` : null}</p>
      </div>
      <h2>Actions</h2>
      <${PurchaseProfileActions} purchase=${purchase} reload=${profile.reload} />
      <h2>History</h2>
      ${purchase.history.length === 0
        ? html`<p>Nothing happened yet.</p>`
        : html`<table>
            <caption class="muted">History of the purchase, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th></tr></thead>
            <tbody>
              ${[...purchase.history].reverse().map(
                (entry, index) => html`<tr key=${`${entry.at}-${index}`}><td>${when(entry.at)}</td><td>${entry.summary ?? entry.type}</td><td>${entry.actor ? `${entry.actor.kind}: ${entry.actor.id}` : ''}</td></tr>`,
              )}
            </tbody>
          </table>`}
      <h2>Transactions</h2>
      ${purchase.transactions.length === 0
        ? html`<p>No transactions.</p>`
        : html`<table>
            <caption class="muted">Charges of the purchase's orders, declines, refunds, voids and chargebacks included</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Response</th><th scope="col">Amount</th><th scope="col">Cycle</th><th scope="col">Order</th></tr></thead>
            <tbody>
              ${purchase.transactions.map(
                (row) => html`<tr key=${`${row.transactionId}-${row.type}`}>
                  <td>${when(row.at)}</td><td>${row.type}</td><td>${row.response}${row.message ? `: ${row.message}` : ''}</td><td>${money(row.amount, row.currency ?? purchase.currency)}</td>
                  <td>${row.billingCycle ?? ''}</td><td><${Link} href=${`/orders/${encodeURIComponent(row.orderId)}`}>${row.orderId}</${Link}></td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    `}
  </${Loading}>`;
}

function PurchaseProfileActions({ purchase, reload }) {
  const path = `/purchases/${encodeURIComponent(purchase.purchaseId)}`;
  const post = (suffix, body = {}) => (key) => call('subscriptions', `${path}${suffix}`, { method: 'POST', body, idempotencyKey: key });
  const [price, setPrice] = useState((purchase.price / 100).toFixed(2));
  const [nextBillDate, setNextBillDate] = useState(day(purchase.nextBillDate));
  const [reason, setReason] = useState('');
  const [cancelWhen, setCancelWhen] = useState('NOW');
  const [pauseReason, setPauseReason] = useState('');
  const whenId = useId('when');
  /** PATCH with only what the agent changed */
  const update = (key) => {
    const changes = {};
    const minor = toMinor(price);
    if (!Number.isInteger(minor) || minor < 0) return Promise.resolve({ status: 400, body: { detail: 'Enter the price in dollars, e.g. 29.99.' } });
    if (minor !== purchase.price) changes.price = minor;
    if (nextBillDate && nextBillDate !== day(purchase.nextBillDate)) changes.nextBillDate = nextBillDate;
    if (Object.keys(changes).length === 0) return Promise.resolve({ status: 400, body: { detail: 'Change the price or the next bill date first.' } });
    return call('subscriptions', path, { method: 'PATCH', body: changes, idempotencyKey: key });
  };
  const cancel = (key) => (reason.trim() ? post('/cancel', { when: cancelWhen, reason: reason.trim() })(key) : Promise.resolve({ status: 400, body: { detail: 'Give the reason for the cancellation.' } }));
  if (purchase.status === 'CANCELLED' || purchase.status === 'COMPLETE') {
    return html`<div class="actions"><${Action} label="Reactivate" run=${post('/reactivate')} onDone=${reload} done=${(body) => `Reactivated: ${body?.status ?? ''}.`} /></div>`;
  }
  return html`<div class="actions">
    <${Action} label="Skip trial" run=${post('/skip-trial')} onDone=${reload} done=${() => 'Trial skipped.'} />
    <${Action} label="Restart trial" run=${post('/restart-trial')} onDone=${reload} done=${(body) => `Trial restarted: next bill ${day(body?.nextBillDate)}.`} />
    <${Action} label="Force bill" run=${post('/force-bill')} onDone=${reload} done=${() => 'Bill requested.'} />
    <div class="card">
      <${Field} label="Pause reason" value=${pauseReason} onInput=${setPauseReason} placeholder="optional" />
      <${Action} label="Pause subscription" run=${post('/pause', pauseReason.trim() ? { reason: pauseReason.trim() } : {})} onDone=${reload} done=${() => 'Subscription paused: no bill until it is resumed.'} />
      <${Action} label="Resume subscription" run=${post('/resume')} onDone=${reload} done=${(body) => `Subscription resumed: ${body?.status ?? ''}, next bill ${day(body?.nextBillDate) || 'none'}.`} />
    </div>
    <div class="card">
      <${Field} label="Price" inputMode="decimal" value=${price} onInput=${setPrice} />
      <${Field} label="Next bill date" type="date" value=${nextBillDate} onInput=${setNextBillDate} />
      <${Action} label="Update purchase" run=${update} onDone=${reload} done=${() => 'Purchase updated.'} />
    </div>
    <div class="card">
      <${Field} label="Cancellation reason" value=${reason} onInput=${setReason} />
      <label for=${whenId}>When</label>
      <select id=${whenId} value=${cancelWhen} onChange=${(e) => setCancelWhen(e.currentTarget.value)}>
        <option value="NOW">now</option>
        <option value="AFTER_NEXT_BILL">after the next bill</option>
      </select>
      <${Action} label="Cancel subscription" run=${cancel} onDone=${reload} done=${(body) => `Cancellation: ${body?.status ?? 'done'}.`} />
    </div>
  </div>`;
}
