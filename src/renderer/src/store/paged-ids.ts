/**
 * The library listing's ids, held as the pages they arrived in (kept apart from the store so it has no
 * DOM dependencies and is tested in plain Node).
 */

/**
 * One page of the listing: its ids, and the keyset cursor it was asked with (null for the first page),
 * so its views can be fetched again in one call; undefined for jobs added at the head since.
 */
export interface IdPage {
  ids: readonly string[];
  cursor: string | null | undefined;
}

/**
 * The listing's ids in order, held as the pages they arrived in. Immutable: `append` and `prepend`
 * return a new list that shares the existing pages, at a cost in the number of pages, not of ids.
 */
export class PagedIds {
  static readonly EMPTY = new PagedIds([], [0]);

  /** `starts[p]` is the list index of `pages[p].ids[0]`; the last entry is the length. */
  private constructor(
    private readonly pages: readonly IdPage[],
    private readonly starts: readonly number[],
  ) {}

  static of(ids: readonly string[], cursor: string | null | undefined): PagedIds {
    return PagedIds.EMPTY.append(ids, cursor);
  }

  get length(): number {
    return this.starts[this.starts.length - 1]!;
  }

  append(ids: readonly string[], cursor: string | null | undefined): PagedIds {
    if (ids.length === 0) return this;
    return new PagedIds([...this.pages, { ids, cursor }], [...this.starts, this.length + ids.length]);
  }

  prepend(ids: readonly string[]): PagedIds {
    if (ids.length === 0) return this;
    return new PagedIds(
      [{ ids, cursor: undefined }, ...this.pages],
      [0, ...this.starts.map((s) => s + ids.length)],
    );
  }

  /** The page holding list index `index` (0 ≤ index < length), by binary search over the starts. */
  private pageOf(index: number): number {
    let lo = 0;
    let hi = this.pages.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  at(index: number): string | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const p = this.pageOf(index);
    return this.pages[p]!.ids[index - this.starts[p]!];
  }

  /** The pages holding list indexes `from` (inclusive) to `to` (exclusive), clamped to the list. */
  pagesIn(from: number, to: number): IdPage[] {
    const start = Math.max(0, from);
    const end = Math.min(this.length, to);
    const out: IdPage[] = [];
    if (start >= end) return out;
    for (let p = this.pageOf(start); p < this.pages.length && this.starts[p]! < end; p++) {
      out.push(this.pages[p]!);
    }
    return out;
  }

  /** The ids from `from` (inclusive) to `to` (exclusive), clamped to the list, like Array.slice. */
  slice(from: number, to: number = this.length): string[] {
    const start = Math.max(0, from);
    const end = Math.min(this.length, to);
    const out: string[] = [];
    if (start >= end) return out;
    for (let p = this.pageOf(start); p < this.pages.length && this.starts[p]! < end; p++) {
      const page = this.pages[p]!.ids;
      const offset = this.starts[p]!;
      const last = Math.min(page.length, end - offset);
      for (let i = Math.max(0, start - offset); i < last; i++) out.push(page[i]!);
    }
    return out;
  }

  /** Every id as one array: for whole-list operations a person starts (select all, a shift-click range). */
  toArray(): string[] {
    return this.pages.flatMap((page) => page.ids);
  }
}
