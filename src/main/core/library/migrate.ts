import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../errors';
import type { Migration } from './migrations';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws when the file was written by a newer GenVault; reads only, so the file is left as it is. */
export function assertNotFromTheFuture(db: Database, migrations: readonly Migration[]): void {
  const found = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (found > latest) {
    throw new InvalidInputError(
      `This library was written by a newer GenVault (schema ${found}); update GenVault to open it.`,
    );
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Brings the schema up to the latest version, one transaction per step. Each step takes the write
 * lock first (BEGIN IMMEDIATE) and re-reads the version inside it, so two processes opening the same
 * library at once (the app and the CLI) never apply a step twice.
 */
export function migrate(db: Database, migrations: readonly Migration[]): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration "${m.name}" has version ${m.version}; expected ${i + 1}.`);
    }
  });
  const from = schemaVersion(db);
  for (const step of migrations) {
    const apply = db.transaction(() => {
      assertNotFromTheFuture(db, migrations);
      if (schemaVersion(db) >= step.version) return;
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    });
    if (schemaVersion(db) < step.version) apply.immediate();
  }
  return { from, to: schemaVersion(db) };
}
