import { request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { devKeys } from '@continuum/testing';
import { RecordingGateway, newOrderId, usePaymentsService } from './payments-harness';

/** A request sent exactly as given: no Content-Type is added to a body that has none. */
async function raw(server: Server, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; type: string; json: any }> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The payments HTTP edge: a body the server did not read never moves money. */
describe('payments HTTP edge (Kafka, FerretDB, Redis)', () => {
  const gateway = new RecordingGateway();
  const { http, app, placeCardOrder, settleAll } = usePaymentsService({ gateway });
  const agent = { Authorization: `Bearer ${devKeys.agent}` };
  const server = () => app().getHttpServer() as Server;

  it('fault 2: text/plain {"amount":100} on a settled charge is 415 and refunds nothing; as JSON it refunds 100', async () => {
    const { transactionId } = await placeCardOrder({ total: 5999 });
    await settleAll();
    const refused = await raw(server(), 'POST', `/transactions/${transactionId}/refund`, { ...agent, 'Content-Type': 'text/plain' }, '{"amount":100}');
    expect({ status: refused.status, type: refused.type }).toEqual({ status: 415, type: expect.stringMatching(/^application\/problem\+json/) });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(0);
    expect(gateway.refunds.filter((r) => r.gatewayTransactionId.endsWith(transactionId))).toEqual([]);
    const refunded = await raw(server(), 'POST', `/transactions/${transactionId}/refund`, { ...agent, 'Content-Type': 'application/json' }, '{"amount":100}');
    expect(refunded.status).toBe(200);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(100);
  });

  it('fault 2: a body without Content-Type on the order refund is 415 and voids nothing', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 4999 });
    const refused = await raw(server(), 'POST', `/orders/${orderId}/refund`, agent, '{"amount":100}');
    expect(refused.status).toBe(415);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ voided: false, refundedAmount: 0 });
    expect(gateway.voids.filter((v) => v.gatewayTransactionId.endsWith(transactionId))).toEqual([]);
  });

  it('fault 1: JSON nested 2,000 deep on the order refund is 400, not a 500', async () => {
    const { orderId } = await placeCardOrder({ total: 1500 });
    const answer = await raw(server(), 'POST', `/orders/${orderId}/refund`, { ...agent, 'Content-Type': 'application/json' }, `{"amount":${'['.repeat(2000)}${']'.repeat(2000)}}`);
    expect({ status: answer.status, type: answer.type }).toEqual({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
  });

  it('fault 4: refunding an order payments does not know is 404', async () => {
    const answer = await http.post(`/orders/${newOrderId()}/refund`, {});
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
  });

  it('fault 4: a settlement run without a body is documented as such; TRACE is 405', async () => {
    await http.raw('post', '/settlement-runs', devKeys.admin).expect(200);
    const doc = (await http.get('/docs-json').expect(200)).body;
    expect(doc.paths['/settlement-runs'].post.requestBody.required).toBe(false);
    const trace = await raw(server(), 'TRACE', '/settlement-runs', {});
    expect(trace.status).toBe(405);
  });
});
