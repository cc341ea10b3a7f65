// Parts of the order page (/orders/:id): its discount and custom fields when it has them, "Resend email"
// (orders `POST /orders/:id/resend-email`) and "Upsell" (orders `POST /orders/:id/upsells`). docs/console.md.
import { useState } from 'preact/hooks';
import { Action, call, Field, html, money, useId, useResource } from '../ui.js';

/** The discount (amount, and reason when the read has it) and the custom fields, or nothing when the order has neither. */
export function OrderExtras({ order }) {
  const discount = order.totals?.discount ?? 0;
  const reason = order.discount?.reason ?? order.discountReason;
  const fields = Object.entries(order.customFields ?? {});
  return html`
    ${discount > 0 ? html`<p><strong>Discount:</strong> ${money(discount, order.currency)}${reason ? ` (${reason})` : ''}</p>` : null}
    ${fields.length > 0
      ? html`<div><strong>Custom fields</strong><dl class="fields">${fields.map(([name, value]) => html`<dt key=${`k-${name}`}>${name}</dt><dd key=${`v-${name}`}>${value}</dd>`)}</dl></div>`
      : null}`;
}

/** Sends the order's confirmation or refund email again. */
export function ResendEmail({ orderId }) {
  const [kind, setKind] = useState('CONFIRMATION');
  const id = useId('email');
  return html`<div>
    <label for=${id}>Email</label>
    <select id=${id} value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
      <option value="CONFIRMATION">order confirmation</option>
      <option value="REFUND">refund</option>
    </select>
    <${Action}
      label="Resend email"
      run=${(key) => call('orders', `/orders/${encodeURIComponent(orderId)}/resend-email`, { method: 'POST', body: { kind }, idempotencyKey: key })}
      done=${() => `The ${kind === 'REFUND' ? 'refund' : 'confirmation'} email is on its way.`}
    />
  </div>`;
}

/** Adds a product of the order's campaign to the order; its charge follows. */
export function Upsell({ order, reload }) {
  const campaign = useResource('orders', order.campaignId ? `/campaigns/${encodeURIComponent(order.campaignId)}` : null);
  const products = campaign.answer?.status === 200 ? campaign.answer.body.products : [];
  const [productId, setProductId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const id = useId('upsell');
  const chosen = productId || products[0]?.productId || '';
  const run = (key) => {
    const count = Number(quantity);
    if (!chosen) return Promise.resolve({ status: 400, body: { detail: "The order's campaign has no product to add." } });
    if (!Number.isInteger(count) || count < 1) return Promise.resolve({ status: 400, body: { detail: 'The upsell quantity must be a whole number from 1.' } });
    return call('orders', `/orders/${encodeURIComponent(order.orderId)}/upsells`, { method: 'POST', body: { productId: chosen, quantity: count }, idempotencyKey: key });
  };
  return html`<div>
    <label for=${id}>Upsell product</label>
    <select id=${id} value=${chosen} onChange=${(e) => setProductId(e.currentTarget.value)}>
      ${products.map((product) => html`<option key=${product.productId} value=${product.productId}>${product.name} (${money(product.price, order.currency)})</option>`)}
    </select>
    <${Field} label="Upsell quantity" type="number" min="1" max="99" value=${quantity} onInput=${setQuantity} />
    <${Action} label="Upsell" run=${run} onDone=${reload} done=${(body) => `Item ${body?.orderItemId ?? ''} added; its charge follows.`} />
  </div>`;
}
