import { expectContractKept, useServiceUnderTest } from '@continuum/testing';
import { ProjectionsModule } from '../src/projections.module';

describe('projections: the server refuses exactly what its OpenAPI document declares invalid', () => {
  const sut = useServiceUnderTest({ service: 'projections', module: ProjectionsModule });

  it('every declared constraint and required filter is enforced (400 naming the field), and no document-valid request is refused', async () => {
    const report = await expectContractKept(sut);
    // the history's asOf (date-time), the search's q (1..200, required) and the rebuild's view (enum) at least
    expect(report.invalidCases).toBeGreaterThanOrEqual(6);
  });
});
