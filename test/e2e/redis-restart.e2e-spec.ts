import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { devKeys, eventually, httpAgent } from '@continuum/testing';
import { orderReaches, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// A restart of Redis loses no queued refund (docs/operations.md). The refund retry is a delayed
// BullMQ job in Redis; Redis is restarted in place by the stack script (SHUTDOWN: it writes its
// append-only file and exits; then the same data directory) while the retry is still due, and the
// retry still happens.
const root = join(__dirname, '..', '..');
const redisUrl = new URL(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const redisPort = redisUrl.port || '6379';

let fleet: ServiceFleet;

beforeAll(async () => {
  // This scenario stops and restarts the local stack's Redis; it must never touch a shared one.
  if (!['127.0.0.1', 'localhost'].includes(redisUrl.hostname)) {
    throw new Error(`the Redis restart scenario needs the local stack's Redis, not ${redisUrl.host}`);
  }
  fleet = await startServices(['orders', 'payments'], { REFUND_RETRY_DELAY_MS: '6000' });
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
});

it('retries a queued refund after Redis was restarted', async () => {
  const orders = httpAgent(fleet.services['orders']!.url);
  const payments = httpAgent(fleet.services['payments']!.url);
  const campaign = await orders.post(
    '/campaigns',
    {
      name: 'Bladder Relief 911',
      currency: 'USD',
      products: [{ sku: 'BR-1', name: 'Bladder Relief 911', price: 2999, shippingPrice: 500, billingType: 'STRAIGHT' }],
    },
    devKeys.admin,
  );
  const placed = await orders.post('/orders', {
    campaignId: campaign.body.campaignId,
    customer: { firstName: 'Ida', lastName: 'Ray', email: `ida-${randomUUID().slice(0, 6)}@example.test`, billingAddress: { line1: '2 Oak Ave', city: 'Boise', state: 'ID', postalCode: '83701', country: 'US' } },
    items: [{ productId: campaign.body.products[0].productId, quantity: 1 }],
    paymentType: 'CARD',
    card: { number: '4000000000000259', expMonth: 5, expYear: 2032, cvv: '321' },
  });
  const order = await orderReaches(orders, placed.body.orderId, 'COMPLETE');
  const [charge] = await transactionsOf(payments, order.orderId);
  await payments.post('/settlement-runs', {}, devKeys.admin);
  await eventually(async () => ((await payments.get(`/transactions/${charge.transactionId}`)).body?.settled ? true : undefined), 'settlement');

  const refund = await payments.post(`/transactions/${charge.transactionId}/refund`, {});
  expect(refund.body).toMatchObject({ status: 'QUEUED' });
  // the retry job is scheduled from the RefundQueued event: wait until it sits in Redis
  await eventually(async () => {
    const keys = execFileSync('redis-cli', ['-p', redisPort, '--scan', '--pattern', `e2e-${fleet.run}:refund-retries:*`], { encoding: 'utf8' });
    return keys.includes('refund__') ? true : undefined;
  }, 'the retry job in Redis', { timeoutMs: 5_000 });

  // in place: the same data directory and pid file, whichever checkout's stack started this Redis
  // (`stack.sh up` from another checkout would start an empty Redis: the job would be lost by the test, not the queue)
  execFileSync('bash', [join(root, 'deploy', 'local', 'stack.sh'), 'restart-redis'], { cwd: root, stdio: 'ignore', env: { ...process.env, REDIS_PORT: redisPort } });

  const succeeded = await eventually(async () => {
    const response = await payments.get(`/refunds/${refund.body.refundId}`);
    return response.body?.status === 'SUCCEEDED' ? response.body : undefined;
  }, 'the queued refund to succeed after the Redis restart', { timeoutMs: 40_000 }).catch(async (error: Error) => {
    // say whether the queue or the service is at fault: where the retry job is, what the refund says, what payments logged
    throw new Error(`${error.message}\n${await retryDiagnosis(refund.body.refundId)}`);
  });
  expect(succeeded.attempts.map((attempt: { result: string }) => attempt.result)).toEqual(['FAILED', 'SUCCESS']);
});

/** The retry job's place in Redis, the refund as payments shows it and payments' last output. */
async function retryDiagnosis(refundId: string): Promise<string> {
  const payments = httpAgent(fleet.services['payments']!.url);
  const redis = (...args: string[]) => {
    try {
      return execFileSync('redis-cli', ['-p', redisPort, ...args], { encoding: 'utf8' }).trim();
    } catch (error) {
      return `redis-cli failed: ${String(error)}`;
    }
  };
  const queue = `e2e-${fleet.run}:refund-retries`;
  const jobKeys = redis('--scan', '--pattern', `${queue}:refund__*`).split('\n').filter((key) => /:refund__[^:]+$/.test(key));
  const jobs = jobKeys.map((key) => {
    const id = key.slice(queue.length + 1);
    const where = {
      delayed: redis('ZSCORE', `${queue}:delayed`, id),
      wait: redis('LPOS', `${queue}:wait`, id),
      active: redis('LPOS', `${queue}:active`, id),
      failed: redis('ZSCORE', `${queue}:failed`, id),
      completed: redis('ZSCORE', `${queue}:completed`, id),
    };
    return `  job ${id}: ${JSON.stringify(where)} ${redis('HGETALL', key).split('\n').join(' ')}`;
  });
  const refund = await payments.get(`/refunds/${refundId}`).catch((error: unknown) => ({ body: String(error) }));
  const output = fleet.services['payments']!.output.join('').split('\n').slice(-30).join('\n');
  return [`retry jobs in Redis (${queue}):`, ...jobs, `refund: ${JSON.stringify(refund.body)}`, `payments output (last lines):`, output].join('\n');
}
