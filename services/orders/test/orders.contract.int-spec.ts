import { expectContractKept, useServiceUnderTest } from '@continuum/testing';
import { OrdersModule } from '../src/orders.module';

describe('orders: the server refuses exactly what its OpenAPI document declares invalid', () => {
  const sut = useServiceUnderTest({ service: 'orders', module: OrdersModule });

  it('every declared constraint and required filter is enforced (400 naming the field), and no document-valid request is refused', async () => {
    const report = await expectContractKept(sut);
    // every field of POST /orders, customers, campaigns and the blacklist at least
    expect(report.invalidCases).toBeGreaterThanOrEqual(200);
  });
});
