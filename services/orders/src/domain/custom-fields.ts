import { CUSTOM_FIELD_LIMITS, CUSTOM_FIELD_NAME_PATTERN, CustomFieldChanges, CustomFields, DomainError, PRINTABLE_TEXT } from '@continuum/contracts';

/**
 * Custom fields of customers and orders (docs/orders.md, "Custom fields"): at most 20 per customer
 * or order, names of 1..40 characters, values strings of up to 500. On a create, a field given ""
 * is not stored. A PATCH merges by name: a value sets the field, "" or null removes it, fields it
 * does not name stay; the limit of 20 applies to the result.
 */

/** One thing wrong with a request's custom fields, naming the field (`customFields.<name>`). */
export interface CustomFieldProblem {
  readonly field: string;
  readonly message: string;
}

/** `set`: the fields of a create (values only); `patch`: the changes of a PATCH (a value, "" or null). */
export type CustomFieldsInput = 'set' | 'patch';

const NAME = new RegExp(CUSTOM_FIELD_NAME_PATTERN, 'u');
const VALUE = new RegExp(PRINTABLE_TEXT, 'u');
/** characters as JSON Schema counts them (code points), so the HTTP document and this check agree */
const length = (text: string): number => [...text].length;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problems of one name. */
function nameProblem(name: string): string | undefined {
  if (length(name) < 1 || length(name) > CUSTOM_FIELD_LIMITS.nameLength) return `a custom field name has 1 to ${CUSTOM_FIELD_LIMITS.nameLength} characters`;
  if (!NAME.test(name)) return 'a custom field name has no ".", no leading "$", no control characters and no whitespace at either end';
  return undefined;
}

/** The problems of one value. */
function valueProblem(value: unknown, input: CustomFieldsInput): string | undefined {
  if (value === null && input === 'patch') return undefined;
  if (typeof value !== 'string') return input === 'patch' ? 'a custom field value is a string ("" or null removes the field)' : 'a custom field value is a string';
  if (length(value) > CUSTOM_FIELD_LIMITS.valueLength) return `a custom field value has at most ${CUSTOM_FIELD_LIMITS.valueLength} characters`;
  if (!VALUE.test(value)) return 'a custom field value has no control characters';
  return undefined;
}

/**
 * Everything wrong with a request's `customFields` (none when acceptable): not an object, too many
 * fields (more than 20 given on a create; more than 40 named by one PATCH), a bad name or value.
 */
export function customFieldsProblems(value: unknown, input: CustomFieldsInput): CustomFieldProblem[] {
  if (!isPlainObject(value)) return [{ field: 'customFields', message: 'customFields is an object of name -> string value' }];
  const names = Object.keys(value);
  const problems: CustomFieldProblem[] = [];
  const most = input === 'set' ? CUSTOM_FIELD_LIMITS.maxFields : CUSTOM_FIELD_LIMITS.maxChangesPerRequest;
  const filled = input === 'set' ? names.filter((name) => value[name] !== '').length : names.length;
  if (filled > most) {
    problems.push({
      field: 'customFields',
      message: input === 'set' ? `at most ${most} custom fields (${filled} given)` : `at most ${most} custom fields named in one request (${filled} given)`,
    });
  }
  for (const name of names) {
    const problem = nameProblem(name) ?? valueProblem(value[name], input);
    if (problem !== undefined) problems.push({ field: `customFields.${name}`, message: problem });
  }
  return problems;
}

function refuse(problems: readonly CustomFieldProblem[]): never {
  const [first] = problems;
  throw new DomainError('INVALID_CUSTOM_FIELD', `${first.field}: ${first.message}`, 'rule', { field: first.field, problems });
}

/**
 * The custom fields a create stores: checked (INVALID_CUSTOM_FIELD, 422, naming the field), fields
 * given "" left out; undefined when none remain, so the event carries no empty object.
 */
export function customFieldsToStore(given: CustomFields | undefined): CustomFields | undefined {
  if (given === undefined) return undefined;
  const problems = customFieldsProblems(given, 'set');
  if (problems.length > 0) refuse(problems);
  const kept = Object.entries(given).filter(([, value]) => value !== '');
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** What a PATCH does to the custom fields: only what changed. */
export interface CustomFieldsChange {
  /** fields given a value they did not have (new, or changed) */
  readonly set: CustomFields;
  /** names of fields that were there and are removed */
  readonly removed: readonly string[];
  /** the fields after the change */
  readonly fields: CustomFields;
}

/**
 * Merges a PATCH's changes into `current` by name: a value sets the field, "" or null removes it,
 * names not given stay. A change to what is already there (the same value, removing an absent field)
 * is no change. More than 20 fields after the merge is TOO_MANY_CUSTOM_FIELDS (422).
 */
export function mergeCustomFields(current: CustomFields, changes: CustomFieldChanges): CustomFieldsChange {
  const problems = customFieldsProblems(changes, 'patch');
  if (problems.length > 0) refuse(problems);
  // Maps, not objects, while merging: any name is a plain key (no object's own keys or prototype in the way)
  const set = new Map<string, string>();
  const removed: string[] = [];
  const fields = new Map(Object.entries(current));
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') {
      if (fields.delete(name)) removed.push(name);
    } else if (fields.get(name) !== value) {
      set.set(name, value);
      fields.set(name, value);
    }
  }
  const count = fields.size;
  if (count > CUSTOM_FIELD_LIMITS.maxFields) {
    throw new DomainError('TOO_MANY_CUSTOM_FIELDS', `At most ${CUSTOM_FIELD_LIMITS.maxFields} custom fields; this change would leave ${count}`, 'rule', {
      field: 'customFields',
      limit: CUSTOM_FIELD_LIMITS.maxFields,
      count,
    });
  }
  return { set: Object.fromEntries(set), removed, fields: Object.fromEntries(fields) };
}

/** The fields after a CustomerCustomFieldsChanged-like change (`set` applied, `removed` taken off). */
export function applyCustomFieldsChange(current: CustomFields, change: { readonly set?: CustomFields; readonly removed?: readonly string[] }): CustomFields {
  const fields = new Map([...Object.entries(current), ...Object.entries(change.set ?? {})]);
  for (const name of change.removed ?? []) fields.delete(name);
  return Object.fromEntries(fields);
}
