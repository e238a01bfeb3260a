import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkLoad, compareLoads } from '../../bench/library/load';
import { LibraryPlanner } from '../../bench/library/plan';
import { DB_FILE, openLibrary } from '../../src/main/core/library';

const NOW = Date.UTC(2025, 5, 1);
const planner = () => new LibraryPlanner({ jobs: 60, now: NOW, seed: 7, historyDays: 10 });

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'genvault-bulk-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A library whose schema gained `sql` after its migrations, as a new migration would change it. */
function libraryWith(sql: string): string {
  const dir = path.join(tempDir(), 'lib');
  openLibrary(dir).close();
  const db = new Database(path.join(dir, DB_FILE));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
  return dir;
}

function jobCount(dir: string): number {
  const db = new Database(path.join(dir, DB_FILE), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('bench bulk load', () => {
  it('writes the same rows as the Library API', () => {
    const comparison = compareLoads(path.join(tempDir(), 'compare'), planner, ['cat', 'portrait'], NOW);
    expect(comparison).toEqual({ jobs: 60, difference: null });
  });

  it('stops, naming the column, when the jobs table gains a column it does not write', () => {
    const dir = libraryWith('ALTER TABLE jobs ADD COLUMN rating INTEGER NOT NULL DEFAULT 0');
    expect(() => bulkLoad(dir, planner())).toThrow(
      "The bulk load's jobs rows no longer match the library schema " +
        '(columns without a value: rating; values without a column: none).',
    );
    expect(jobCount(dir)).toBe(0);
  });

  it('stops, naming the column, when the outputs table gains a column it does not write', () => {
    const dir = libraryWith('ALTER TABLE outputs ADD COLUMN blurhash TEXT');
    expect(() => bulkLoad(dir, planner())).toThrow(
      "The bulk load's outputs rows no longer match the library schema " +
        '(columns without a value: blurhash; values without a column: none).',
    );
    expect(jobCount(dir)).toBe(0);
  });

  it('stops, naming the column, when a column it writes is gone from the schema', () => {
    const dir = libraryWith('ALTER TABLE outputs RENAME COLUMN mime TO media_type');
    expect(() => bulkLoad(dir, planner())).toThrow(
      "The bulk load's outputs rows no longer match the library schema " +
        '(columns without a value: media_type; values without a column: mime).',
    );
  });
});
