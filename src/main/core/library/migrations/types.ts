import type { Database } from 'better-sqlite3';

/**
 * One schema step. `up` runs inside the transaction that also bumps `PRAGMA user_version` to
 * `version`, so a step is applied completely or not at all. Steps are never edited once released:
 * a change to the schema is a new file.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
