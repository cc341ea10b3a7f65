import { LIST_PAGE, listPage, pageLimitSchema, pageOf } from './list-page';

const ids = Array.from({ length: 7 }, (_, n) => ({ id: `r-${n + 1}` }));
const idOf = (item: { id: string }) => item.id;

describe('a page of a status list', () => {
  it('walks a list page by page with the last id of each', () => {
    const first = pageOf(ids, idOf, { limit: 3 });
    expect(first.map(idOf)).toEqual(['r-1', 'r-2', 'r-3']);
    const second = pageOf(ids, idOf, { limit: 3, after: 'r-3' });
    expect(second.map(idOf)).toEqual(['r-4', 'r-5', 'r-6']);
    expect(pageOf(ids, idOf, { limit: 3, after: 'r-6' }).map(idOf)).toEqual(['r-7']);
    expect(pageOf(ids, idOf, { limit: 3, after: 'r-7' })).toEqual([]);
  });

  it('starts from the first item when `after` is no longer listed', () => {
    expect(pageOf(ids, idOf, { limit: 2, after: 'gone' }).map(idOf)).toEqual(['r-1', 'r-2']);
  });

  it('takes the limit a query gives, else 50', () => {
    expect(listPage({})).toEqual({ limit: LIST_PAGE.default });
    expect(listPage({ limit: '7', after: 'r-3' })).toEqual({ limit: 7, after: 'r-3' });
  });

  it('accepts 1..200 as the limit and nothing else', () => {
    const pattern = new RegExp(pageLimitSchema('items')['pattern'] as string);
    for (const ok of ['1', '9', '10', '50', '99', '100', '199', '200']) expect(pattern.test(ok)).toBe(true);
    for (const bad of ['0', '201', '1000', '-1', '01', '5.5', 'abc', '']) expect(pattern.test(bad)).toBe(false);
  });
});
