import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobViewSchema } from '../../src/shared/domain';
import type { JobStatus, JobView, Page, Provider } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import type { ArchiveState, Library, ListQuery } from '../../src/main/core/library';
import { buildPageSql, toFtsMatch, toPageQuery } from '../../src/main/core/library/query';
import { T0, clock, imageOutputs, snapshot, useTempLibraries } from './helpers';

const temp = useTempLibraries();
const HOUR = 60 * 60 * 1000;

interface Fact {
  id: string;
  createdAt: number;
  provider: Provider;
  taskType: string;
  status: JobStatus;
  modelVersion: string;
  aspectRatio: string;
  favorite: boolean;
  archiveState: ArchiveState;
  rootId: string;
}

const TASKS = ['diffusion', 'upscale', 'variation', 'blend', 'describe'];
const STATUSES: JobStatus[] = [
  'completed',
  'completed',
  'failed',
  'running',
  'queued',
  'completed',
  'submitting',
];
const MODELS = ['7', '6.1', '8'];
const RATIOS = ['1:1', '16:9', '2:3'];

/**
 * 60 jobs with every filter column varied independently, created in shuffled order (so creation
 * order differs from insertion order), two pairs sharing a creation millisecond, and families.
 */
function populate(lib: Library): Fact[] {
  const facts: Fact[] = [];
  const hours = Array.from({ length: 60 }, (_, i) => (i * 37) % 60);
  hours[11] = hours[10]!;
  hours[21] = hours[20]!;
  for (let i = 0; i < 60; i++) {
    const root = i >= 40 ? facts[(i - 40) % 5] : undefined;
    const status = STATUSES[i % 7]!;
    const job = lib.createJob({
      provider: i % 10 === 0 ? 'vidu' : 'legnext',
      taskType: TASKS[i % 5]!,
      status,
      prompt: `job ${i} ${i % 2 === 0 ? 'even' : 'odd'} harbor`,
      modelVersion: MODELS[i % 3]!,
      aspectRatio: RATIOS[Math.floor(i / 2) % 3]!,
      createdAt: T0 + hours[i]! * HOUR,
      remoteId: status === 'submitting' ? null : `remote-${i}`,
      parent: root ? { id: root.id, index: 0, relation: 'variation' } : undefined,
    });
    if (i % 4 === 0) lib.setFavorite(job.id, true);
    if (i % 6 !== 0 && job.remoteId) {
      lib.applySnapshot(
        job.id,
        snapshot({
          provider: job.provider,
          remoteId: job.remoteId,
          outputs: imageOutputs(job.remoteId).slice(0, 2),
        }),
      );
      lib.updateJob(job.id, { status });
      if (i % 6 === 2) {
        lib.updateOutput(job.id, 'grid', 0, { state: 'archived', path: `media/x/${i}/grid.png` });
        lib.updateOutput(job.id, 'image', 0, { state: 'archived', path: `media/x/${i}/0.png` });
      }
      if (i % 6 === 3) lib.updateOutput(job.id, 'grid', 0, { state: 'error', error: 'reset' });
      if (i % 6 === 4) {
        lib.updateOutput(job.id, 'grid', 0, { state: 'archived', path: `media/x/${i}/grid.png` });
        lib.updateOutput(job.id, 'image', 0, { state: 'expired' });
      }
    }
    const row = lib.getJob(job.id)!;
    facts.push({
      id: row.id,
      createdAt: row.createdAt,
      provider: row.provider,
      taskType: row.taskType,
      status: row.status,
      modelVersion: row.modelVersion!,
      aspectRatio: row.aspectRatio!,
      favorite: row.favorite,
      archiveState: row.archiveState,
      rootId: row.rootId,
    });
  }
  return facts;
}

/** Newest first; a later insert within the same millisecond counts as newer. */
function newestFirst(facts: Fact[]): string[] {
  return facts
    .map((f, i) => ({ f, i }))
    .sort((a, b) => b.f.createdAt - a.f.createdAt || b.i - a.i)
    .map(({ f }) => f.id);
}

function collect(lib: Library, q: ListQuery, limit = 7, text?: string): string[] {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page<JobView> =
      text === undefined ? lib.listJobs({ ...q, limit, cursor }) : lib.search(text, { ...q, limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((j) => j.id));
    cursor = page.next;
    if (cursor === null) break;
    expect(page.items).toHaveLength(limit);
  }
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
}

describe('listJobs', () => {
  let lib: Library;
  let facts: Fact[];
  beforeEach(() => {
    lib = temp.fresh(clock(T0 + 100 * HOUR)).lib;
    facts = populate(lib);
  });

  it('pages through everything newest first, and oldest first in reverse', () => {
    const newest = newestFirst(facts);
    expect(collect(lib, {})).toEqual(newest);
    expect(collect(lib, { sort: 'oldest' }, 9)).toEqual([...newest].reverse());
    const first = lib.listJobs();
    expect(first.items).toHaveLength(50);
    expect(first.items.map((j) => j.id)).toEqual(newest.slice(0, 50));
    for (const view of first.items) jobViewSchema.parse(view);
    expect(lib.listJobs({ limit: 500 }).next).toBeNull();
  });

  const cases: [string, ListQuery, (f: Fact) => boolean][] = [
    ['taskType', { taskType: 'upscale' }, (f) => f.taskType === 'upscale'],
    ['taskType list', { taskType: ['blend', 'describe'] }, (f) => ['blend', 'describe'].includes(f.taskType)],
    ['status', { status: 'failed' }, (f) => f.status === 'failed'],
    ['status list', { status: ['queued', 'running'] }, (f) => ['queued', 'running'].includes(f.status)],
    ['provider', { provider: 'vidu' }, (f) => f.provider === 'vidu'],
    ['modelVersion', { modelVersion: '6.1' }, (f) => f.modelVersion === '6.1'],
    ['aspectRatio', { aspectRatio: ['16:9', '2:3'] }, (f) => f.aspectRatio !== '1:1'],
    ['favorite', { favorite: true }, (f) => f.favorite],
    ['not favorite', { favorite: false }, (f) => !f.favorite],
    ['archiveState', { archiveState: 'partial' }, (f) => f.archiveState === 'partial'],
    [
      'archiveState list',
      { archiveState: ['error', 'none'] },
      (f) => ['error', 'none'].includes(f.archiveState),
    ],
    [
      'created range',
      { createdFrom: T0 + 10 * HOUR, createdTo: T0 + 20 * HOUR },
      (f) => f.createdAt >= T0 + 10 * HOUR && f.createdAt < T0 + 20 * HOUR,
    ],
    [
      'two filters',
      { taskType: 'diffusion', status: 'completed' },
      (f) => f.taskType === 'diffusion' && f.status === 'completed',
    ],
    ['empty list is no filter', { status: [] }, () => true],
  ];
  it.each(cases)('filters by %s across pages', (_name, query, keep) => {
    const expected = newestFirst(facts.filter(keep));
    expect(expected.length).toBeGreaterThan(0);
    expect(collect(lib, query, 3)).toEqual(expected);
    expect(collect(lib, { ...query, sort: 'oldest' }, 4)).toEqual([...expected].reverse());
  });

  it('filters by family root', () => {
    const root = facts[2]!;
    const expected = newestFirst(facts.filter((f) => f.rootId === root.id));
    expect(expected).toHaveLength(5);
    expect(collect(lib, { rootId: root.id }, 2)).toEqual(expected);
  });

  it('has all the archive states the filters rely on', () => {
    expect(new Set(facts.map((f) => f.archiveState))).toEqual(
      new Set(['none', 'pending', 'archived', 'partial', 'error']),
    );
  });

  it('never repeats or skips a row while jobs are added between pages', () => {
    const before = newestFirst(facts);
    const first = lib.listJobs({ limit: 10 });
    expect(first.items.map((j) => j.id)).toEqual(before.slice(0, 10));
    // Newer jobs land before the cursor (not in later pages); an older import lands after it.
    const newer = [1, 2, 3].map((n) =>
      lib.createJob({ provider: 'legnext', taskType: 'diffusion', createdAt: T0 + (200 + n) * HOUR }),
    );
    const older = lib.createJob({ provider: 'legnext', taskType: 'diffusion', createdAt: T0 - HOUR });
    const sameMs = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      createdAt: facts.find((f) => f.id === before[9])!.createdAt,
    });
    const rest: string[] = [];
    let cursor = first.next;
    for (let pages = 0; cursor !== null && pages < 20; pages++) {
      const page = lib.listJobs({ limit: 10, cursor });
      rest.push(...page.items.map((j) => j.id));
      cursor = page.next;
    }
    expect(rest).toEqual([...before.slice(10), older.id]);
    expect(rest).not.toContain(sameMs.id);
    expect(newer.some((j) => rest.includes(j.id))).toBe(false);
  });

  it('rejects invalid cursors, limits and filter values with a plain message', () => {
    const page = lib.listJobs({ limit: 5 });
    expect(() => lib.listJobs({ cursor: 'not-a-cursor' })).toThrow(InvalidInputError);
    expect(() => lib.listJobs({ cursor: page.next, sort: 'oldest' })).toThrow(/cursor is not valid/);
    expect(() => lib.listJobs({ limit: 0 })).toThrow('limit must be a whole number from 1 to 500.');
    expect(() => lib.listJobs({ limit: 501 })).toThrow(InvalidInputError);
    expect(() => lib.listJobs({ status: 'done' as JobStatus })).toThrow(/status must be one of/);
    expect(() => lib.listJobs({ createdFrom: -1 })).toThrow(/createdFrom/);
  });
});

describe('query plans', () => {
  function planOf(lib: Library, q: ListQuery, text?: string): string[] {
    const fts = text === undefined ? undefined : (toFtsMatch(text) ?? undefined);
    const { sql, params } = buildPageSql(toPageQuery(q), fts);
    const db = new Database(path.join(lib.root, 'genvault.db'), { readonly: true });
    try {
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
        (r) => r.detail,
      );
    } finally {
      db.close();
    }
  }

  const single: [string, ListQuery, string][] = [
    ['taskType', { taskType: 'upscale' }, 'jobs_by_task_type (task_type=?'],
    ['status', { status: 'failed' }, 'jobs_by_status (status=?'],
    ['provider', { provider: 'vidu' }, 'jobs_by_provider (provider=?'],
    ['modelVersion', { modelVersion: '6.1' }, 'jobs_by_model_version (model_version=?'],
    ['aspectRatio', { aspectRatio: '2:3' }, 'jobs_by_aspect_ratio (aspect_ratio=?'],
    ['favorite', { favorite: true }, 'jobs_by_favorite (favorite=?'],
    ['archiveState', { archiveState: 'expired' }, 'jobs_by_archive_state (archive_state=?'],
    ['rootId', { rootId: 'x' }, 'jobs_by_root (root_id=?'],
  ];

  it('reads the default listing straight off the primary key, in order, for both sorts', () => {
    const { lib } = temp.fresh();
    populate(lib);
    const range = 'SEARCH j USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)';
    expect(planOf(lib, {})).toEqual([range]);
    expect(planOf(lib, { sort: 'oldest', cursor: lib.listJobs({ sort: 'oldest', limit: 2 }).next })).toEqual([
      range,
    ]);
    expect(planOf(lib, { createdFrom: T0, createdTo: T0 + HOUR })).toEqual([range]);
  });

  it.each(single)('serves the %s filter from its own index, in order, without a sort', (_n, q, index) => {
    const { lib } = temp.fresh();
    const plan = planOf(lib, q);
    expect(plan).toEqual([`SEARCH j USING INDEX ${index} AND rowid>? AND rowid<?)`]);
    expect(planOf(lib, { ...q, sort: 'oldest' })).toEqual(plan);
  });

  it('never scans jobs without an index, with statistics or without, for any filter mix', () => {
    const { lib } = temp.fresh();
    populate(lib);
    const queries: ListQuery[] = [
      ...single.map(([, q]) => q),
      { taskType: ['blend', 'describe'] },
      { status: ['queued', 'running'], provider: 'legnext' },
      { archiveState: ['error', 'partial'], favorite: false },
      { taskType: 'diffusion', status: 'completed', modelVersion: '7', createdFrom: T0 },
    ];
    const check = () => {
      for (const q of queries) {
        const plan = planOf(lib, q);
        expect(
          plan.some((line) => /^SCAN j\b/.test(line)),
          plan.join(' | '),
        ).toBe(false);
        expect(plan.every((line) => /^(SEARCH j USING|USE TEMP B-TREE FOR ORDER BY$)/.test(line))).toBe(true);
        const singleValued = Object.values(q).every((v) => !Array.isArray(v));
        if (singleValued) expect(plan.join(' | ')).not.toContain('TEMP B-TREE');
      }
    };
    check();
    const db = new Database(path.join(lib.root, 'genvault.db'));
    db.exec('ANALYZE');
    db.close();
    check();
  });

  it('walks search matches in listing order, joining each to its job by primary key', () => {
    const { lib } = temp.fresh();
    populate(lib);
    for (const q of [
      {},
      { status: 'completed', taskType: 'diffusion' },
      { favorite: true, sort: 'oldest' },
    ] as const) {
      expect(planOf(lib, q, 'harbor ev')).toEqual([
        expect.stringMatching(/^SCAN jobs_fts VIRTUAL TABLE INDEX \d+:M\d+/),
        'SEARCH j USING INTEGER PRIMARY KEY (rowid=?)',
      ]);
    }
  });
});
