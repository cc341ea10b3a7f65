import { exportFacts } from './export-run.workflow';
import { austin } from './fulfillment.fixtures';
import { NO_ORDER_FACTS } from './order.reactions';

const billing = { ...austin, line1: '9 Elm St' };

describe('export run workflow', () => {
  it("given a customer with a shipping address, when an export's facts are gathered, then the name and that address go to the decider", () => {
    expect(exportFacts(NO_ORDER_FACTS, { name: 'Ann Lee', shippingAddress: austin, billingAddress: billing })).toEqual({
      orderInQa: false,
      testCardOnLiveGateway: false,
      shipToName: 'Ann Lee',
      customerAddress: austin,
    });
  });

  it('given a customer without a shipping address, when gathered, then the billing address is the one to ship to', () => {
    expect(exportFacts(NO_ORDER_FACTS, { name: 'Ann Lee', shippingAddress: null, billingAddress: billing }).customerAddress).toEqual(billing);
  });

  it('given a customer not seen yet, when gathered, then neither a name nor an address is known', () => {
    expect(exportFacts(NO_ORDER_FACTS, null)).toMatchObject({ shipToName: null, customerAddress: null });
  });

  it('given an order in QA paid with a test card on a live gateway, when gathered, then the decider is told both', () => {
    expect(exportFacts({ inQa: true, testCardOnLiveGateway: true }, null)).toMatchObject({ orderInQa: true, testCardOnLiveGateway: true });
  });
});
