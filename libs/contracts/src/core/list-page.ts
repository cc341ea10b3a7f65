import { JsonSchema } from './registry';

/**
 * One page of a list filtered by status (`GET /orders?status=`, `/fulfillments?status=`,
 * `/refunds?status=`, `/purchases?status=`): `limit` 1..200 items (default 50), `after` the last id of
 * the previous page; the answer is the array of items, an empty one past the end (docs/api-limits.md).
 */
export const LIST_PAGE = { min: 1, max: 200, default: 50 } as const;

/** What a list's page asks for, `limit` already a number. */
export interface ListPage {
  readonly limit: number;
  readonly after?: string;
}

/** The query field `limit` (a query string is text): 1..200, anything else is 400 naming `limit`. */
export const pageLimitSchema = (what: string): JsonSchema => ({
  type: 'string',
  pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$',
  description: `${what} per page, ${LIST_PAGE.min}..${LIST_PAGE.max} (default ${LIST_PAGE.default})`,
});

/** The page a query asked for: its `limit` (default 50) and `after` when given. */
export const listPage = (query: { readonly limit?: string; readonly after?: string }): ListPage => ({
  limit: query.limit === undefined ? LIST_PAGE.default : Number(query.limit),
  ...(query.after !== undefined ? { after: query.after } : {}),
});

/**
 * The page of `items` (already in the list's order) after the one whose id is `page.after`, at most
 * `page.limit` of them. An `after` no longer in the list starts from the first item, as a view index's
 * page does (`ViewStore.idsPage`).
 */
export function pageOf<T>(items: readonly T[], idOf: (item: T) => string, page: ListPage): T[] {
  const start = page.after === undefined ? 0 : items.findIndex((item) => idOf(item) === page.after) + 1;
  return items.slice(start, start + page.limit);
}
