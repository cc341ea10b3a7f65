import { fixedIdSource, randomIdSource } from './id-source';

describe('id source', () => {
  it('draws numbers in [0, 1) and gives distinct UUIDs', () => {
    const draws = Array.from({ length: 1000 }, () => randomIdSource.draw());
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(990);
    const ids = new Set(Array.from({ length: 100 }, () => randomIdSource.newId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a fixed source gives its ids and draws in turn, starting over when used up', () => {
    const source = fixedIdSource(['a', 'b'], [0.1, 0.9]);
    expect([source.newId(), source.newId(), source.newId()]).toEqual(['a', 'b', 'a']);
    expect([source.draw(), source.draw(), source.draw()]).toEqual([0.1, 0.9, 0.1]);
  });
});
