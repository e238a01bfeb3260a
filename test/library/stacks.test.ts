/**
 * Stacked listings ("Stack families"): one job per family, its first, with each family's root and
 * size on the page. Real SQLite in a temp folder, through the Library API and the SQL it runs.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobsPage } from '../../src/shared/contract';
import { listQuerySchema as contractListQuerySchema } from '../../src/shared/contract';
import { InvalidInputError } from '../../src/main/core/errors';
import type { Library, ListQuery } from '../../src/main/core/library';
import {
  AVERAGE_FAMILY_SIZE_SQL,
  HAS_PLANNER_STATS_SQL,
  buildFamilySizesSql,
  buildPageSql,
  chooseSearchPlan,
  toPageQuery,
} from '../../src/main/core/library/query';
import type { FilterColumn, PageSql } from '../../src/main/core/library/query';
import { T0, clock, pagesWithPlan, useTempLibraries } from './helpers';

const temp = useTempLibraries();
const MIN = 60_000;

interface Made {
  lib: Library;
  dir: string;
  /** Every job, oldest first. */
  all: string[];
  /** Named jobs of the families below. */
  grid: string;
  up1: string;
  up2: string;
  video: string;
  lone: string;
  other: string;
  variation: string;
  blend: string;
  /** The lone roots made for paging, oldest first. */
  extras: string[];
}

/**
 * Families, oldest first:
 * - grid → 2 upscales (images 1 and 3) → a video of the first upscale: 4 jobs;
 * - a lone grid: 1 job;
 * - another grid → a variation, and a blend whose first source is that variation and second the
 *   grid's second upscale: the blend joins its first source's family (3 jobs);
 * - 12 lone grids, every third a favorite, for paging and filters.
 */
function build(): Made {
  const clk = clock(T0);
  const { lib, dir } = temp.fresh(clk);
  const all: string[] = [];
  const make = (
    taskType: string,
    prompt: string,
    parent?: { id: string; index: number | null; relation: string },
    extraParents?: { id: string; index: number | null }[],
  ): string => {
    clk.advance(MIN);
    const job = lib.createJob({
      provider: 'legnext',
      taskType,
      status: 'completed',
      prompt,
      modelVersion: '7',
      aspectRatio: '1:1',
      createdAt: clk.now(),
      ...(parent ? { parent } : {}),
      ...(extraParents ? { extraParents } : {}),
    });
    all.push(job.id);
    return job.id;
  };
  const grid = make('diffusion', 'a lighthouse in the fog');
  const up1 = make('upscale', 'a lighthouse in the fog upscaled', {
    id: grid,
    index: 0,
    relation: 'upscale',
  });
  const lone = make('diffusion', 'a quiet harbor at dawn');
  const up2 = make('upscale', 'a lighthouse in the fog', { id: grid, index: 2, relation: 'upscale' });
  const video = make('video_diffusion', 'waves crashing', { id: up1, index: 0, relation: 'animate' });
  const other = make('diffusion', 'a fox in the snow');
  const variation = make('variation', 'a fox in the snow', { id: other, index: 1, relation: 'variation' });
  const blend = make('blend', 'fox lighthouse blend', { id: variation, index: 0, relation: 'blend' }, [
    { id: up2, index: 0 },
  ]);
  const extras: string[] = [];
  for (let i = 0; i < 12; i++) {
    const id = make('diffusion', `extra harbor ${i}`);
    if (i % 3 === 0) lib.setFavorite(id, true);
    extras.push(id);
  }
  return { lib, dir, all, grid, up1, up2, video, lone, other, variation, blend, extras };
}

/** Every page of a listing (or search) at `limit`, with the stacks of each page merged when stacked. */
function collect(lib: Library, query: ListQuery, limit: number, text?: string) {
  const ids: string[] = [];
  const stacks: NonNullable<JobsPage['stacks']> = {};
  let cursor: string | null = null;
  for (let n = 0; n < 100; n++) {
    const page: JobsPage =
      text === undefined
        ? lib.listJobs({ ...query, limit, cursor })
        : lib.search(text, { ...query, limit, cursor });
    ids.push(...page.items.map((j) => j.id));
    if (query.stacked) expect(Object.keys(page.stacks!).sort()).toEqual(page.items.map((j) => j.id).sort());
    else expect(page).not.toHaveProperty('stacks');
    Object.assign(stacks, page.stacks);
    cursor = page.next;
    if (cursor === null) return { ids, stacks };
    expect(page.items).toHaveLength(limit);
  }
  throw new Error('The listing never reached its last page.');
}

describe('stacked listing', () => {
  let m: Made;
  beforeEach(() => {
    m = build();
  });

  const roots = () => [m.grid, m.lone, m.other, ...m.extras];

  it('lists only the first job of each family, newest or oldest first, each exactly once across pages', () => {
    const newest = [...roots()].reverse();
    const first = m.lib.listJobs({ stacked: true });
    expect(first.items.map((j) => j.id)).toEqual(newest);
    expect(first.next).toBeNull();
    for (const limit of [1, 2, 4, 7]) {
      expect(collect(m.lib, { stacked: true }, limit).ids).toEqual(newest);
      expect(collect(m.lib, { stacked: true, sort: 'oldest' }, limit).ids).toEqual(roots());
    }
    // A cursor from the unstacked listing works too: the window is the same `seq` order.
    const unstacked = m.lib.listJobs({ limit: 10 });
    const rest = m.lib.listJobs({ stacked: true, cursor: unstacked.next });
    const seen = new Set(unstacked.items.map((j) => j.id));
    expect(rest.items.map((j) => j.id)).toEqual(newest.filter((id) => m.all.indexOf(id) < m.all.length - 10));
    expect(rest.items.some((j) => seen.has(j.id))).toBe(false);
  });

  it('counts each family: a root alone is 1, the grid with its upscales and video 4, a blend joins its first source', () => {
    const { stacks } = collect(m.lib, { stacked: true }, 5);
    expect(stacks[m.grid]).toEqual({ rootId: m.grid, jobs: 4 });
    expect(stacks[m.lone]).toEqual({ rootId: m.lone, jobs: 1 });
    expect(stacks[m.other]).toEqual({ rootId: m.other, jobs: 3 });
    for (const id of m.extras) expect(stacks[id]).toEqual({ rootId: id, jobs: 1 });
    expect(m.lib.getJob(m.blend)!.rootId).toBe(m.other);
    // The sizes are what the family filter lists.
    for (const id of [m.grid, m.other]) {
      expect(m.lib.listJobs({ rootId: id }).items).toHaveLength(stacks[id]!.jobs);
    }
  });

  it('leaves an unstacked page as it was: every job, no stacks', () => {
    const page = m.lib.listJobs({ limit: 100 });
    expect(page.items).toHaveLength(m.all.length);
    expect(page).not.toHaveProperty('stacks');
    expect(m.lib.listJobs({ stacked: false, limit: 100 })).not.toHaveProperty('stacks');
  });

  it('applies filters to the first jobs: a family shows only when its first job passes', () => {
    // The video is the grid family's only favorite: the family does not show.
    m.lib.setFavorite(m.video, true);
    const favorites = collect(m.lib, { stacked: true, favorite: true }, 2).ids;
    expect(favorites).toEqual(m.extras.filter((_, i) => i % 3 === 0).reverse());
    expect(collect(m.lib, { favorite: true }, 50).ids).toContain(m.video);
    // Follow-ups are never first of a family whose root is here.
    expect(m.lib.listJobs({ stacked: true, taskType: ['upscale', 'variation', 'blend'] }).items).toEqual([]);
    const created = collect(m.lib, { stacked: true, createdFrom: T0 + 2 * MIN, createdTo: T0 + 7 * MIN }, 1);
    expect(created.ids).toEqual([m.other, m.lone]);
  });

  it('searches the first jobs: words only a follow-up has find nothing, the root’s words find the family', () => {
    expect(collect(m.lib, { stacked: true }, 3, 'waves').ids).toEqual([]);
    expect(collect(m.lib, {}, 3, 'waves').ids).toEqual([m.video]);
    const lighthouse = collect(m.lib, { stacked: true }, 1, 'lighthouse');
    expect(lighthouse.ids).toEqual([m.grid]);
    expect(lighthouse.stacks[m.grid]!.jobs).toBe(4);
    expect(collect(m.lib, { stacked: true }, 4, 'harbor').ids).toEqual(
      [...m.extras].reverse().concat(m.lone),
    );
    expect(collect(m.lib, { stacked: true, favorite: true }, 2, 'extra').ids).toEqual(
      m.extras.filter((_, i) => i % 3 === 0).reverse(),
    );
  });

  it('ignores stacking with a family filter: the family is listed whole, without stacks', () => {
    const family = m.lib.listJobs({ rootId: m.grid, stacked: true });
    expect(family.items.map((j) => j.id)).toEqual([m.video, m.up2, m.up1, m.grid]);
    expect(family).not.toHaveProperty('stacks');
    expect(m.lib.search('lighthouse', { rootId: m.grid, stacked: true }).items.map((j) => j.id)).toEqual([
      m.up2,
      m.up1,
      m.grid,
    ]);
    expect(toPageQuery({ rootId: m.grid, stacked: true }).stacked).toBe(false);
  });

  it('lets the earliest remaining job stand for a family whose root was removed', () => {
    m.lib.deleteJob(m.grid);
    const page = m.lib.listJobs({ stacked: true, limit: 100 });
    const ids = page.items.map((j) => j.id);
    expect(ids).toContain(m.up1);
    expect(ids).not.toContain(m.up2);
    expect(ids).not.toContain(m.video);
    expect(page.stacks![m.up1]).toEqual({ rootId: m.grid, jobs: 3 });
    expect(m.lib.listJobs({ rootId: m.grid }).items).toHaveLength(3);
  });

  it('rejects a stacked flag that is not a boolean, at the core and at the IPC boundary', () => {
    const bad = { stacked: 'yes' } as unknown as ListQuery;
    expect(() => m.lib.listJobs(bad)).toThrow(InvalidInputError);
    expect(() => m.lib.listJobs(bad)).toThrow('stacked must be true or false.');
    expect(contractListQuerySchema.safeParse({ stacked: true, rootId: 'x' }).success).toBe(true);
    expect(contractListQuerySchema.safeParse({ stacked: 1 }).success).toBe(false);
  });
});

describe('stacked SQL', () => {
  let m: Made;
  let db: Database.Database;
  beforeEach(() => {
    m = build();
    db = new Database(path.join(m.dir, 'genvault.db'), { readonly: true });
    return () => db.close();
  });

  function planLines(sql: PageSql): string[] {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql.sql}`).all(...sql.params) as { detail: string }[]).map(
      (r) => r.detail,
    );
  }

  it('probes jobs_by_root for the first-of-family test and counts sizes off that index', () => {
    const listing = planLines(buildPageSql(toPageQuery({ stacked: true })));
    expect(listing).toContain('SEARCH j USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
    expect(listing).toContain('CORRELATED SCALAR SUBQUERY 1');
    expect(listing).toContain('SEARCH f USING COVERING INDEX jobs_by_root (root_id=? AND rowid<?)');
    const sizes = planLines(buildFamilySizesSql([m.grid, m.other, m.grid]));
    expect(sizes.some((l) => l.startsWith('SEARCH jobs USING COVERING INDEX jobs_by_root (root_id=?)'))).toBe(
      true,
    );
    expect(sizes.some((l) => /SCAN jobs\b/.test(l))).toBe(false);
    expect(JSON.parse(String(buildFamilySizesSql([m.grid, m.other, m.grid]).params[0]))).toEqual([
      m.grid,
      m.other,
    ]);
  });

  it('reads the average family size off the planner statistics once they exist', () => {
    const count = (q: PageSql): number =>
      db
        .prepare(q.sql)
        .pluck()
        .get(...q.params) as number;
    const writer = new Database(path.join(m.dir, 'genvault.db'));
    writer.exec('DROP TABLE IF EXISTS sqlite_stat1');
    expect(count(HAS_PLANNER_STATS_SQL)).toBe(0);
    writer.exec('ANALYZE');
    writer.close();
    expect(count(HAS_PLANNER_STATS_SQL)).toBe(1);
    // 20 jobs in 15 families: 1.33 a family, which the statistics round up.
    expect(count(AVERAGE_FAMILY_SIZE_SQL)).toBe(2);
    expect(m.lib.search('harbor', { stacked: true, favorite: true }).items.map((j) => j.id)).toEqual(
      m.extras.filter((_, i) => i % 3 === 0).reverse(),
    );
  });

  it('reads the same stacked pages with either search plan', () => {
    let compared = 0;
    for (const text of ['harbor', 'lighthouse', 'fox', 'extra', 'a']) {
      for (const query of [
        { stacked: true, favorite: true },
        { stacked: true, favorite: false, taskType: 'diffusion' },
        { stacked: true, modelVersion: '7', sort: 'oldest' as const },
      ]) {
        for (const limit of [1, 3]) {
          const plain = pagesWithPlan(db, text, { ...query, limit }, { kind: 'matches' });
          const columns = (Object.entries(toPageQuery(query).filters) as [FilterColumn, unknown[]][])
            .filter(([, v]) => v.length > 0)
            .map(([c]) => c);
          for (const column of columns) {
            expect(
              pagesWithPlan(db, text, { ...query, limit }, { kind: 'matches-in-filter', column }),
            ).toEqual(plain);
            compared++;
          }
          const viaLibrary = collect(m.lib, query, limit, text).ids;
          const seqOf = db.prepare('SELECT seq FROM jobs WHERE id = ?').pluck();
          expect(viaLibrary.map((id) => seqOf.get(id))).toEqual(plain.flat());
        }
      }
    }
    expect(compared).toBe(5 * 2 * 4);
  });
});

describe('chooseSearchPlan with stacking', () => {
  /** Counts as a 250,000-job library with 12,397 favorites gives them. */
  const count = (q: PageSql): number => (q.sql.includes("filter = 'status'") ? 250_000 : 12_397);
  const favorites = (stacked: boolean) => toPageQuery({ favorite: true, stacked, limit: 50 });

  it('expects more matches per page when families are large, which can make a filter set pay off', () => {
    // Unstacked, about a thousand matches fill a page: cheaper than a 12,000-entry set.
    expect(chooseSearchPlan(favorites(false), count)).toEqual({ kind: 'matches' });
    expect(chooseSearchPlan(favorites(true), count)).toEqual({ kind: 'matches' });
    // Four jobs per family: a page needs four times the matches, and the set is worth building.
    expect(chooseSearchPlan(favorites(true), count, 4)).toEqual({
      kind: 'matches-in-filter',
      column: 'favorite',
    });
    // The family size means nothing to an unstacked page.
    expect(chooseSearchPlan(favorites(false), count, 4)).toEqual({ kind: 'matches' });
  });

  it('has nothing to make a set of when stacking is the only condition', () => {
    const asked: string[] = [];
    const plan = chooseSearchPlan(
      toPageQuery({ stacked: true }),
      (q) => {
        asked.push(q.sql);
        return 1;
      },
      10,
    );
    expect(plan).toEqual({ kind: 'matches' });
    expect(asked).toEqual([]);
  });
});
