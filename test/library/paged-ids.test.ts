/**
 * The library listing's id list (the renderer's PagedIds) in plain Node: pages, boundaries, prepends,
 * immutability, and a seeded random sequence of appends and prepends checked against a plain array.
 */
import { describe, expect, it } from 'vitest';
import { PagedIds, type IdPage } from '../../src/renderer/src/store/paged-ids';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Every id read one index at a time, so `at` is checked independently of `toArray`. */
function readAll(list: PagedIds): (string | undefined)[] {
  return Array.from({ length: list.length }, (_, i) => list.at(i));
}

/** A small deterministic PRNG (mulberry32), so a failing sequence replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PagedIds', () => {
  it('starts empty', () => {
    const empty = PagedIds.EMPTY;
    expect(empty.length).toBe(0);
    expect(empty.at(0)).toBeUndefined();
    expect(empty.at(-1)).toBeUndefined();
    expect(empty.slice(0)).toEqual([]);
    expect(empty.slice(-3, 3)).toEqual([]);
    expect(empty.pagesIn(0, 10)).toEqual([]);
    expect(empty.toArray()).toEqual([]);
  });

  it('builds a one-page list with of, keeping the cursor it was asked with', () => {
    const list = PagedIds.of(['a', 'b', 'c'], null);
    expect(list.length).toBe(3);
    expect(readAll(list)).toEqual(['a', 'b', 'c']);
    expect(list.pagesIn(0, 3)).toEqual([{ ids: ['a', 'b', 'c'], cursor: null }]);
  });

  it('ignores empty pages, keeping the list it was given', () => {
    const list = PagedIds.of(['a'], null);
    expect(PagedIds.of([], null)).toBe(PagedIds.EMPTY);
    expect(list.append([], 'c1')).toBe(list);
    expect(list.prepend([])).toBe(list);
    expect(PagedIds.EMPTY.prepend([])).toBe(PagedIds.EMPTY);
  });

  it('finds the right page on both sides of every page boundary', () => {
    // Pages of 1, 3 and 2 ids: boundaries at indexes 1 and 4, and a one-id page at the head.
    const list = PagedIds.of(['a0'], null).append(['b0', 'b1', 'b2'], 'c1').append(['c0', 'c1'], 'c2');
    expect(list.length).toBe(6);
    expect(readAll(list)).toEqual(['a0', 'b0', 'b1', 'b2', 'c0', 'c1']);
    expect(list.at(-1)).toBeUndefined();
    expect(list.at(6)).toBeUndefined();
    expect(list.pagesIn(0, 1).map((p) => p.cursor)).toEqual([null]);
    expect(list.pagesIn(1, 2).map((p) => p.cursor)).toEqual(['c1']);
    expect(list.pagesIn(3, 4).map((p) => p.cursor)).toEqual(['c1']);
    expect(list.pagesIn(3, 5).map((p) => p.cursor)).toEqual(['c1', 'c2']);
    expect(list.pagesIn(4, 6).map((p) => p.cursor)).toEqual(['c2']);
    expect(list.slice(3, 5)).toEqual(['b2', 'c0']);
    expect(list.slice(1, 4)).toEqual(['b0', 'b1', 'b2']);
  });

  it('puts a prepended page first, with no cursor, and shifts every index', () => {
    const list = PagedIds.of(['b0', 'b1'], null).append(['c0'], 'c1').prepend(['a0', 'a1', 'a2']);
    expect(list.length).toBe(6);
    expect(readAll(list)).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'c0']);
    expect(list.pagesIn(2, 4)).toEqual([
      { ids: ['a0', 'a1', 'a2'], cursor: undefined },
      { ids: ['b0', 'b1'], cursor: null },
    ]);
    expect(list.at(5)).toBe('c0');
  });

  it('clamps slice and pagesIn to the list: a negative start counts as 0, an end past it as the end', () => {
    const list = PagedIds.of(ids('a', 4), null).append(ids('b', 4), 'c1');
    expect(list.slice(-2, 3)).toEqual(['a0', 'a1', 'a2']);
    expect(list.slice(6, 100)).toEqual(['b2', 'b3']);
    expect(list.slice(8)).toEqual([]);
    expect(list.slice(5, 5)).toEqual([]);
    expect(list.slice(5, 2)).toEqual([]);
    expect(list.pagesIn(-10, 1).map((p) => p.cursor)).toEqual([null]);
    expect(list.pagesIn(7, 100).map((p) => p.cursor)).toEqual(['c1']);
    expect(list.pagesIn(8, 100)).toEqual([]);
    expect(list.pagesIn(3, 3)).toEqual([]);
  });

  it('leaves the list it was built from unchanged and shares its pages', () => {
    const first = ids('a', 3);
    const one = PagedIds.of(first, null);
    const two = one.append(ids('b', 2), 'c1');
    const three = two.prepend(ids('z', 1));
    expect(one.toArray()).toEqual(first);
    expect(two.toArray()).toEqual([...first, 'b0', 'b1']);
    expect(three.toArray()).toEqual(['z0', ...first, 'b0', 'b1']);
    expect(three.pagesIn(1, 2)[0]!.ids).toBe(first);
  });

  it('agrees with a plain array over a long random sequence of appends and prepends', () => {
    const next = random(20240611);
    const int = (n: number) => Math.floor(next() * n);
    let list = PagedIds.EMPTY;
    let model: string[] = [];
    /** The model's pages in order, each with the index of its first id. */
    let pages: (IdPage & { start: number })[] = [];
    let serial = 0;

    for (let step = 0; step < 400; step++) {
      // Sizes 0..7: empty pages and one-id pages are the edge cases of the starts table.
      const page = ids(`s${serial++}-`, int(8));
      if (next() < 0.25) {
        list = list.prepend(page);
        if (page.length > 0) {
          pages = [
            { ids: page, cursor: undefined, start: 0 },
            ...pages.map((p) => ({ ...p, start: p.start + page.length })),
          ];
        }
        model = [...page, ...model];
      } else {
        const cursor = `c${step}`;
        list = list.append(page, cursor);
        if (page.length > 0) pages.push({ ids: page, cursor, start: model.length });
        model = [...model, ...page];
      }

      expect(list.length).toBe(model.length);
      for (let probe = 0; probe < 8; probe++) {
        const i = int(model.length + 4) - 2;
        expect(list.at(i)).toBe(model[i]);
      }
      const from = int(model.length + 6) - 3;
      const to = from + int(40) - 5;
      expect(list.slice(from, to)).toEqual(model.slice(Math.max(0, from), Math.max(0, to)));
      const start = Math.max(0, from);
      const end = Math.min(model.length, to);
      const expected = pages
        .filter((p) => start < end && p.start < end && p.start + p.ids.length > start)
        .map(({ ids: pageIds, cursor }) => ({ ids: pageIds, cursor }));
      expect(list.pagesIn(from, to)).toEqual(expected);
    }

    expect(pages.length).toBeGreaterThan(200);
    expect(readAll(list)).toEqual(model);
    expect(list.toArray()).toEqual(model);
    expect(list.slice(0)).toEqual(model);
  });
});
