import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { devKeys, httpAgent } from './http-agent';
import { newCustomer, testCard } from './test-data';

/** Answers what it was sent: method, path, Authorization, Content-Type and body. */
const echo = (request: IncomingMessage, response: ServerResponse) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ method: request.method, path: request.url, authorization: request.headers.authorization ?? null, type: request.headers['content-type'] ?? null, body }));
  });
};

describe('httpAgent', () => {
  const http = httpAgent(() => echo);

  it('sends the development agent key unless a call names another, or none', async () => {
    expect((await http.get('/orders')).body).toMatchObject({ method: 'GET', path: '/orders', authorization: 'Bearer dev-agent' });
    expect((await http.delete('/blacklist/1', devKeys.admin)).body).toMatchObject({ method: 'DELETE', authorization: 'Bearer dev-admin' });
    expect((await http.get('/health', null)).body).toMatchObject({ authorization: null });
  });

  it('sends bodies as JSON, {} when none is given', async () => {
    expect((await http.post('/orders', { a: 1 }, devKeys.service)).body).toMatchObject({ method: 'POST', authorization: 'Bearer dev-service', type: 'application/json', body: '{"a":1}' });
    expect((await http.patch('/customers/1')).body).toMatchObject({ method: 'PATCH', body: '{}' });
  });

  it('switches its default key with as()', async () => {
    expect((await http.as(devKeys.admin).post('/campaigns')).body.authorization).toBe('Bearer dev-admin');
    expect((await http.as(null).get('/docs-json')).body.authorization).toBeNull();
  });

  it('makes a bare request with the key only, for a method or body of its own', async () => {
    const answer = await http.raw('post', '/orders').set('Content-Type', 'text/plain').send('{"a":1}');
    expect(answer.body).toMatchObject({ method: 'POST', authorization: 'Bearer dev-agent', type: 'text/plain', body: '{"a":1}' });
    expect((await http.raw('trace', '/orders', null)).body).toMatchObject({ method: 'TRACE', authorization: null });
  });

  it('reaches a service by its URL', async () => {
    const server = createServer(echo);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const byUrl = httpAgent(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, devKeys['fulfillment-house']);
      expect((await byUrl.get('/x')).body).toMatchObject({ path: '/x', authorization: 'Bearer dev-fulfillment-house' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('test data', () => {
  it('makes customers with their own name and email', () => {
    const [a, b] = [newCustomer(), newCustomer({ phone: '+1 512 555 0100' })];
    expect(a.email).not.toBe(b.email);
    expect(a.lastName).not.toBe(b.lastName);
    expect(b).toMatchObject({ firstName: 'Ann', phone: '+1 512 555 0100', billingAddress: { country: 'US' } });
  });

  it('makes a card that has not expired', () => {
    const card = testCard('4000000000000002', { cvv: '999' });
    expect(card).toEqual({ number: '4000000000000002', expMonth: 12, expYear: expect.any(Number), cvv: '999' });
    expect(card.expYear).toBeGreaterThan(new Date().getUTCFullYear());
  });
});
