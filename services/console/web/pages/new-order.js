// /customers/:id/orders/new: an agent places an order for a customer (orders `POST /orders`): the
// campaign and its products, the payment (a test card, COD, or an external payment, a free replacement
// included), a discount and, per recurring line, whether it starts a subscription. docs/console.md.
import { useState } from 'preact/hooks';
import { Action, call, Field, Heading, html, Link, Loading, money, toMinor, useId, useResource } from '../ui.js';

/** The gateway's test cards (README, "Test cards"): what each one does. */
const TEST_CARDS = [
  ['4111111111111111', 'approves'],
  ['4000000000000002', 'hard decline'],
  ['4000000000009995', 'soft decline'],
  ['4000000000000077', 'approves, prepaid (goes to QA)'],
  ['4000000000000119', 'approves, every refund fails'],
  ['4000000000000259', 'approves, first refund fails'],
  ['4000000000000341', 'approves, later charges soft-decline'],
  ['4000000000000358', 'approves, later charges hard-decline'],
  ['4000000000000424', 'approves, every void fails'],
];

export function NewOrderPage({ customerId }) {
  const history = useResource('projections', `/customers/${encodeURIComponent(customerId)}/history`);
  return html`<${Loading} resource=${history} what="customer">
    ${(data) => html`<${NewOrderForm} customerId=${customerId} data=${data} />`}
  </${Loading}>`;
}

function NewOrderForm({ customerId, data }) {
  const name = data.customer ? `${data.customer.firstName} ${data.customer.lastName}` : customerId;
  const lastCampaign = data.orders.length > 0 ? data.orders[data.orders.length - 1].campaignId : '';
  const [campaignInput, setCampaignInput] = useState(lastCampaign ?? '');
  const [campaignId, setCampaignId] = useState(lastCampaign ?? '');
  const campaign = useResource('orders', campaignId ? `/campaigns/${encodeURIComponent(campaignId)}` : null);
  const [lines, setLines] = useState({});
  const [paymentType, setPaymentType] = useState('CARD');
  const [card, setCard] = useState(TEST_CARDS[0][0]);
  const [freeReplacement, setFreeReplacement] = useState(false);
  const [externalReference, setExternalReference] = useState('');
  const [discountAmount, setDiscountAmount] = useState('');
  const [discountReason, setDiscountReason] = useState('');
  const [placed, setPlaced] = useState(null);
  const paymentId = useId('payment');
  const cardId = useId('card');
  // a recurring line subscribes by default on a card order only (COD and external orders need a card on file to subscribe)
  const line = (productId) => {
    const chosen = lines[productId] ?? { quantity: '0', subscribe: null };
    return { ...chosen, subscribe: chosen.subscribe ?? paymentType === 'CARD' };
  };
  const setLine = (productId, change) => setLines((all) => ({ ...all, [productId]: { quantity: '0', subscribe: null, ...all[productId], ...change } }));
  const chooseCampaign = (event) => {
    event.preventDefault();
    setLines({});
    setCampaignId(campaignInput.trim());
  };

  /** The body of POST /orders, or a refusal in words before anything is sent. */
  const order = () => {
    const products = campaign.answer?.status === 200 ? campaign.answer.body.products : [];
    const items = [];
    for (const product of products) {
      const { quantity, subscribe } = line(product.productId);
      const count = Number(quantity);
      if (!Number.isInteger(count) || count < 0) return { error: `The quantity of ${product.name} must be a whole number.` };
      if (count === 0) continue;
      items.push({
        productId: product.productId,
        quantity: count,
        ...(paymentType === 'EXTERNAL' && freeReplacement ? { unitPrice: 0 } : {}),
        ...(product.billingType === 'RECURRING' ? { subscribe } : {}),
      });
    }
    if (items.length === 0) return { error: 'Choose at least one product (a quantity above 0).' };
    const body = { campaignId, customerId, items, paymentType };
    if (paymentType === 'CARD') body.card = { number: card, expMonth: 12, expYear: new Date().getFullYear() + 3, cvv: '123' };
    if (paymentType === 'EXTERNAL' && externalReference.trim()) body.externalReference = externalReference.trim();
    if (discountAmount.trim()) {
      const amount = toMinor(discountAmount);
      if (!Number.isInteger(amount) || amount <= 0) return { error: 'Enter the discount in dollars, e.g. 5.00.' };
      if (!discountReason.trim()) return { error: 'Give the reason for the discount.' };
      body.discount = { amount, reason: discountReason.trim() };
    }
    return { body };
  };
  const place = (key) => {
    const { body, error } = order();
    if (error) return Promise.resolve({ status: 400, body: { detail: error } });
    return call('orders', '/orders', { method: 'POST', body, idempotencyKey: key });
  };

  return html`<${Heading}>New order for ${name}</${Heading}>
    <p><${Link} href=${`/customers/${encodeURIComponent(customerId)}`}>Back to ${name}</${Link}></p>
    <form onSubmit=${chooseCampaign} class="card">
      <${Field} label="Campaign" value=${campaignInput} onInput=${setCampaignInput} placeholder="campaign id" required />
      <button type="submit">Show products</button>
    </form>
    ${campaignId
      ? html`<${Loading} resource=${campaign} what="campaign">
          ${(found) => html`<div class="card">
            <table>
              <caption class="muted">Products of ${found.name ?? campaignId}</caption>
              <thead><tr><th scope="col">Product</th><th scope="col">Price</th><th scope="col">Shipping</th><th scope="col">Billing</th><th scope="col">Quantity</th><th scope="col">Subscribe</th></tr></thead>
              <tbody>
                ${found.products.map(
                  (product) => html`<tr key=${product.productId}>
                    <td>${product.name} <span class="muted">${product.sku}</span></td><td>${money(product.price, found.currency)}</td><td>${money(product.shippingPrice, found.currency)}</td>
                    <td>${product.billingType}${product.trial ? ` (trial ${money(product.trial.price, found.currency)}, ${product.trial.days} days)` : ''}</td>
                    <td><${Field} label=${`Quantity of ${product.name}`} type="number" min="0" max="99" value=${line(product.productId).quantity} onInput=${(value) => setLine(product.productId, { quantity: value })} /></td>
                    <td>${product.billingType === 'RECURRING' ? html`<${Checkbox} label=${`Subscribe to ${product.name}`} checked=${line(product.productId).subscribe} onChange=${(value) => setLine(product.productId, { subscribe: value })} />` : html`<span class="muted">one-time</span>`}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            <fieldset>
              <legend id=${paymentId}>Payment</legend>
              ${[
                ['CARD', 'Card (test cards)'],
                ['COD', 'Cash on delivery (COD)'],
                ['EXTERNAL', 'External payment'],
              ].map(([value, text]) => html`<label key=${value} class="choice"><input type="radio" name=${paymentId} value=${value} checked=${paymentType === value} onChange=${() => setPaymentType(value)} /> ${text}</label>`)}
              ${paymentType === 'CARD'
                ? html`<p><label for=${cardId}>Test card</label>
                    <select id=${cardId} value=${card} onChange=${(e) => setCard(e.currentTarget.value)}>
                      ${TEST_CARDS.map(([number, what]) => html`<option key=${number} value=${number}>${number} (${what})</option>`)}
                    </select></p>`
                : null}
              ${paymentType === 'EXTERNAL'
                ? html`<p><${Checkbox} label="Free replacement ($0, reviewed in QA)" checked=${freeReplacement} onChange=${setFreeReplacement} />
                    <${Field} label="External reference" value=${externalReference} onInput=${setExternalReference} /></p>`
                : null}
            </fieldset>
            <fieldset>
              <legend>Discount</legend>
              <${Field} label="Discount amount" inputMode="decimal" value=${discountAmount} onInput=${setDiscountAmount} placeholder="5.00" />
              <${Field} label="Discount reason" value=${discountReason} onInput=${setDiscountReason} />
            </fieldset>
            <p>
              ${placed
                ? html`<span role="status" class="notice">Order <${Link} href=${`/orders/${encodeURIComponent(placed.orderId)}`}>${placed.orderId}</${Link}> placed: ${placed.status}.</span>`
                : html`<${Action} label="Place order" className="primary" run=${place} onDone=${setPlaced} />`}
            </p>
          </div>`}
        </${Loading}>`
      : html`<p>Enter the campaign the order is for.</p>`}`;
}

function Checkbox({ label, checked, onChange }) {
  const id = useId('check');
  return html`<span class="field"><input id=${id} type="checkbox" checked=${checked} onChange=${(e) => onChange(e.currentTarget.checked)} /> <label for=${id}>${label}</label></span>`;
}
