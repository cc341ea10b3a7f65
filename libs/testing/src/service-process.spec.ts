import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { roundRobinAgent } from './service-process';

/** A server that answers 200 with its name and the Authorization header it got (418 for /teapot). */
function server(name: string): Promise<{ name: string; url: string; server: Server }> {
  const http = createServer((incoming, response) => {
    incoming.resume();
    incoming.on('end', () => {
      response.writeHead(incoming.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name, authorization: incoming.headers.authorization ?? null, method: incoming.method }));
    });
  });
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve({ name, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, server: http })));
}

describe('roundRobinAgent', () => {
  let one: Awaited<ReturnType<typeof server>>;
  let two: Awaited<ReturnType<typeof server>>;

  beforeAll(async () => {
    [one, two] = await Promise.all([server('one'), server('two')]);
  });
  afterAll(async () => {
    await Promise.all([one, two].map((s) => new Promise((resolve) => s.server.close(resolve))));
  });

  it('sends each request to the next instance in turn, whatever the method', async () => {
    const agent = roundRobinAgent([one, two]);
    const answered = [];
    answered.push((await agent.get('/a')).body.name);
    answered.push((await agent.post('/b', { x: 1 })).body.name);
    answered.push((await agent.patch('/c', {})).body.name);
    answered.push((await agent.delete('/d')).body.name);
    answered.push((await agent.raw('put', '/e')).body.name);
    expect(answered).toEqual(['one', 'two', 'one', 'two', 'one']);
  });

  it('shares the turn and the trail with the agents `as` makes, each with its own key', async () => {
    const agent = roundRobinAgent([one, two]);
    const admin = agent.as('dev-admin');
    const first = await agent.get('/x');
    const second = await admin.get('/y');
    const third = await agent.get('/z', null);
    expect([first.body, second.body, third.body]).toEqual([
      { name: 'one', authorization: 'Bearer dev-agent', method: 'GET' },
      { name: 'two', authorization: 'Bearer dev-admin', method: 'GET' },
      { name: 'one', authorization: null, method: 'GET' },
    ]);
    expect(admin.trail).toBe(agent.trail);
  });

  it('keeps in its trail which instance answered which request, and with what status', async () => {
    const agent = roundRobinAgent([one, two]);
    await agent.get('/orders/1');
    await agent.post('/teapot', {});
    expect(agent.trail[0]!.answer).toBeUndefined();
    expect(agent.trail).toEqual([
      expect.objectContaining({ service: 'one', instance: 1, url: one.url, method: 'GET', path: '/orders/1', status: 200 }),
      expect.objectContaining({ service: 'two', instance: 2, url: two.url, method: 'POST', path: '/teapot', status: 418, answer: expect.stringContaining('"name":"two"') }),
    ]);
  });

  it('refuses no instances', () => {
    expect(() => roundRobinAgent([])).toThrow(/at least one/);
  });
});
