import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/shared/domain';
import type { Library } from '../../src/main/core/library';
import { COUNTED_FILTERS } from '../../src/main/core/library/migrations/002-filter-counts';
import { imageOutputs, snapshot, useTempLibraries } from './helpers';

const temp = useTempLibraries();
const MIN = 60_000;

type Counts = Record<string, Record<string, number>>;

/** What the counts table says, and what counting the jobs themselves says. */
function countsOf(dir: string): { kept: Counts; actual: Counts } {
  const db = new Database(path.join(dir, 'genvault.db'), { readonly: true });
  try {
    const kept: Counts = {};
    const actual: Counts = {};
    const rows = db.prepare('SELECT filter, value, jobs FROM job_filter_counts').all() as {
      filter: string;
      value: string | number;
      jobs: number;
    }[];
    for (const r of rows) (kept[r.filter] ??= {})[String(r.value)] = r.jobs;
    for (const column of COUNTED_FILTERS) {
      actual[column] = {};
      const groups = db
        .prepare(`SELECT ${column} AS value, count(*) AS n FROM jobs WHERE ${column} IS NOT NULL GROUP BY 1`)
        .all() as { value: string | number; n: number }[];
      for (const g of groups) actual[column][String(g.value)] = g.n;
      if (Object.keys(actual[column]).length === 0) delete actual[column];
    }
    return { kept, actual };
  } finally {
    db.close();
  }
}

/** A library that has lived a little: every kind of change that moves a counted column. */
function liveThrough(lib: Library, clk: { advance(ms: number): void; now(): number }): void {
  const statuses: JobStatus[] = ['queued', 'running', 'completed', 'failed'];
  const ids: string[] = [];
  const providerOf = (i: number) => (i % 9 === 0 ? 'vidu' : 'legnext');
  for (let i = 0; i < 40; i++) {
    clk.advance(MIN);
    const job = lib.createJob({
      provider: providerOf(i),
      taskType: ['diffusion', 'upscale', 'describe'][i % 3]!,
      status: 'queued',
      prompt: `harbor study ${i}`,
      modelVersion: i % 5 === 0 ? null : ['7', '6.1', 'niji 6'][i % 3]!,
      aspectRatio: i % 4 === 0 ? null : ['1:1', '16:9'][i % 2]!,
      remoteId: `r-${i}`,
      createdAt: clk.now(),
    });
    ids.push(job.id);
  }
  ids.forEach((id, i) => {
    // Outputs move the derived archive state: none → pending → archived / error / partial / expired.
    if (i % 2 === 0) {
      lib.applySnapshot(
        id,
        snapshot({
          provider: providerOf(i),
          remoteId: `r-${i}`,
          outputs: imageOutputs(`r-${i}`).slice(0, 2),
          status: 'completed',
        }),
      );
      if (i % 6 === 0) {
        lib.updateOutput(id, 'grid', 0, { state: 'archived', path: `media/x/${i}/grid.png` });
        lib.updateOutput(id, 'image', 0, { state: 'archived', path: `media/x/${i}/0.png` });
      }
      if (i % 6 === 2) lib.updateOutput(id, 'grid', 0, { state: 'error', error: 'reset' });
      if (i % 6 === 4) lib.updateOutput(id, 'image', 0, { state: 'expired' });
    }
    lib.updateJob(id, { status: statuses[i % 4]! });
    if (i % 3 === 0) lib.setFavorite(id, true);
    if (i % 7 === 0) lib.updateJob(id, { modelVersion: i % 2 ? null : '8', aspectRatio: '2:3' });
    // The API's own creation time gives the job a new place in the listing (a new seq).
    if (i % 8 === 0) {
      const createdAt = new Date(clk.now() + i).toISOString();
      lib.applySnapshot(id, snapshot({ provider: providerOf(i), remoteId: `r-${i}`, createdAt }));
    }
  });
  // Values whose last job leaves them, by an update and by a delete.
  lib.updateJob(ids[5]!, { aspectRatio: '21:9' });
  lib.updateJob(ids[5]!, { aspectRatio: '1:1' });
  const once = lib.createJob({ provider: 'legnext', taskType: 'shorten', modelVersion: '5.2' });
  lib.deleteJob(once.id);
  lib.setFavorite(ids[3]!, false);
  lib.setFavorite(ids[6]!, false);
  for (const i of [1, 2, 9, 30]) lib.deleteJob(ids[i]!);
  // A poll that changes nothing counted must not move any count.
  lib.updateJob(ids[4]!, { progress: 50 });
}

describe('filter counts', () => {
  it('stay equal to counting the jobs through inserts, updates, derived archive states and deletes', () => {
    const { lib, dir, clk } = temp.fresh();
    liveThrough(lib, clk);
    const { kept, actual } = countsOf(dir);
    expect(kept).toEqual(actual);
    // Not trivially so: several values of every column are in use, and values no job has any more are gone.
    expect(Object.keys(kept.archive_state ?? {}).length).toBeGreaterThanOrEqual(4);
    expect(kept.favorite).toEqual({ '0': expect.any(Number), '1': expect.any(Number) });
    expect(
      Object.values(kept)
        .flatMap((v) => Object.values(v))
        .every((n) => n > 0),
    ).toBe(true);
    expect(kept.aspect_ratio?.['21:9']).toBeUndefined();
    expect(kept.task_type?.shorten).toBeUndefined();
  });

  it('are counted from the existing jobs when an older library is upgraded', () => {
    const { lib, dir, clk } = temp.fresh();
    liveThrough(lib, clk);
    lib.close();
    // Back to schema 1: what a library written before this migration looks like.
    const db = new Database(path.join(dir, 'genvault.db'));
    db.exec(`
      DROP TRIGGER job_filter_counts_after_insert;
      DROP TRIGGER job_filter_counts_after_delete;
      DROP TRIGGER job_filter_counts_after_update;
      DROP TABLE job_filter_counts;
      PRAGMA user_version = 1;
    `);
    db.close();

    const upgraded = temp.open(dir, { now: clk.now });
    const { kept, actual } = countsOf(dir);
    expect(kept).toEqual(actual);
    expect(kept.status).toBeDefined();
    // …and kept from then on.
    upgraded.createJob({ provider: 'legnext', taskType: 'blend', status: 'queued', modelVersion: '7' });
    const after = countsOf(dir);
    expect(after.kept).toEqual(after.actual);
    expect(after.kept.task_type?.blend).toBe(1);
  });
});
