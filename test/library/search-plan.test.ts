/**
 * The two ways a search page can be read (query.ts `SearchPlan`) must give the same pages, and the
 * library must pick the set plan exactly when a filter is rare. Both are checked on a seeded library
 * with the SQL the library itself runs.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/shared/domain';
import { openLibrary } from '../../src/main/core/library';
import type { Library, ListQuery } from '../../src/main/core/library';
import {
  FILTER_SET_MAX,
  buildPageSql,
  chooseSearchPlan,
  toFtsMatch,
  toPageQuery,
} from '../../src/main/core/library/query';
import type { FilterColumn, PageSql, SearchPlan } from '../../src/main/core/library/query';
import { T0, clock, imageOutputs, pagesWithPlan, snapshot } from './helpers';

const MIN = 60_000;
const JOBS = 700;

const WORDS = ['harbor', 'lighthouse', 'portrait', 'fox', 'meadow', 'castle', 'neon', 'rain'];
const TASKS = ['diffusion', 'diffusion', 'diffusion', 'upscale', 'variation', 'describe'];
const MODELS = ['7', '7', '7', '6.1', '8', 'niji 6'];
const RATIOS = ['1:1', '16:9', '2:3'];

/** A small deterministic generator, so the library is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Seeded {
  dir: string;
  lib: Library;
  db: Database.Database;
  /** Ids of the jobs with an expired output (rare), and one family's root. */
  expired: string[];
  rootId: string;
}

/**
 * 700 jobs with skewed filter values: common words, a few rare ones (`rain` in 2 %), a dominant task
 * type and model, 5 % favorites, 2 % with expired outputs, one family of follow-ups.
 */
function seed(): Seeded {
  const clk = clock(T0);
  // One library for the whole file (the per-test temp helper would remove it after the first test).
  const dir = mkdtempSync(path.join(tmpdir(), 'genvault-plan-'));
  const lib = openLibrary(dir, { now: clk.now });
  const random = rng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const expired: string[] = [];
  let rootId = '';
  let root: string | null = null;
  for (let i = 0; i < JOBS; i++) {
    clk.advance(Math.floor(random() * 10 * MIN));
    const words = [pick(WORDS), pick(WORDS), random() < 0.02 ? 'rain' : 'dusk'];
    const status: JobStatus = random() < 0.06 ? 'failed' : 'completed';
    const family = root !== null && i % 50 === 7;
    const job = lib.createJob({
      provider: 'legnext',
      taskType: family ? 'variation' : pick(TASKS),
      status: 'queued',
      prompt: words.join(' '),
      modelVersion: pick(MODELS),
      aspectRatio: pick(RATIOS),
      remoteId: `r-${i}`,
      createdAt: clk.now(),
      parent: family && root !== null ? { id: root, index: 0, relation: 'variation' } : undefined,
    });
    if (i === 3) {
      root = job.id;
      rootId = job.id;
    }
    lib.applySnapshot(
      job.id,
      snapshot({
        remoteId: `r-${i}`,
        status,
        outputs: status === 'completed' ? imageOutputs(`r-${i}`).slice(0, 2) : [],
      }),
    );
    if (status === 'completed') {
      const gone = random() < 0.02;
      lib.updateOutput(job.id, 'grid', 0, { state: 'archived', path: `media/x/${i}/grid.png` });
      lib.updateOutput(
        job.id,
        'image',
        0,
        gone ? { state: 'expired' } : { state: 'archived', path: `media/x/${i}/0.png` },
      );
      if (gone) expired.push(job.id);
    }
    if (random() < 0.05) lib.setFavorite(job.id, true);
  }
  const db = new Database(path.join(dir, 'genvault.db'), { readonly: true });
  return { dir, lib, db, expired, rootId };
}

function counter(db: Database.Database): (q: PageSql) => number {
  return (q) =>
    db
      .prepare(q.sql)
      .pluck()
      .get(...q.params) as number;
}

function columnsOf(query: ListQuery): FilterColumn[] {
  const page = toPageQuery(query);
  return (Object.keys(page.filters) as FilterColumn[]).filter((c) => page.filters[c].length > 0);
}

function planLines(db: Database.Database, text: string, query: ListQuery, plan: SearchPlan): string[] {
  const { sql, params } = buildPageSql(toPageQuery(query), toFtsMatch(text)!, plan);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

describe('search plans on a seeded library', () => {
  let s: Seeded;
  beforeAll(() => {
    s = seed();
  });
  afterAll(() => {
    s.db.close();
    s.lib.close();
    rmSync(s.dir, { recursive: true, force: true });
  });

  const TEXTS = ['harbor', 'rain', 'li', 'castle neon', 'portrait fo', 'nothingsuch'];
  const QUERIES = (rootId: string, from: number): ListQuery[] => [
    { archiveState: 'expired' },
    { archiveState: 'expired', taskType: 'diffusion' },
    { favorite: true, modelVersion: '8' },
    { favorite: false, status: 'completed' },
    { status: 'failed', aspectRatio: ['2:3', '1:1'] },
    { taskType: ['upscale', 'describe'], modelVersion: 'niji 6', sort: 'oldest' },
    { archiveState: ['expired', 'none'], favorite: true },
    { rootId },
    { rootId, taskType: 'variation', sort: 'oldest' },
    { modelVersion: '7', createdFrom: from, createdTo: from + 2000 * MIN },
    { provider: 'vidu', status: 'completed' },
  ];

  it('reads the same pages in the same order with either plan, for every filter it could use', () => {
    const from = T0 + 600 * MIN;
    let compared = 0;
    let nonEmpty = 0;
    let multiPage = 0;
    for (const text of TEXTS) {
      for (const base of QUERIES(s.rootId, from)) {
        for (const limit of [4, 50]) {
          const query = { ...base, limit };
          const plain = pagesWithPlan(s.db, text, query, { kind: 'matches' });
          for (const column of columnsOf(query)) {
            expect(
              pagesWithPlan(s.db, text, query, { kind: 'matches-in-filter', column }),
              `${text} ${JSON.stringify(query)} ${column}`,
            ).toEqual(plain);
            compared++;
          }
          // …and the library, whichever plan it chooses, pages the same way.
          const ids: string[] = [];
          let cursor: string | null = null;
          for (let n = 0; n < JOBS; n++) {
            const page = s.lib.search(text, { ...query, cursor });
            ids.push(...page.items.map((j) => j.id));
            cursor = page.next;
            if (cursor === null) break;
          }
          const seqOf = s.db.prepare('SELECT seq FROM jobs WHERE id = ?').pluck();
          expect(ids.map((id) => seqOf.get(id))).toEqual(plain.flat());
          if (plain.flat().length > 0) nonEmpty++;
          if (plain.length > 2) multiPage++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
    // The combinations are not vacuous: many find something, several over three pages or more.
    expect(nonEmpty).toBeGreaterThan(40);
    expect(multiPage).toBeGreaterThan(8);
  });

  it('builds a set from a rare filter and tests each match against it before reading its row', () => {
    const query: ListQuery = { archiveState: 'expired', taskType: 'diffusion', limit: 50 };
    expect(s.expired.length).toBeGreaterThan(3);
    const expectSetPlan = (): void => {
      const plan = chooseSearchPlan(toPageQuery(query), counter(s.db));
      expect(plan).toEqual({ kind: 'matches-in-filter', column: 'archive_state' });
      expect(planLines(s.db, 'harbor', query, plan)).toEqual([
        expect.stringMatching(/^SCAN jobs_fts VIRTUAL TABLE INDEX \d+:M\d+/),
        'LIST SUBQUERY 1',
        'SEARCH jobs USING COVERING INDEX jobs_by_archive_state (archive_state=? AND rowid>? AND rowid<?)',
        'CREATE BLOOM FILTER',
        'SEARCH j USING INTEGER PRIMARY KEY (rowid=?)',
      ]);
    };
    expectSetPlan();
    // With planner statistics the plan stays the same.
    const writer = new Database(path.join(s.dir, 'genvault.db'));
    writer.exec('ANALYZE');
    writer.close();
    expectSetPlan();
  });

  it('keeps the plain walk when the filters are common, since the page fills after a few matches', () => {
    const query: ListQuery = { favorite: false, status: 'completed', limit: 50 };
    const plan = chooseSearchPlan(toPageQuery(query), counter(s.db));
    expect(plan).toEqual({ kind: 'matches' });
    expect(planLines(s.db, 'harbor', query, plan)).toEqual([
      expect.stringMatching(/^SCAN jobs_fts VIRTUAL TABLE INDEX \d+:M\d+/),
      'SEARCH j USING INTEGER PRIMARY KEY (rowid=?)',
    ]);
  });
});

describe('chooseSearchPlan', () => {
  /** Counts as a 250,000-job library would give them: per filter, whatever the values asked. */
  function counts(perFilter: Partial<Record<FilterColumn, number>>, jobs = 250_000) {
    const asked: string[] = [];
    const count = (q: PageSql): number => {
      if (q.sql.includes("filter = 'status'")) return jobs;
      const column = (q.sql.includes('jobs_by_root') ? 'root_id' : q.params[0]) as FilterColumn;
      asked.push(column);
      const n = perFilter[column];
      if (n === undefined) throw new Error(`Unexpected count of ${column}.`);
      return n;
    };
    return { count, asked };
  }
  const plan = (query: ListQuery, perFilter: Partial<Record<FilterColumn, number>>, jobs?: number) =>
    chooseSearchPlan(toPageQuery({ limit: 50, ...query }), counts(perFilter, jobs).count);

  it('needs no count without filters', () => {
    const { count, asked } = counts({});
    expect(chooseSearchPlan(toPageQuery({}), count)).toEqual({ kind: 'matches' });
    expect(asked).toEqual([]);
  });

  it('makes a set of the rarest filter when it is rare enough', () => {
    const expired = { archiveState: 'expired', taskType: 'diffusion' } as const;
    expect(plan(expired, { archive_state: 689, task_type: 119_567 })).toEqual({
      kind: 'matches-in-filter',
      column: 'archive_state',
    });
    expect(
      plan({ favorite: true, modelVersion: '8.1' }, { favorite: 12_397, model_version: 11_315 }),
    ).toEqual({
      kind: 'matches-in-filter',
      column: 'model_version',
    });
    expect(plan({ rootId: 'family' }, { root_id: 12 })).toEqual({
      kind: 'matches-in-filter',
      column: 'root_id',
    });
    // A value no job has: the set is empty and free.
    expect(plan({ status: 'failed', provider: 'vidu' }, { status: 5653, provider: 0 })).toEqual({
      kind: 'matches-in-filter',
      column: 'provider',
    });
  });

  it('walks the matches when the page is expected to fill before a set would pay off', () => {
    expect(plan({ status: 'completed', favorite: false }, { status: 244_327, favorite: 237_603 })).toEqual({
      kind: 'matches',
    });
    // One favorite in twenty: about a thousand matches fill a page, cheaper than a 12,000-entry set.
    expect(plan({ favorite: true }, { favorite: 12_397 })).toEqual({ kind: 'matches' });
    // Sets are bounded in size, however selective the combination.
    expect(
      plan(
        { favorite: true, modelVersion: '5' },
        { favorite: FILTER_SET_MAX + 1, model_version: FILTER_SET_MAX + 1 },
        5_000_000,
      ),
    ).toEqual({ kind: 'matches' });
  });
});
