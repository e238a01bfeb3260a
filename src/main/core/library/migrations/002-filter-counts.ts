import type { Migration } from './types';

/**
 * How many jobs have each value of each listing filter, kept exact by triggers, so a search can tell a
 * rare filter value (expired outputs, a seldom-used model) from a common one with one primary-key read
 * instead of counting index entries (see `chooseSearchPlan` in ../query.ts).
 *
 * - NULLs are not counted: no filter asks for them.
 * - `root_id` is left out: it has a value per family, and a family is small enough to count directly.
 * - A value's row goes away when its count reaches 0, so the table only holds values in use.
 * - The update trigger only acts when a counted column really changes; the library rewrites whole
 *   rows on every poll.
 */
export const COUNTED_FILTERS = [
  'task_type',
  'status',
  'provider',
  'model_version',
  'aspect_ratio',
  'favorite',
  'archive_state',
] as const;

/**
 * `(filter, value)` rows of one job row (`new` or `old`). A compound SELECT, not VALUES: inside a
 * trigger SQLite cannot name the columns of a VALUES list that refers to the row.
 */
function pairsOf(row: 'new' | 'old'): string {
  return COUNTED_FILTERS.map((c) => `SELECT '${c}' AS filter, ${row}.${c} AS value`).join(' UNION ALL ');
}

/** `(filter, value)` rows of the counted columns an update changed, before (`old`) or after (`new`). */
function changedPairs(side: 'new' | 'old'): string {
  return COUNTED_FILTERS.map(
    (c) => `SELECT '${c}' AS filter, ${side}.${c} AS value WHERE old.${c} IS NOT new.${c}`,
  ).join(' UNION ALL ');
}

const ADD = (pairs: string): string => `
  INSERT INTO job_filter_counts (filter, value, jobs)
    SELECT filter, value, 1 FROM (${pairs}) WHERE value IS NOT NULL
    ON CONFLICT (filter, value) DO UPDATE SET jobs = jobs + 1;`;

const REMOVE = (pairs: string): string => `
  UPDATE job_filter_counts SET jobs = jobs - 1 WHERE (filter, value) IN (${pairs});
  DELETE FROM job_filter_counts WHERE jobs <= 0 AND (filter, value) IN (${pairs});`;

export const filterCounts: Migration = {
  version: 2,
  name: 'filter-counts',
  up(db) {
    db.exec(`
      CREATE TABLE job_filter_counts (
        filter TEXT NOT NULL,
        value ANY NOT NULL,
        jobs INTEGER NOT NULL,
        PRIMARY KEY (filter, value)
      ) STRICT, WITHOUT ROWID;

      ${COUNTED_FILTERS.map(
        (c) => `INSERT INTO job_filter_counts (filter, value, jobs)
          SELECT '${c}', ${c}, count(*) FROM jobs WHERE ${c} IS NOT NULL GROUP BY ${c};`,
      ).join('\n')}

      CREATE TRIGGER job_filter_counts_after_insert AFTER INSERT ON jobs BEGIN
        ${ADD(pairsOf('new'))}
      END;
      CREATE TRIGGER job_filter_counts_after_delete AFTER DELETE ON jobs BEGIN
        ${REMOVE(pairsOf('old'))}
      END;
      CREATE TRIGGER job_filter_counts_after_update AFTER UPDATE OF ${COUNTED_FILTERS.join(', ')} ON jobs
        WHEN ${COUNTED_FILTERS.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}
      BEGIN
        ${REMOVE(changedPairs('old'))}
        ${ADD(changedPairs('new'))}
      END;
    `);
  },
};
