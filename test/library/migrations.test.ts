import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/main/core/errors';
import { MIGRATIONS, openLibrary } from '../../src/main/core/library';
import type { Migration } from '../../src/main/core/library';
import { migrate, schemaVersion } from '../../src/main/core/library/migrate';
import { useTempLibraries } from './helpers';

const temp = useTempLibraries();
const LATEST = MIGRATIONS.length;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function tables(db: Database.Database): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_') && !n.startsWith('jobs_fts_'));
}

describe('opening a library', () => {
  it('creates the folder layout and a database at the latest schema, in WAL mode', () => {
    const dir = path.join(temp.tempDir(), 'nested', 'lib');
    const lib = temp.open(dir);
    expect(existsSync(path.join(dir, 'media'))).toBe(true);
    expect(existsSync(path.join(dir, 'thumbs'))).toBe(true);
    expect(lib.root).toBe(dir);
    lib.close();

    const db = new Database(path.join(dir, 'genvault.db'), { readonly: true });
    try {
      expect(schemaVersion(db)).toBe(LATEST);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(tables(db)).toEqual([
        'job_filter_counts',
        'job_payloads',
        'job_texts',
        'jobs',
        'jobs_fts',
        'lineage',
        'outputs',
        'settings',
        'tags',
      ]);
    } finally {
      db.close();
    }
  });

  it('re-opens an up-to-date library without migrating again and keeps its rows', () => {
    const dir = temp.tempDir();
    const first = temp.open(dir);
    const job = first.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'a lighthouse' });
    first.close();

    const db = new Database(path.join(dir, 'genvault.db'));
    try {
      expect(migrate(db, MIGRATIONS)).toEqual({ from: LATEST, to: LATEST });
    } finally {
      db.close();
    }
    const again = temp.open(dir);
    expect(again.getJob(job.id)?.prompt).toBe('a lighthouse');
  });

  it('refuses a library from a newer GenVault and leaves the file untouched', () => {
    const dir = temp.tempDir();
    temp.open(dir).close();
    const file = path.join(dir, 'genvault.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = sha256(file);
    const filesBefore = readdirSync(dir).sort();

    let error: unknown;
    try {
      openLibrary(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      `This library was written by a newer GenVault (schema ${LATEST + 1}); update GenVault to open it.`,
    );
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
  });

  it('applies each step in its own transaction: a failing step leaves the previous version intact', () => {
    const db = new Database(path.join(temp.tempDir(), 'partial.db'));
    try {
      const broken: Migration = {
        version: 2,
        name: 'broken',
        up(d) {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      };
      expect(() => migrate(db, [...MIGRATIONS.slice(0, 1), broken])).toThrow('boom');
      expect(schemaVersion(db)).toBe(1);
      expect(tables(db)).not.toContain('half_done');
      expect(tables(db)).toContain('jobs');
    } finally {
      db.close();
    }
  });

  it('rejects a migration list with a gap in its versions', () => {
    const db = new Database(':memory:');
    try {
      const skip: Migration = { version: 3, name: 'skip', up: () => undefined };
      expect(() => migrate(db, [...MIGRATIONS.slice(0, 1), skip])).toThrow(/expected 2/);
      expect(schemaVersion(db)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('opens read-only without writing, and refuses writes', () => {
    const dir = temp.tempDir();
    const writer = temp.open(dir);
    writer.createJob({ provider: 'legnext', taskType: 'diffusion', prompt: 'quiet harbour' });
    writer.close();

    const reader = temp.open(dir, { readonly: true });
    expect(reader.listJobs().items.map((j) => j.prompt)).toEqual(['quiet harbour']);
    expect(reader.search('harbour').items).toHaveLength(1);
    expect(() => reader.createJob({ provider: 'legnext', taskType: 'diffusion' })).toThrow(/readonly/);
  });

  it('explains a missing library in read-only mode and a file that is not a database', () => {
    const empty = temp.tempDir();
    expect(() => openLibrary(empty, { readonly: true })).toThrow(InvalidInputError);
    expect(readdirSync(empty)).toEqual([]);

    const dir = temp.tempDir();
    writeFileSync(
      path.join(dir, 'genvault.db'),
      'this is not sqlite, just text that is long enough'.repeat(20),
    );
    expect(() => openLibrary(dir)).toThrow(/is not a GenVault library database/);
  });
});
