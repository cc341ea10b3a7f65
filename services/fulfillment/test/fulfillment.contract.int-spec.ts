import { expectContractKept, useServiceUnderTest } from '@continuum/testing';
import { FulfillmentModule } from '../src/fulfillment.module';
import { ExportRunQueue } from '../src/jobs';

describe('fulfillment: the server refuses exactly what its OpenAPI document declares invalid', () => {
  const sut = useServiceUnderTest({ service: 'fulfillment', module: FulfillmentModule, env: { EXPORT_INTERVAL_MS: '3600000' }, queues: (app) => [app.get(ExportRunQueue).bullQueue] });

  it('every declared constraint and required filter is enforced (400 naming the field), and no document-valid request is refused', async () => {
    const report = await expectContractKept(sut);
    // GET /fulfillments without orderId and status, and every house-update field at least
    expect(report.invalidCases).toBeGreaterThanOrEqual(40);
  });
});
