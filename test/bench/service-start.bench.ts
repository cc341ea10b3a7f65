/**
 * Start-up time of the orders service with history stored: prints, never asserts.
 *
 * Starts orders and payments (payments is the card vault), places one card order through HTTP and
 * waits until it is COMPLETE, then copies it into the orders database until BENCH_START_ORDERS
 * (default 20000) orders are stored (test/bench/support/seed-history.ts: commits, view documents and
 * index entries, every id fresh). Then restarts orders twice and times spawn → healthy /health:
 * - first start after the views' markers were removed (a new or changed view): the views are built
 *   from the event store once, before the service answers;
 * - a plain restart: the views are current, nothing is refolded.
 * Before the view mechanism every start refolded every stream (129 s with 1,027 streams measured).
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { VIEWS_META_COLLECTION } from '@continuum/platform';
import { client, startFleet } from './support/fleet';
import { captureTemplate, cloneOrders } from './support/seed-history';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const ORDERS = Number(process.env['BENCH_START_ORDERS'] ?? 20_000);

async function main(): Promise<void> {
  const fleet = await startFleet(['orders', 'payments']);
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const ordersDb = connection.useDb(fleet.services['orders']!.database, { useCache: true }).db!;
  try {
    const admin = client(fleet.services['orders']!.url, 'dev-admin');
    const agent = client(fleet.services['orders']!.url, 'dev-agent');
    const campaign = await admin.post('/campaigns', {
      name: 'Start Bench',
      currency: 'USD',
      qaRate: 0,
      products: [{ sku: 'START-1', name: 'Start bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' }],
    });
    if (campaign.status !== 201) throw new Error(`POST /campaigns ${campaign.status} ${JSON.stringify(campaign.body)}`);
    const tag = randomUUID();
    const placed = await agent.post('/orders', {
      campaignId: campaign.body.campaignId,
      customer: { firstName: 'Sid', lastName: `Start-${tag.slice(0, 6)}`, email: `start-${tag}@example.test`, billingAddress: { line1: '1 Start St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' } },
      items: [{ productId: campaign.body.products[0].productId, quantity: 1 }],
      paymentType: 'CARD',
      card: { number: '4111111111111111', expMonth: 12, expYear: 2031, cvv: '123' },
    });
    if (placed.status !== 201) throw new Error(`POST /orders ${placed.status} ${JSON.stringify(placed.body)}`);
    for (const deadline = Date.now() + 60_000; (await agent.get(`/orders/${placed.body.orderId}`)).body?.status !== 'COMPLETE'; ) {
      if (Date.now() > deadline) throw new Error('the template order did not complete');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const keep = new Set<string>([campaign.body.campaignId, ...campaign.body.products.map((p: { productId: string }) => p.productId)]);
    const template = await captureTemplate([ordersDb], [placed.body.orderId, placed.body.customerId], keep);
    const seedStart = Date.now();
    await cloneOrders(template, ORDERS - 1, (done) => done % 5000 < 250 && console.log(`[start] ${done + 1} orders stored`));
    const commits = await ordersDb.collection('commits').estimatedDocumentCount();
    console.log(`[start] ${ORDERS} orders (${commits} commits) stored in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);

    await ordersDb.collection(VIEWS_META_COLLECTION).deleteMany({});
    const rebuilding = await fleet.restart('orders');
    const plain = await fleet.restart('orders');
    const again = await fleet.restart('orders');
    console.log('');
    console.log(`Orders service start with ${ORDERS} orders (${commits} commits) stored: spawn to healthy /health, ms`);
    console.log(`  first start of new views (built from the event store once): ${rebuilding}`);
    console.log(`  restart, views current:                                      ${plain}, ${again}`);
  } finally {
    await fleet.stop();
    for (const service of Object.values(fleet.services)) await connection.useDb(service.database).dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
