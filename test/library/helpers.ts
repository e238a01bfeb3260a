/**
 * Shared fixtures for the library tests: a real library in a fresh temp folder per test (closed and
 * removed afterwards), a hand-driven clock, and snapshot builders shaped like a provider's output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { RemoteJobSnapshot } from '../../src/main/core/providers/types';
import { openLibrary } from '../../src/main/core/library';
import type { Library, ListQuery, OpenLibraryOptions } from '../../src/main/core/library';
import {
  buildPageSql,
  encodeCursor,
  toFtsMatch,
  toPageQuery,
  type SearchPlan,
} from '../../src/main/core/library/query';

export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

export interface Clock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function clock(start = T0): Clock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Registers cleanup for every folder and library made through it in the calling test file. */
export function useTempLibraries() {
  const dirs: string[] = [];
  const open: Library[] = [];
  afterEach(() => {
    for (const lib of open.splice(0)) lib.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    tempDir(): string {
      const dir = mkdtempSync(path.join(tmpdir(), 'genvault-lib-'));
      dirs.push(dir);
      return dir;
    },
    open(dir: string, opts: OpenLibraryOptions = {}): Library {
      const lib = openLibrary(dir, opts);
      open.push(lib);
      return lib;
    },
    /** A fresh library in a fresh folder, on `clk` (a new clock at T0 by default). */
    fresh(clk: Clock = clock()): { lib: Library; dir: string; clk: Clock } {
      const dir = this.tempDir();
      return { lib: this.open(dir, { now: clk.now }), dir, clk };
    },
  };
}

export function snapshot(overrides: Partial<RemoteJobSnapshot> = {}): RemoteJobSnapshot {
  return {
    provider: 'legnext',
    remoteId: 'b7c1e2d4-0000-4000-8000-000000000001',
    taskType: 'diffusion',
    status: 'completed',
    createdAt: null,
    startedAt: null,
    endedAt: null,
    outputs: [],
    text: null,
    seed: null,
    cost: { frozen: 0, consumed: 0 },
    error: null,
    availableActions: null,
    progress: null,
    raw: { job_id: overrides.remoteId ?? 'b7c1e2d4-0000-4000-8000-000000000001' },
    ...overrides,
  };
}

/** The four images and the grid of a finished Legnext image job. */
export function imageOutputs(remoteId: string): RemoteJobSnapshot['outputs'] {
  return [
    { kind: 'grid', index: 0, url: `https://cdn.example.test/${remoteId}/grid.png` },
    ...[0, 1, 2, 3].map((index) => ({
      kind: 'image' as const,
      index,
      url: `https://cdn.example.test/${remoteId}/${index}.png`,
    })),
  ];
}

/**
 * Every page of a search read straight from the database with one plan, following the cursors, as
 * the `seq`s of each page: what lets a test compare plans page for page.
 */
export function pagesWithPlan(
  db: Database.Database,
  text: string,
  query: ListQuery,
  plan: SearchPlan,
  maxPages = 1000,
): number[][] {
  const match = toFtsMatch(text)!;
  const pages: number[][] = [];
  let cursor: string | null = null;
  for (let n = 0; n < maxPages; n++) {
    const page = toPageQuery({ ...query, cursor });
    const { sql, params } = buildPageSql(page, match, plan);
    const rows = db.prepare(sql).all(...params) as { seq: number }[];
    const items = rows.slice(0, page.limit).map((r) => r.seq);
    pages.push(items);
    if (rows.length <= page.limit) return pages;
    cursor = encodeCursor(page.sort, items.at(-1)!);
  }
  throw new Error('The search never reached its last page.');
}
