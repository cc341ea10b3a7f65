import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectContractKept, useServiceUnderTest } from '@continuum/testing';
import { SubscriptionsModule } from '../src/subscriptions.module';
import { BillingRunQueue, RebillResolveQueue, RecycleQueue } from '../src/jobs';

describe('subscriptions: the server refuses exactly what its OpenAPI document declares invalid', () => {
  const sut = useServiceUnderTest({ service: 'subscriptions', module: SubscriptionsModule, queues: (app) => [app.get(RecycleQueue).bullQueue, app.get(BillingRunQueue).bullQueue, app.get(RebillResolveQueue).bullQueue] });

  it('every declared constraint and required filter is enforced (400 naming the field), and no document-valid request is refused', async () => {
    const report = await expectContractKept(sut);
    // GET /purchases without any filter, finalBillCycle 1..120 and every purchase action field at least
    expect(report.invalidCases).toBeGreaterThanOrEqual(40);
  });

  it('finalBillCycle is 1..120 in the document, as docs/api-limits.md states it', async () => {
    const doc = (await sut.http.get('/docs-json').expect(200)).body;
    expect(doc.components.schemas.UpdatePurchaseDto.properties.finalBillCycle).toMatchObject({ type: 'integer', minimum: 1, maximum: 120 });
    expect(readFileSync(join(__dirname, '../../../docs/api-limits.md'), 'utf8')).toContain('| `finalBillCycle` (campaign products, `PATCH /purchases/{id}`) | integer 1..120 |');
  });
});
