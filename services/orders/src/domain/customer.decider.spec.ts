import { CustomerEvent } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { CustomerCommand, customerDecider, customerView } from './customer.decider';

const agent = { kind: 'agent' as const, id: 'alice' };
const metadata = { now: '2026-03-01T10:00:00.000Z', actor: agent };
const billingAddress = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const profile = { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', billingAddress };
const cmd = <T extends CustomerCommand['type']>(type: T, data: Extract<CustomerCommand, { type: T }>['data']) =>
  ({ type, data, metadata }) as CustomerCommand;

const registered: CustomerEvent = { type: 'CustomerRegistered', data: { customerId: 'cu-1', ...profile } };
const mergedInto: CustomerEvent = { type: 'CustomerMergedInto', data: { customerId: 'cu-1', intoCustomerId: 'cu-9' } };

describe('customer decider', () => {
  describe('RegisterCustomer', () => {
    it('registers a customer with trimmed names', () => {
      spec(customerDecider)
        .given([])
        .when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, firstName: ' Ann ', phone: undefined }))
        .then([registered]);
    });

    it('records only profile fields, whatever else the caller passes', () => {
      const withExtras = { customerId: 'cu-1', ...profile, disableCustomerDedup: true } as Extract<CustomerCommand, { type: 'RegisterCustomer' }>['data'];
      spec(customerDecider).given([]).when(cmd('RegisterCustomer', withExtras)).then([registered]);
    });

    it('refuses to register the same customer twice', () => {
      spec(customerDecider).given([registered]).when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile })).thenThrows('CUSTOMER_EXISTS', 'conflict');
    });

    it('refuses a blank name or an address-less email', () => {
      spec(customerDecider).given([]).when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, lastName: '  ' })).thenThrows('INVALID_CUSTOMER', 'rule');
      spec(customerDecider).given([]).when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, email: 'ann' })).thenThrows('INVALID_CUSTOMER', 'rule');
    });
  });

  describe('UpdateCustomer', () => {
    it('records only the fields that changed', () => {
      spec(customerDecider)
        .given([registered])
        .when(cmd('UpdateCustomer', { customerId: 'cu-1', firstName: 'Ann', lastName: 'Lee-Smith', phone: '512-555-0100', billingAddress: { ...billingAddress } }))
        .then([{ type: 'CustomerUpdated', data: { customerId: 'cu-1', changes: { lastName: 'Lee-Smith', phone: '512-555-0100' } } }]);
    });

    it('records a changed address', () => {
      const shippingAddress = { ...billingAddress, line1: '2 Oak Ave' };
      spec(customerDecider)
        .given([registered])
        .when(cmd('UpdateCustomer', { customerId: 'cu-1', billingAddress: shippingAddress }))
        .then([{ type: 'CustomerUpdated', data: { customerId: 'cu-1', changes: { billingAddress: shippingAddress } } }]);
    });

    it('records nothing when nothing changed', () => {
      spec(customerDecider).given([registered]).when(cmd('UpdateCustomer', { customerId: 'cu-1', email: 'ann@example.com' })).then([]);
    });

    it('applies the changes to the state', () => {
      const updated: CustomerEvent = { type: 'CustomerUpdated', data: { customerId: 'cu-1', changes: { email: 'new@example.com' } } };
      expect(customerView(spec(customerDecider).given([registered, updated]).state)?.email).toBe('new@example.com');
    });

    it('is not-found for a missing customer', () => {
      spec(customerDecider).given([]).when(cmd('UpdateCustomer', { customerId: 'cu-1', firstName: 'X' })).thenThrows('CUSTOMER_NOT_FOUND', 'not-found');
    });
  });

  describe('AddCustomerNote', () => {
    it('adds a trimmed note with its author and time', () => {
      spec(customerDecider)
        .given([registered])
        .when(cmd('AddCustomerNote', { customerId: 'cu-1', noteId: 'n-1', message: '  Called about a late parcel ' }))
        .then([
          {
            type: 'CustomerNoteAdded',
            data: { customerId: 'cu-1', noteId: 'n-1', message: 'Called about a late parcel', author: agent, at: '2026-03-01T10:00:00.000Z' },
          },
        ]);
    });

    it('accepts exactly 500 characters and refuses 501 or a blank note', () => {
      const note = (message: string) => cmd('AddCustomerNote', { customerId: 'cu-1', noteId: 'n-1', message });
      expect(spec(customerDecider).given([registered]).when(note('x'.repeat(500))).then([expect.anything() as any])).toHaveLength(1);
      spec(customerDecider).given([registered]).when(note('x'.repeat(501))).thenThrows('INVALID_NOTE', 'rule');
      spec(customerDecider).given([registered]).when(note('   ')).thenThrows('INVALID_NOTE', 'rule');
    });

    it('refuses a second note with the same id', () => {
      const added: CustomerEvent = {
        type: 'CustomerNoteAdded',
        data: { customerId: 'cu-1', noteId: 'n-1', message: 'hi', author: agent, at: '2026-03-01T10:00:00.000Z' },
      };
      spec(customerDecider).given([registered, added]).when(cmd('AddCustomerNote', { customerId: 'cu-1', noteId: 'n-1', message: 'again' })).thenThrows('NOTE_EXISTS', 'conflict');
      expect(customerView(spec(customerDecider).given([registered, added]).state)?.notes).toEqual([added.data].map(({ customerId: _c, ...note }) => note));
    });

    it('is not-found for a missing customer', () => {
      spec(customerDecider).given([]).when(cmd('AddCustomerNote', { customerId: 'cu-1', noteId: 'n-1', message: 'hi' })).thenThrows('CUSTOMER_NOT_FOUND', 'not-found');
    });
  });

  describe('RecordCustomerBlacklisted', () => {
    const entries = [
      { entryId: 'b-1', type: 'EMAIL' as const, value: 'ann@example.com' },
      { entryId: 'b-2', type: 'ADDRESS' as const, value: '1 main st austin tx 78701 us' },
    ];
    it('records one event naming every entry, with who and when; the customer is unchanged', () => {
      spec(customerDecider)
        .given([registered])
        .when(cmd('RecordCustomerBlacklisted', { customerId: 'cu-1', entries, codOnly: true, reason: ' chargebacks ' }))
        .then([{ type: 'CustomerBlacklisted', data: { customerId: 'cu-1', entries, codOnly: true, reason: 'chargebacks', by: agent, at: metadata.now } }]);
      const after = spec(customerDecider).given([registered, { type: 'CustomerBlacklisted', data: { customerId: 'cu-1', entries, codOnly: true, reason: 'x', by: agent, at: metadata.now } }]).state;
      expect(customerView(after)).toEqual(customerView(spec(customerDecider).given([registered]).state));
    });

    it('needs a reason, an existing customer that was not merged away', () => {
      spec(customerDecider).given([registered]).when(cmd('RecordCustomerBlacklisted', { customerId: 'cu-1', entries, codOnly: false, reason: '  ' })).thenThrows('REASON_REQUIRED', 'rule');
      spec(customerDecider).given([]).when(cmd('RecordCustomerBlacklisted', { customerId: 'cu-1', entries, codOnly: false, reason: 'r' })).thenThrows('CUSTOMER_NOT_FOUND', 'not-found');
      spec(customerDecider).given([registered, mergedInto]).when(cmd('RecordCustomerBlacklisted', { customerId: 'cu-1', entries, codOnly: false, reason: 'r' })).thenThrows('CUSTOMER_MERGED');
    });
  });

  describe('merge', () => {
    it('records the merge on the surviving customer', () => {
      spec(customerDecider)
        .given([registered])
        .when(cmd('MergeCustomer', { customerId: 'cu-1', fromCustomerId: 'cu-2' }))
        .then([{ type: 'CustomersMerged', data: { customerId: 'cu-1', fromCustomerId: 'cu-2' } }]);
    });

    it('does nothing when the same customer is merged again', () => {
      const merged: CustomerEvent = { type: 'CustomersMerged', data: { customerId: 'cu-1', fromCustomerId: 'cu-2' } };
      spec(customerDecider).given([registered, merged]).when(cmd('MergeCustomer', { customerId: 'cu-1', fromCustomerId: 'cu-2' })).then([]);
    });

    it('refuses to merge a customer into itself', () => {
      spec(customerDecider).given([registered]).when(cmd('MergeCustomer', { customerId: 'cu-1', fromCustomerId: 'cu-1' })).thenThrows('CANNOT_MERGE_INTO_ITSELF', 'rule');
      spec(customerDecider).given([registered]).when(cmd('MarkCustomerMergedInto', { customerId: 'cu-1', intoCustomerId: 'cu-1' })).thenThrows('CANNOT_MERGE_INTO_ITSELF', 'rule');
    });

    it('marks the merged customer with its survivor', () => {
      spec(customerDecider).given([registered]).when(cmd('MarkCustomerMergedInto', { customerId: 'cu-1', intoCustomerId: 'cu-9' })).then([mergedInto]);
      expect(customerView(spec(customerDecider).given([registered, mergedInto]).state)?.mergedInto).toBe('cu-9');
    });

    it('refuses every command on a merged customer, naming the survivor', () => {
      const given = spec(customerDecider).given([registered, mergedInto]);
      const commands: CustomerCommand[] = [
        cmd('UpdateCustomer', { customerId: 'cu-1', firstName: 'X' }),
        cmd('AddCustomerNote', { customerId: 'cu-1', noteId: 'n-1', message: 'hi' }),
        cmd('MergeCustomer', { customerId: 'cu-1', fromCustomerId: 'cu-3' }),
        cmd('MarkCustomerMergedInto', { customerId: 'cu-1', intoCustomerId: 'cu-9' }),
      ];
      for (const command of commands) expect(given.when(command).thenThrows('CUSTOMER_MERGED', 'rule').details).toEqual({ intoCustomerId: 'cu-9' });
      given.when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile })).thenThrows('CUSTOMER_EXISTS', 'conflict');
    });

    it('is not-found for a missing customer', () => {
      spec(customerDecider).given([]).when(cmd('MergeCustomer', { customerId: 'cu-1', fromCustomerId: 'cu-2' })).thenThrows('CUSTOMER_NOT_FOUND', 'not-found');
      spec(customerDecider).given([]).when(cmd('MarkCustomerMergedInto', { customerId: 'cu-1', intoCustomerId: 'cu-2' })).thenThrows('CUSTOMER_NOT_FOUND', 'not-found');
    });
  });

  describe('custom fields', () => {
    const withFields: CustomerEvent = { type: 'CustomerRegistered', data: { customerId: 'cu-1', ...profile, customFields: { tier: 'gold', source: 'fair' } } };
    const fields = (events: CustomerEvent[]) => customerView(spec(customerDecider).given(events).state)?.customFields;

    it('registers a customer with its custom fields, leaving out those given ""', () => {
      spec(customerDecider)
        .given([])
        .when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, customFields: { tier: 'gold', source: 'fair', note: '' } }))
        .then([withFields]);
    });

    it('registers no custom fields when all are empty, and the view shows {}', () => {
      spec(customerDecider).given([]).when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, customFields: { note: '' } })).then([registered]);
      expect(fields([registered])).toEqual({});
      expect(fields([withFields])).toEqual({ tier: 'gold', source: 'fair' });
    });

    it('refuses 21 fields, a 41-character name or a 501-character value on register, naming the field', () => {
      const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x']));
      const given = spec(customerDecider).given([]);
      expect(given.when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, customFields: many })).thenThrows('INVALID_CUSTOM_FIELD', 'rule').details).toMatchObject({ field: 'customFields' });
      const long = 'n'.repeat(41);
      expect(given.when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, customFields: { [long]: 'x' } })).thenThrows('INVALID_CUSTOM_FIELD', 'rule').details).toMatchObject({ field: `customFields.${long}` });
      expect(given.when(cmd('RegisterCustomer', { customerId: 'cu-1', ...profile, customFields: { tier: 'v'.repeat(501) } })).thenThrows('INVALID_CUSTOM_FIELD', 'rule').details).toMatchObject({ field: 'customFields.tier' });
    });

    it('a PATCH merges by name: records only the fields it changes, who and when', () => {
      spec(customerDecider)
        .given([withFields])
        .when(cmd('UpdateCustomer', { customerId: 'cu-1', customFields: { tier: 'platinum', source: 'fair', channel: 'phone' } }))
        .then([{ type: 'CustomerCustomFieldsChanged', data: { customerId: 'cu-1', set: { tier: 'platinum', channel: 'phone' }, by: agent, at: metadata.now } }]);
    });

    it('a PATCH removes a field set to "" or null, and ignores removing one that is not there', () => {
      spec(customerDecider)
        .given([withFields])
        .when(cmd('UpdateCustomer', { customerId: 'cu-1', customFields: { tier: '', source: null, never: null } }))
        .then([{ type: 'CustomerCustomFieldsChanged', data: { customerId: 'cu-1', removed: ['tier', 'source'], by: agent, at: metadata.now } }]);
    });

    it('a PATCH that changes nothing records nothing', () => {
      spec(customerDecider).given([withFields]).when(cmd('UpdateCustomer', { customerId: 'cu-1', customFields: { tier: 'gold', never: '' } })).then([]);
    });

    it('a PATCH of profile and custom fields records both changes', () => {
      spec(customerDecider)
        .given([registered])
        .when(cmd('UpdateCustomer', { customerId: 'cu-1', lastName: 'Lee-Smith', customFields: { tier: 'gold' } }))
        .then([
          { type: 'CustomerUpdated', data: { customerId: 'cu-1', changes: { lastName: 'Lee-Smith' } } },
          { type: 'CustomerCustomFieldsChanged', data: { customerId: 'cu-1', set: { tier: 'gold' }, by: agent, at: metadata.now } },
        ]);
    });

    it('the limit of 20 applies to the result of the merge', () => {
      const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x']));
      const full: CustomerEvent = { type: 'CustomerRegistered', data: { customerId: 'cu-1', ...profile, customFields: twenty } };
      const given = spec(customerDecider).given([full]);
      expect(given.when(cmd('UpdateCustomer', { customerId: 'cu-1', customFields: { extra: 'y' } })).thenThrows('TOO_MANY_CUSTOM_FIELDS', 'rule').details).toMatchObject({ field: 'customFields', count: 21 });
      // one out, one in: still 20
      given.when(cmd('UpdateCustomer', { customerId: 'cu-1', customFields: { f0: null, extra: 'y' } })).then([
        { type: 'CustomerCustomFieldsChanged', data: { customerId: 'cu-1', set: { extra: 'y' }, removed: ['f0'], by: agent, at: metadata.now } },
      ]);
    });

    it('the state folds the changes', () => {
      const changed: CustomerEvent = { type: 'CustomerCustomFieldsChanged', data: { customerId: 'cu-1', set: { tier: 'platinum', channel: 'phone' }, removed: ['source'], by: agent, at: metadata.now } };
      expect(fields([withFields, changed])).toEqual({ tier: 'platinum', channel: 'phone' });
    });
  });

  it('has no view for a customer that does not exist', () => {
    expect(customerView(customerDecider.initialState())).toBeNull();
  });
});
