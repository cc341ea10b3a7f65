import { refusal } from '@continuum/testing';
import { applyCustomFieldsChange, customFieldsProblems, customFieldsToStore, mergeCustomFields } from './custom-fields';

const fieldsOf = (count: number, value = 'x') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`field ${i}`, value]));

describe('custom fields', () => {
  describe('what a request may give', () => {
    it('takes up to 20 fields, names of 1..40 characters and values of up to 500', () => {
      expect(customFieldsProblems(fieldsOf(20, 'v'.repeat(500)), 'set')).toEqual([]);
      expect(customFieldsProblems({ ['n'.repeat(40)]: 'x', 'Favourite colour': 'blue', 'é': '' }, 'set')).toEqual([]);
    });

    it('refuses a 21st field, naming customFields', () => {
      expect(customFieldsProblems(fieldsOf(21), 'set')).toEqual([{ field: 'customFields', message: 'at most 20 custom fields (21 given)' }]);
    });

    it('does not count fields given "" on a create (they are not stored)', () => {
      expect(customFieldsProblems({ ...fieldsOf(20), empty: '' }, 'set')).toEqual([]);
    });

    it('names each bad field: a long name, an empty name, a long value, a value that is not a string', () => {
      const long = 'n'.repeat(41);
      expect(customFieldsProblems({ [long]: 'x', '': 'x', tier: 'v'.repeat(501), count: 3 }, 'set').map((problem) => problem.field)).toEqual([
        `customFields.${long}`,
        'customFields.',
        'customFields.tier',
        'customFields.count',
      ]);
    });

    it('refuses names the stored documents cannot take or an error path cannot name: a dot, a leading $, whitespace at an end', () => {
      for (const name of ['a.b', '$where', ' tier', 'tier ', 'tab\there']) {
        expect(customFieldsProblems({ [name]: 'x' }, 'set')).toEqual([expect.objectContaining({ field: `customFields.${name}` })]);
      }
      expect(customFieldsProblems({ 'price$': 'x', 'two words': 'x' }, 'set')).toEqual([]);
    });

    it('counts characters, not UTF-16 units: 40 emoji make a valid name', () => {
      expect(customFieldsProblems({ ['😀'.repeat(40)]: '😀'.repeat(500) }, 'set')).toEqual([]);
    });

    it('a PATCH may remove with null, and name up to 40 fields', () => {
      expect(customFieldsProblems({ tier: null, source: '' }, 'patch')).toEqual([]);
      expect(customFieldsProblems({ tier: null }, 'set')).toEqual([{ field: 'customFields.tier', message: 'a custom field value is a string' }]);
      expect(customFieldsProblems(fieldsOf(40), 'patch')).toEqual([]);
      expect(customFieldsProblems(fieldsOf(41), 'patch')).toEqual([{ field: 'customFields', message: 'at most 40 custom fields named in one request (41 given)' }]);
    });

    it('takes any name as a plain key, even one an object has already (constructor, toString)', () => {
    expect(mergeCustomFields({ constructor: 'a' }, { toString: 'b', constructor: null })).toEqual({ set: { toString: 'b' }, removed: ['constructor'], fields: { toString: 'b' } });
  });

  it('refuses anything but an object', () => {
      for (const value of ['x', ['a'], null, 3]) expect(customFieldsProblems(value, 'set')).toEqual([expect.objectContaining({ field: 'customFields' })]);
    });
  });

  describe('what a create stores', () => {
    it('leaves out fields given "", and stores nothing when none remain', () => {
      expect(customFieldsToStore({ tier: 'gold', note: '' })).toEqual({ tier: 'gold' });
      expect(customFieldsToStore({ note: '' })).toBeUndefined();
      expect(customFieldsToStore(undefined)).toBeUndefined();
    });

    it('refuses a bad field with INVALID_CUSTOM_FIELD (422) naming it', () => {
      const refused = refusal(() => customFieldsToStore({ tier: 'v'.repeat(501) }));
      expect(refused).toMatchObject({ code: 'INVALID_CUSTOM_FIELD', kind: 'rule', details: { field: 'customFields.tier' } });
    });
  });

  describe('a PATCH merged by name', () => {
    const current = { tier: 'gold', source: 'fair' };

    it('sets new and changed fields, removes those given "" or null, keeps the rest', () => {
      expect(mergeCustomFields(current, { tier: 'platinum', channel: 'phone', source: null })).toEqual({
        set: { tier: 'platinum', channel: 'phone' },
        removed: ['source'],
        fields: { tier: 'platinum', channel: 'phone' },
      });
    });

    it('reports no change for the same value or the removal of an absent field', () => {
      expect(mergeCustomFields(current, { tier: 'gold', absent: '', other: null })).toEqual({ set: {}, removed: [], fields: current });
    });

    it('refuses a result of more than 20 fields (TOO_MANY_CUSTOM_FIELDS), though each request alone is fine', () => {
      const refused = refusal(() => mergeCustomFields(fieldsOf(19), { a: '1', b: '2' }));
      expect(refused).toMatchObject({ code: 'TOO_MANY_CUSTOM_FIELDS', kind: 'rule', details: { field: 'customFields', limit: 20, count: 21 } });
      expect(mergeCustomFields(fieldsOf(20), { ...fieldsOf(20, ''), ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`new ${i}`, 'y'])) }).fields).toEqual(
        Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`new ${i}`, 'y'])),
      );
    });

    it('refuses a bad change with INVALID_CUSTOM_FIELD naming it', () => {
      expect(refusal(() => mergeCustomFields(current, { ['n'.repeat(41)]: 'x' }))).toMatchObject({ code: 'INVALID_CUSTOM_FIELD', details: { field: `customFields.${'n'.repeat(41)}` } });
    });

    it('applying a recorded change gives the merged fields', () => {
      expect(applyCustomFieldsChange(current, { set: { tier: 'platinum' }, removed: ['source'] })).toEqual({ tier: 'platinum' });
    });
  });
});
