// The customer-service console: Preact with htm, served as ES modules (no build step). Every call
// goes to the console's own origin (/api/<service>/...) with the signed-in user's API key, so every
// event still names that user. docs/console.md says what each page does.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Action, call, day, Field, Heading, html, KEY, Link, Loading, money, navigate, pageSizeOf, Pager, problemText, toMinor, useId, useLocation, usePagedList, useResource, when } from './ui.js';
import { NewOrderPage } from './pages/new-order.js';
import { OpsPage } from './pages/ops.js';
import { OrderExtras, ResendEmail, Upsell } from './pages/order-extras.js';
import { PurchasePage } from './pages/purchase.js';
import { ReportsPage } from './pages/reports.js';

// ---------------------------------------------------------------------------------------------
// Pages

function SignIn({ onSignedIn }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    sessionStorage.setItem(KEY, key.trim());
    // any read checks the key: a refused key is 401
    const answer = await call('projections', '/customers/search?q=sign-in-check');
    setBusy(false);
    if (answer.status === 401 || answer.status === 403) {
      sessionStorage.removeItem(KEY);
      setError('That API key was not accepted. Check it and try again.');
      return;
    }
    if (answer.network || answer.status >= 500) {
      sessionStorage.removeItem(KEY);
      setError(`The services cannot be reached: ${problemText(answer)}`);
      return;
    }
    onSignedIn();
  };
  return html`<main class="signin">
    <${Heading}>Continuum console</${Heading}>
    <form onSubmit=${submit} class="card">
      <p>Sign in with your API key.</p>
      <p><${Field} label="API key" type="password" value=${key} onInput=${setKey} autocomplete="off" required /></p>
      ${error ? html`<p role="alert" class="error">${error}</p>` : null}
      <button type="submit" class="primary" disabled=${busy}>Sign in</button>
    </form>
  </main>`;
}

function SearchPage({ query }) {
  const [q, setQ] = useState(query);
  useEffect(() => setQ(query), [query]);
  const results = useResource('projections', query ? `/customers/search?q=${encodeURIComponent(query)}` : null);
  const submit = (event) => {
    event.preventDefault();
    if (q.trim()) navigate(`/?q=${encodeURIComponent(q.trim())}`);
  };
  return html`<${Heading}>Find a customer</${Heading}>
    <form role="search" onSubmit=${submit}>
      <${Field} label="Search" type="search" value=${q} onInput=${setQ} placeholder="email, phone, name, order id or last four" required />
      <button type="submit" class="primary">Search</button>
    </form>
    ${query
      ? html`<${Loading} resource=${results} what="customers">
          ${(rows) =>
            rows.length === 0
              ? html`<p role="status">No customer matches “${query}”.</p>`
              : html`<table>
                  <caption class="muted">${rows.length} customer${rows.length === 1 ? '' : 's'} matching “${query}”</caption>
                  <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Last order</th></tr></thead>
                  <tbody>
                    ${rows.map(
                      (row) => html`<tr key=${row.customerId}>
                        <td><${Link} href=${`/customers/${encodeURIComponent(row.customerId)}`}>${row.name}</${Link}></td>
                        <td>${row.email}</td><td>${row.phone ?? ''}</td><td>${when(row.lastOrderAt)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`}
        </${Loading}>`
      : null}`;
}

const TABS = ['Timeline', 'Orders', 'Transactions', 'Fulfillments', 'Subscriptions', 'Notes'];

/** Tabs as a screen reader expects them: arrow keys move between tabs, the panel is labelled by its tab. */
function Tabs({ children }) {
  const [selected, setSelected] = useState(0);
  const refs = useRef([]);
  const base = useId('tabs');
  const keydown = (event) => {
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -selected, End: TABS.length - 1 - selected };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (selected + moves[event.key] + TABS.length) % TABS.length;
    setSelected(next);
    refs.current[next]?.focus();
  };
  return html`<div>
    <div role="tablist" aria-label="Customer records" onKeyDown=${keydown}>
      ${TABS.map(
        (name, index) => html`<button type="button" role="tab" id=${`${base}-tab-${index}`} aria-controls=${`${base}-panel`} aria-selected=${index === selected ? 'true' : 'false'}
          tabIndex=${index === selected ? 0 : -1} ref=${(el) => (refs.current[index] = el)} onClick=${() => setSelected(index)}>${name}</button>`,
      )}
    </div>
    <div role="tabpanel" id=${`${base}-panel`} aria-labelledby=${`${base}-tab-${selected}`} tabIndex="0">${children(TABS[selected])}</div>
  </div>`;
}

function CustomerPage({ customerId, asOf }) {
  const [asOfInput, setAsOfInput] = useState(asOf ?? '');
  const history = useResource('projections', `/customers/${encodeURIComponent(customerId)}/history${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`);
  const applyAsOf = (event) => {
    event.preventDefault();
    const value = asOfInput ? new Date(asOfInput).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
    navigate(`/customers/${encodeURIComponent(customerId)}${value ? `?asOf=${encodeURIComponent(value)}` : ''}`);
  };
  return html`<${Loading} resource=${history} what="customer">
    ${(data) => html`
      <${Heading}>${data.customer ? `${data.customer.firstName} ${data.customer.lastName}` : customerId}</${Heading}>
      ${data.mergedInto ? html`<p>Merged into <${Link} href=${`/customers/${data.mergedInto}`}>${data.mergedInto}</${Link}>.</p>` : null}
      ${data.customer
        ? html`<p class="muted">${data.customer.email} · ${data.customer.phone ?? 'no phone'} · customer since ${day(data.customer.registeredAt)}</p>`
        : null}
      ${data.customer && !data.mergedInto ? html`<p><button type="button" class="primary" onClick=${() => navigate(`/customers/${encodeURIComponent(customerId)}/orders/new`)}>New order</button></p>` : null}
      <form onSubmit=${applyAsOf}>
        <${Field} label="As of" type="datetime-local" value=${asOfInput} onInput=${setAsOfInput} />
        <button type="submit">Show history as of then</button>
        ${asOf ? html` <button type="button" onClick=${() => navigate(`/customers/${encodeURIComponent(customerId)}`)}>Show now</button> <span role="status">As of ${when(asOf)}</span>` : null}
      </form>
      <${Tabs}>${(tab) => html`<${CustomerTab} tab=${tab} data=${data} reload=${history.reload} />`}</${Tabs}>
    `}
  </${Loading}>`;
}

function CustomerTab({ tab, data, reload }) {
  switch (tab) {
    case 'Timeline':
      return html`<${TimelineTable} entries=${data.timeline} />`;
    case 'Orders':
      return html`<${OrdersTable} orders=${data.orders} />`;
    case 'Transactions':
      return html`<${TransactionsTable} rows=${data.transactions} reload=${reload} />`;
    case 'Fulfillments':
      return html`<${FulfillmentsTable} rows=${data.fulfillments} reload=${reload} />`;
    case 'Subscriptions':
      return html`<${PurchasesTable} rows=${data.purchases} reload=${reload} />`;
    case 'Notes':
      return html`<${Notes} customerId=${data.customerId} notes=${data.notes} reload=${reload} />`;
    default:
      return null;
  }
}

function TimelineTable({ entries }) {
  if (entries.length === 0) return html`<p>Nothing happened yet.</p>`;
  return html`<table>
    <caption class="muted">Timeline, newest first</caption>
    <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Correlation id</th></tr></thead>
    <tbody>
      ${[...entries].reverse().map(
        (entry) => html`<tr key=${entry.source.eventId}><td>${when(entry.at)}</td><td>${entry.summary}</td><td>${entry.actor.kind}: ${entry.actor.id}</td><td><code>${entry.correlationId}</code></td></tr>`,
      )}
    </tbody>
  </table>`;
}

function OrdersTable({ orders }) {
  if (orders.length === 0) return html`<p>No orders.</p>`;
  return html`<table>
    <caption class="muted">Orders</caption>
    <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Payment</th></tr></thead>
    <tbody>
      ${orders.map(
        (order) => html`<tr key=${order.orderId}>
          <td><${Link} href=${`/orders/${encodeURIComponent(order.orderId)}`}>${order.orderId}</${Link}></td>
          <td>${when(order.placedAt)}</td><td>${order.status}</td><td>${money(order.totals?.total, order.currency)}</td><td>${order.card}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function TransactionsTable({ rows, reload }) {
  if (rows.length === 0) return html`<p>No transactions.</p>`;
  return html`<table>
    <caption class="muted">Transactions</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Response</th><th scope="col">Amount</th><th scope="col">Card</th><th scope="col">Order</th><th scope="col">Actions</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr key=${row.transactionId}>
          <td>${when(row.createdAt)}</td><td>${row.type}${row.refund ? ` (${row.refund.status})` : ''}</td><td>${row.response}${row.message ? `: ${row.message}` : ''}</td>
          <td>${money(row.amount, row.currency)}${row.refundedAmount ? ` (${money(row.refundedAmount, row.currency)} refunded)` : ''}</td><td>${row.card}</td>
          <td><${Link} href=${`/orders/${encodeURIComponent(row.orderId)}`}>${row.orderId}</${Link}></td>
          <td>
            ${row.type === 'SALE' && row.response === 'SUCCESS' && !row.voided && !row.settled
              ? html`<${Action} label="Void" run=${(key) => call('payments', `/transactions/${encodeURIComponent(row.transactionId)}/void`, { method: 'POST', body: {}, idempotencyKey: key })} onDone=${reload} done=${() => 'Voided.'} />`
              : null}
          </td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function FulfillmentsTable({ rows, reload }) {
  if (rows.length === 0) return html`<p>No fulfillments.</p>`;
  return html`<table>
    <caption class="muted">Fulfillments</caption>
    <thead><tr><th scope="col">Reference</th><th scope="col">Order</th><th scope="col">Status</th><th scope="col">Items</th><th scope="col">Tracking</th><th scope="col">Actions</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr key=${row.fulfillmentId}>
          <td>${row.reference}${row.reshipOf ? ' (reship)' : ''}</td><td><${Link} href=${`/orders/${encodeURIComponent(row.orderId)}`}>${row.orderId}</${Link}></td>
          <td>${row.status}${row.cod ? ' · COD' : ''}</td><td>${row.items.map((item) => `${item.quantity} × ${item.name}`).join(', ')}</td>
          <td>${row.trackingNumber ? `${row.carrier ?? ''} ${row.trackingNumber}` : ''}</td>
          <td><${FulfillmentActions} row=${row} reload=${reload} /></td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function FulfillmentActions({ row, reload }) {
  const path = `/fulfillments/${encodeURIComponent(row.fulfillmentId)}`;
  const post = (suffix, body) => (key) => call('fulfillment', `${path}${suffix}`, { method: 'POST', body, idempotencyKey: key });
  const [confirmation, setConfirmation] = useState('');
  return html`<div class="actions">
    <${Action} label="Reship" run=${post('/reship', {})} onDone=${reload} done=${(body) => `Reship ${body?.reference ?? ''} created.`} />
    ${['SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURNED'].includes(row.status) ? null : html`<${Action} label="Cancel fulfillment" run=${post('/cancel', { reason: 'cancelled by customer service' })} onDone=${reload} />`}
    ${row.cod
      ? html`<div>
          <${Field} label="Delivery confirmation" value=${confirmation} onInput=${setConfirmation} />
          <${Action} label="Mark COD paid" run=${(key) => (confirmation.trim() ? post('/cod/paid', { deliveryConfirmation: confirmation.trim(), collectionDate: new Date().toISOString().slice(0, 10) })(key) : Promise.resolve({ status: 400, body: { detail: 'Enter the delivery confirmation first.' } }))} onDone=${reload} />
          <${Action} label="Mark COD undelivered" run=${post('/cod/undelivered', { status: 'SCHEDULED_FOR_REATTEMPT' })} onDone=${reload} />
        </div>`
      : null}
  </div>`;
}

function PurchasesTable({ rows, reload }) {
  if (rows.length === 0) return html`<p>No subscriptions.</p>`;
  return html`<table>
    <caption class="muted">Subscriptions</caption>
    <thead><tr><th scope="col">Product</th><th scope="col">Status</th><th scope="col">Cycle</th><th scope="col">Next bill</th><th scope="col">Price</th><th scope="col">Actions</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr key=${row.purchaseId}>
          <td><${Link} href=${`/purchases/${encodeURIComponent(row.purchaseId)}`}>${row.name}</${Link}></td><td>${row.status}${row.cancelReason ? ` (${row.cancelReason})` : ''}</td><td>${row.billingCycle}</td><td>${day(row.nextBillDate)}</td><td>${money(row.price, row.currency ?? 'USD')}</td>
          <td><${PurchaseActions} row=${row} reload=${reload} /></td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function PurchaseActions({ row, reload }) {
  const path = `/purchases/${encodeURIComponent(row.purchaseId)}`;
  const post = (suffix, body = {}) => (key) => call('subscriptions', `${path}${suffix}`, { method: 'POST', body, idempotencyKey: key });
  const [nextBillDate, setNextBillDate] = useState(day(row.nextBillDate));
  if (row.status === 'CANCELLED') return html`<${Action} label="Reactivate" run=${post('/reactivate')} onDone=${reload} />`;
  return html`<div class="actions">
    <${Action} label="Skip trial" run=${post('/skip-trial')} onDone=${reload} />
    <${Action} label="Restart trial" run=${post('/restart-trial')} onDone=${reload} />
    <${Action} label="Force bill" run=${post('/force-bill')} onDone=${reload} />
    <${Action} label="Cancel subscription" run=${post('/cancel', { when: 'NOW', reason: 'cancelled by customer service' })} onDone=${reload} />
    <div>
      <${Field} label="Next bill date" type="date" value=${nextBillDate} onInput=${setNextBillDate} />
      <${Action} label="Update purchase" run=${(key) => call('subscriptions', path, { method: 'PATCH', body: { nextBillDate }, idempotencyKey: key })} onDone=${reload} done=${() => 'Purchase updated.'} />
    </div>
  </div>`;
}

function Notes({ customerId, notes, reload }) {
  const [message, setMessage] = useState('');
  const id = useId('note');
  return html`<div>
    ${notes.length === 0 ? html`<p>No notes yet.</p>` : html`<ul>${notes.map((note) => html`<li key=${note.noteId}><strong>${note.author.id}</strong>, ${when(note.at)}: ${note.message}</li>`)}</ul>`}
    <p><label for=${id}>Note</label><br /><textarea id=${id} rows="3" cols="60" maxLength="500" value=${message} onInput=${(e) => setMessage(e.currentTarget.value)}></textarea></p>
    <${Action}
      label="Add note"
      run=${(key) => call('orders', `/customers/${encodeURIComponent(customerId)}/notes`, { method: 'POST', body: { message }, idempotencyKey: key })}
      onDone=${() => {
        setMessage('');
        reload();
      }}
      done=${() => 'Note added.'}
    />
  </div>`;
}

function OrderPage({ orderId }) {
  const summary = useResource('projections', `/orders/${encodeURIComponent(orderId)}/summary`);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const post = (service, path, body) => (key) => call(service, path, { method: 'POST', body, idempotencyKey: key });
  const id = encodeURIComponent(orderId);
  return html`<${Loading} resource=${summary} what="order">
    ${({ order, transactions, fulfillments, purchases, timeline }) => html`
      <${Heading}>Order ${order.orderId}</${Heading}>
      <div class="card">
        <p><strong>Status:</strong> ${order.status}${order.qaReasons?.length ? ` (QA: ${order.qaReasons.join(', ')})` : ''} · <strong>Payment:</strong> ${order.card} · placed ${when(order.placedAt)} ·${' '}
          <${Link} href=${`/customers/${encodeURIComponent(order.customerId)}`}>Customer</${Link}></p>
        <p><strong>Total:</strong> ${money(order.totals?.total, order.currency)} (items ${money(order.totals?.subtotal, order.currency)}, shipping ${money(order.totals?.shipping, order.currency)}, tax ${money(order.totals?.salesTax, order.currency)})</p>
        <ul>${order.items.map((item) => html`<li key=${item.orderItemId}>${item.quantity} × ${item.name} (${money(item.price, order.currency)})</li>`)}</ul>
        <${OrderExtras} order=${order} />
      </div>
      <h2>Actions</h2>
      <div class="actions">
        ${order.status === 'PENDING'
          ? html`<${Action} label="Approve" className="primary" run=${post('orders', `/orders/${id}/qa`, { action: 'APPROVE' })} onDone=${summary.reload} done=${() => 'Approved.'} />
              <${Action} label="Decline" run=${post('orders', `/orders/${id}/qa`, { action: 'DECLINE' })} onDone=${summary.reload} done=${() => 'Declined.'} />`
          : null}
        <${Action} label="Refund" run=${post('payments', `/orders/${id}/refund`, {})} onDone=${summary.reload} done=${(body) => `${body?.action === 'VOID' ? 'Voided' : 'Refund'} ${body?.status ? `(${body.status})` : ''}.`} />
        <div>
          <${Field} label="Refund amount" inputMode="decimal" value=${amount} onInput=${setAmount} placeholder="12.50" />
          <${Action}
            label="Partial refund"
            run=${(key) => (Number.isFinite(toMinor(amount)) && toMinor(amount) > 0 ? post('payments', `/orders/${id}/refund`, { amount: toMinor(amount) })(key) : Promise.resolve({ status: 400, body: { detail: 'Enter an amount in dollars, e.g. 12.50.' } }))}
            onDone=${summary.reload}
          />
        </div>
        <div>
          <${Field} label="Reason" value=${reason} onInput=${setReason} />
          <${Action} label="Cancel order" run=${post('orders', `/orders/${id}/cancel`, { reason })} onDone=${summary.reload} done=${() => 'Order cancelled.'} />
        </div>
        ${order.status === 'DECLINED' ? html`<${Action} label="Rerun" run=${post('orders', `/orders/${id}/rerun`, {})} onDone=${summary.reload} />` : null}
        <${ResendEmail} orderId=${order.orderId} />
        <${Upsell} order=${order} reload=${summary.reload} />
      </div>
      <h2>Transactions</h2>
      <${TransactionsTable} rows=${transactions} reload=${summary.reload} />
      <h2>Fulfillments</h2>
      <${FulfillmentsTable} rows=${fulfillments} reload=${summary.reload} />
      <h2>Subscriptions</h2>
      <${PurchasesTable} rows=${purchases} reload=${summary.reload} />
      <h2>Timeline</h2>
      <${TimelineTable} entries=${timeline} />
    `}
  </${Loading}>`;
}

function RefundsPage({ limit }) {
  const { resource, rows, pager } = usePagedList('payments', '/refunds?status=QUEUED', (row) => row.refundId, limit);
  return html`<${Heading}>Refund queue</${Heading}>
    <${Loading} resource=${resource} what="refunds">
      ${() => html`
        ${rows.length === 0
          ? html`<p role="status">${pager.hasPrevious ? 'No more refunds on this page.' : 'No refund is waiting.'}</p>`
          : html`<table>
              <caption class="muted">Refunds waiting for a retry, oldest first</caption>
              <thead><tr><th scope="col">Refund</th><th scope="col">Order</th><th scope="col">Amount</th><th scope="col">Attempts</th><th scope="col">Last failure</th></tr></thead>
              <tbody>
                ${rows.map(
                  (row) => html`<tr key=${row.refundId}>
                    <td>${row.refundId}</td><td><${Link} href=${`/orders/${encodeURIComponent(row.orderId)}`}>${row.orderId}</${Link}></td>
                    <td>${money(row.amount, row.currency)}</td><td>${row.attempts?.length ?? row.attemptCount ?? ''}</td><td>${row.lastFailure ?? row.attempts?.at?.(-1)?.message ?? ''}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
        <${Pager} what="refunds" ...${pager} />`}
    </${Loading}>`;
}

function QaPage({ limit }) {
  const { resource, rows, pager } = usePagedList('orders', '/orders?status=PENDING', (row) => row.orderId, limit);
  return html`<${Heading}>QA queue</${Heading}>
    <${Loading} resource=${resource} what="orders held for QA">
      ${() => html`
        ${rows.length === 0
          ? html`<p role="status">${pager.hasPrevious ? 'No more orders on this page.' : 'No order is waiting for QA.'}</p>`
          : html`<table>
              <caption class="muted">Orders held for QA, oldest first</caption>
              <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Total</th><th scope="col">Reasons</th></tr></thead>
              <tbody>
                ${rows.map(
                  (row) => html`<tr key=${row.orderId}>
                    <td><${Link} href=${`/orders/${encodeURIComponent(row.orderId)}`}>${row.orderId}</${Link}></td><td>${when(row.placedAt ?? row.createdAt)}</td>
                    <td>${money(row.totals?.total, row.currency)}</td><td>${(row.qa?.reasons ?? row.qaReasons ?? []).join(', ')}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
        <${Pager} what="orders" ...${pager} />`}
    </${Loading}>`;
}

function NotFound() {
  return html`<${Heading}>Page not found</${Heading}><p><${Link} href="/">Search customers</${Link}></p>`;
}

// ---------------------------------------------------------------------------------------------
// The shell

function page(where) {
  const url = new URL(where, location.origin);
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return html`<${SearchPage} query=${url.searchParams.get('q') ?? ''} />`;
  if (parts[0] === 'customers' && parts.length === 2) return html`<${CustomerPage} key=${where} customerId=${parts[1]} asOf=${url.searchParams.get('asOf')} />`;
  if (parts[0] === 'customers' && parts.length === 4 && parts[2] === 'orders' && parts[3] === 'new') return html`<${NewOrderPage} key=${where} customerId=${parts[1]} />`;
  if (parts[0] === 'orders' && parts.length === 2) return html`<${OrderPage} key=${where} orderId=${parts[1]} />`;
  if (parts[0] === 'purchases' && parts.length === 2) return html`<${PurchasePage} key=${where} purchaseId=${parts[1]} />`;
  if (parts[0] === 'ops') return html`<${OpsPage} />`;
  if (parts[0] === 'refunds') return html`<${RefundsPage} key=${where} limit=${pageSizeOf(url.searchParams)} />`;
  if (parts[0] === 'qa') return html`<${QaPage} key=${where} limit=${pageSizeOf(url.searchParams)} />`;
  if (parts[0] === 'reports') return html`<${ReportsPage} query=${url.searchParams} />`;
  return html`<${NotFound} />`;
}

function App() {
  const where = useLocation();
  const [signedIn, setSignedIn] = useState(Boolean(sessionStorage.getItem(KEY)));
  useEffect(() => {
    const out = () => setSignedIn(false);
    window.addEventListener('signed-out', out);
    return () => window.removeEventListener('signed-out', out);
  }, []);
  if (!signedIn) return html`<${SignIn} onSignedIn=${() => setSignedIn(true)} />`;
  const signOut = () => {
    sessionStorage.removeItem(KEY);
    setSignedIn(false);
  };
  return html`<div>
    <header>
      <strong>Continuum</strong>
      <nav aria-label="Main">
        <ul>
          <li><${Link} href="/">Search</${Link}></li>
          <li><${Link} href="/qa">QA queue</${Link}></li>
          <li><${Link} href="/refunds">Refund queue</${Link}></li>
          <li><${Link} href="/reports">Reports</${Link}></li>
          <li><${Link} href="/ops">Operations</${Link}></li>
        </ul>
      </nav>
      <div class="who"><button type="button" class="link" onClick=${signOut}>Sign out</button></div>
    </header>
    <main>${page(where)}</main>
  </div>`;
}

const root = document.getElementById('root');
root.textContent = ''; // the "Loading" line the page shows until this module runs
render(html`<${App} />`, root);
