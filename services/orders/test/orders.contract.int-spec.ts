import { checkContract, devKeys, operations, useServiceUnderTest } from '@continuum/testing';
import { OrdersModule } from '../src/orders.module';

describe('orders: the server refuses exactly what its OpenAPI document declares invalid', () => {
  const sut = useServiceUnderTest({ service: 'orders', module: OrdersModule });

  it('every declared constraint and required filter is enforced (400 naming the field), and no document-valid request is refused', async () => {
    const doc = (await sut.http.get('/docs-json').expect(200)).body;
    const report = await checkContract(doc, { server: () => sut.app().getHttpServer(), keys: devKeys });
    expect(report.mismatches).toEqual([]);
    expect([...report.operations].sort()).toEqual(operations(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`).sort());
    // every field of POST /orders, customers, campaigns and the blacklist at least
    expect(report.invalidCases).toBeGreaterThanOrEqual(200);
  });
});
