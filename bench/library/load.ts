/**
 * Two ways to put planned jobs into a library:
 *
 * - `bulkLoad` writes the rows with plain SQL in one transaction, exactly as the Library's own writes
 *   would leave them, including the full-text index and the archive states its triggers maintain. It is
 *   what makes a 250,000-job library possible in a minute or two.
 * - `replayThroughLibrary` makes the same job with the public Library API, step by step as the queue and
 *   the archiver do (createJob, applySnapshot, updateJob, updateOutput, setFavorite, setTags).
 *
 * `compareLoads` builds a small library both ways and reports the first difference, which is how the
 * benchmark proves that the bulk rows are what GenVault itself would have written.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ACTIONS_WINDOW_MS, CDN_RETENTION_MS } from '../../src/shared/domain';
import { DB_FILE, openLibrary, outputPathFor, thumbPathFor } from '../../src/main/core/library';
import type { Library, OutputPatch } from '../../src/main/core/library';
import { createUuidV7Generator } from '../../src/main/core/library/uuid';
import { SEQ_PER_MS } from '../../src/main/core/library/query';
import type { JobPlan, LibraryPlanner, OutputOutcome } from './plan';

type SqlValue = string | number | null;

/**
 * Inserts rows into every column `table` has in the opened database. The columns come from the live
 * schema (`PRAGMA table_info`), not from a list kept here, and each row names its values by column:
 * when a migration adds, renames or drops a column, the first row stops the load naming it, instead
 * of the bulk rows silently leaving it to its default where the Library would write a value.
 */
function rowWriter(db: Database.Database, table: string): (row: Record<string, SqlValue>) => void {
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  if (columns.length === 0) throw new Error(`The library schema has no ${table} table.`);
  const insert = db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  // Every row of a table is built by the same object literal, so checking the first one covers all.
  let checked = false;
  return (row) => {
    if (!checked) {
      const missing = columns.filter((c) => !Object.hasOwn(row, c));
      const unknown = Object.keys(row).filter((c) => !columns.includes(c));
      if (missing.length > 0 || unknown.length > 0) {
        throw new Error(
          `The bulk load's ${table} rows no longer match the library schema ` +
            `(columns without a value: ${missing.join(', ') || 'none'}; ` +
            `values without a column: ${unknown.join(', ') || 'none'}).`,
        );
      }
      checked = true;
    }
    insert.run(row);
  };
}

/** The API's ISO times as the library stores them (unset or unparseable → null). */
function apiMs(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

function extOf(kind: OutputOutcome['kind']): string {
  return kind === 'video' ? 'mp4' : 'png';
}

/** The first one must be the trigger that indexes a new job (see `bulkIndexStatement`). */
const SUSPENDED_TRIGGERS = [
  'jobs_fts_after_insert',
  'job_texts_fts_after_insert',
  'tags_fts_after_insert',
  'outputs_state_after_insert',
];

/**
 * The job-insert trigger's indexing statement (`INSERT INTO jobs_fts … FROM jobs j WHERE j.id = new.id`)
 * without its last condition: the same index rows, for every job at once.
 */
function bulkIndexStatement(triggerSql: string): string {
  const body = /\bBEGIN\b([\s\S]*)\bEND\s*$/i.exec(triggerSql)?.[1]?.trim() ?? '';
  const all = body.replace(/\s+WHERE\s+j\.id\s*=\s*new\.id\s*;?$/i, ';');
  if (!/^INSERT INTO jobs_fts\b/i.test(body) || all === body) {
    throw new Error('The full-text insert trigger no longer has the form the bulk load expects.');
  }
  return all;
}

/**
 * The job's archive state as the schema's triggers derive it from its outputs (`compareLoads` checks
 * the bulk result against the one the triggers produce through the Library API).
 */
function archiveStateOf(outputs: readonly OutputOutcome[]): string {
  if (outputs.length === 0) return 'none';
  const count = (state: OutputOutcome['state']): number => outputs.filter((o) => o.state === state).length;
  if (count('error') > 0) return 'error';
  if (count('remote') > 0) return 'pending';
  if (count('archived') === outputs.length) return 'archived';
  if (count('expired') === outputs.length) return 'expired';
  return 'partial';
}

export interface LoadResult {
  jobs: number;
  outputs: number;
  /** Library job id of every planned job, by ordinal. */
  ids: string[];
}

/**
 * Writes every job the planner yields into the library database at `libraryDir` (created by
 * `openLibrary` beforehand, so the schema is the library's own). `onJob` sees each plan with its id.
 */
export function bulkLoad(
  libraryDir: string,
  planner: LibraryPlanner,
  onJob?: (plan: JobPlan, id: string) => void,
): LoadResult {
  const db = new Database(path.join(libraryDir, DB_FILE));
  try {
    db.pragma('foreign_keys = ON');
    // A throwaway build: durability during the load buys nothing, the checkpoint at the end persists it.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const insertJob = rowWriter(db, 'jobs');
    const insertPayload = rowWriter(db, 'job_payloads');
    const insertOutput = rowWriter(db, 'outputs');
    const insertEdge = rowWriter(db, 'lineage');
    const insertText = rowWriter(db, 'job_texts');
    const insertTag = rowWriter(db, 'tags');

    // Row-by-row triggers (full-text indexing, archive-state derivation) are suspended for the load
    // and put back from their own stored SQL before the commit: the index is then built in one pass
    // with the insert trigger's own statement, and archive states are written with each job. The
    // filter-count triggers stay on: each job row is inserted once, as it is, so they count it right.
    const triggers = SUSPENDED_TRIGGERS.map((name) => {
      const sql = db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
        .pluck()
        .get(name) as string | undefined;
      if (sql === undefined) throw new Error(`The library schema has no ${name} trigger.`);
      return { name, sql };
    });
    const indexAll = bulkIndexStatement(triggers[0]!.sql);
    const schemaOf = (): string =>
      JSON.stringify(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all());
    const schemaBefore = schemaOf();

    let clock = 0;
    const newId = createUuidV7Generator(() => clock);
    const ids: string[] = [];
    const roots: string[] = [];
    let outputs = 0;
    let lastCreatedAt = -1;
    let sameMs = 0;

    db.transaction(() => {
      for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
      for (let plan = planner.next(); plan !== null; plan = planner.next()) {
        const snap = plan.snapshot;
        const createdAt = apiMs(snap?.createdAt) ?? plan.createdAt;
        if (createdAt < lastCreatedAt) throw new Error('Planned jobs must come in creation order.');
        sameMs = createdAt === lastCreatedAt ? sameMs + 1 : 0;
        lastCreatedAt = createdAt;
        clock = createdAt;
        const id = newId();
        const parentId = plan.parent ? ids[plan.parent.ordinal]! : null;
        const rootId = plan.parent ? roots[plan.parent.ordinal]! : id;
        ids.push(id);
        roots.push(rootId);
        const status = snap?.status ?? plan.status;
        insertJob({
          seq: createdAt * SEQ_PER_MS + sameMs,
          id,
          provider: 'legnext',
          remote_id: snap?.remoteId ?? null,
          task_type: plan.taskType,
          status,
          prompt: plan.prompt,
          description: snap?.text ? snap.text.description : null,
          params_json: JSON.stringify(plan.params),
          model_version: plan.modelVersion,
          aspect_ratio: plan.aspectRatio,
          parent_id: parentId,
          parent_index: plan.parent?.index ?? null,
          root_id: rootId,
          created_at: createdAt,
          submitted_at: plan.submittedAt,
          started_at: apiMs(snap?.startedAt),
          ended_at: apiMs(snap?.endedAt),
          cdn_expires_at: createdAt + CDN_RETENTION_MS,
          actions_expire_at: createdAt + ACTIONS_WINDOW_MS,
          cost_frozen: snap?.cost.frozen ?? 0,
          cost_consumed: snap?.cost.consumed ?? 0,
          error_code: snap?.error?.code ?? null,
          error_message: snap?.error?.message ?? null,
          seed: snap?.seed ?? null,
          available_actions_json: snap?.availableActions ? JSON.stringify(snap.availableActions) : null,
          progress: snap?.progress ?? (status === 'completed' ? 100 : null),
          favorite: plan.favorite ? 1 : 0,
          archive_state: archiveStateOf(plan.outputs),
          attempts: 0,
          next_poll_at: plan.nextPollAt,
          last_polled_at: plan.lastPolledAt,
          poll_count: plan.pollCount,
          updated_at: plan.lastPolledAt ?? createdAt,
        });
        insertPayload({
          job_id: id,
          request_json: JSON.stringify(plan.request),
          raw_json: snap ? JSON.stringify(snap.raw) : null,
        });
        if (plan.parent) {
          insertEdge({
            child_id: id,
            position: 0,
            parent_id: parentId,
            parent_index: plan.parent.index,
            relation: plan.parent.relation,
          });
        }
        const job = { id, createdAt };
        plan.outputs.forEach((o, i) => {
          const archived = o.state === 'archived';
          insertOutput({
            job_id: id,
            kind: o.kind,
            idx: o.index,
            url: snap!.outputs[i]!.url,
            state: o.state,
            path: archived ? outputPathFor(job, o.kind, o.index, extOf(o.kind)) : null,
            bytes: o.bytes,
            sha256: o.sha256,
            mime: o.mime,
            width: o.width,
            height: o.height,
            duration_ms: o.durationMs,
            thumb_path: archived ? thumbPathFor(job, o.kind, o.index) : null,
            attempts: o.attempts,
            next_attempt_at: o.nextAttemptAt,
            error: o.error,
            archived_at: o.archivedAt,
          });
        });
        outputs += plan.outputs.length;
        snap?.text?.prompts.forEach((text, idx) => insertText({ job_id: id, idx, text }));
        for (const tag of [...plan.tags].sort()) insertTag({ job_id: id, tag });
        onJob?.(plan, id);
      }
      db.exec(indexAll);
      for (const { sql } of triggers) db.exec(sql);
      if (schemaOf() !== schemaBefore)
        throw new Error('The bulk load did not leave the schema as it found it.');
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { jobs: ids.length, outputs, ids };
  } finally {
    db.close();
  }
}

/** The same job through the public Library API, in the order the queue and archiver make these calls. */
export function replayThroughLibrary(lib: Library, plan: JobPlan, ids: readonly string[]): string {
  const snap = plan.snapshot;
  const row = lib.createJob({
    provider: 'legnext',
    taskType: plan.taskType,
    status: snap === null ? 'submitting' : 'queued',
    prompt: plan.prompt,
    params: plan.params,
    request: plan.request,
    modelVersion: plan.modelVersion,
    aspectRatio: plan.aspectRatio,
    parent: plan.parent
      ? { id: ids[plan.parent.ordinal]!, index: plan.parent.index, relation: plan.parent.relation }
      : undefined,
    createdAt: plan.createdAt,
    remoteId: snap?.remoteId ?? null,
  });
  if (snap) lib.applySnapshot(row.id, snap);
  lib.updateJob(row.id, {
    submittedAt: plan.submittedAt,
    attempts: 0,
    nextPollAt: plan.nextPollAt,
    lastPolledAt: plan.lastPolledAt,
    pollCount: plan.pollCount,
  });
  const job = { id: row.id, createdAt: plan.createdAt };
  for (const o of plan.outputs) {
    if (o.state === 'remote') continue;
    const patch: Partial<OutputPatch> =
      o.state === 'archived'
        ? {
            state: 'archived',
            path: outputPathFor(job, o.kind, o.index, extOf(o.kind)),
            bytes: o.bytes,
            sha256: o.sha256,
            mime: o.mime,
            width: o.width,
            height: o.height,
            durationMs: o.durationMs,
            thumbPath: thumbPathFor(job, o.kind, o.index),
            error: null,
            archivedAt: o.archivedAt,
          }
        : { state: o.state, attempts: o.attempts, nextAttemptAt: o.nextAttemptAt, error: o.error };
    lib.updateOutput(row.id, o.kind, o.index, patch);
  }
  if (plan.favorite) lib.setFavorite(row.id, true);
  if (plan.tags.length > 0) lib.setTags(row.id, plan.tags);
  return row.id;
}

/** Everything the library says about one job, with ids, the folder and write times made comparable. */
function fingerprint(lib: Library, ids: readonly string[], ordinal: number): string {
  const id = ids[ordinal]!;
  const { updatedAt: _updatedAt, ...row } = lib.getJob(id)!;
  let text = JSON.stringify({
    row,
    outputs: lib.outputsOf(id),
    view: lib.jobView(id),
    parents: lib.parents(id),
    children: lib.children(id),
  });
  text = text.replaceAll(lib.root, '<library>');
  for (const other of new Set([id, row.parentId, row.rootId, ...lib.children(id).map((c) => c.childId)])) {
    if (other !== null) text = text.replaceAll(other, `#${ids.indexOf(other)}`);
  }
  return text;
}

export interface Comparison {
  jobs: number;
  /** Null when both libraries agree on every job, their filter counts and every probe search. */
  difference: string | null;
}

/**
 * Builds the plan's jobs in two fresh libraries under `workDir`, by `bulkLoad` and by the Library API,
 * and compares every job (row, outputs, view, lineage), the filter counts and the results of `searches`.
 * Removes `workDir`.
 */
export function compareLoads(
  workDir: string,
  makePlanner: () => LibraryPlanner,
  searches: readonly string[],
  now: number,
): Comparison {
  const bulkDir = path.join(workDir, 'bulk');
  const apiDir = path.join(workDir, 'api');
  mkdirSync(workDir, { recursive: true });
  try {
    openLibrary(bulkDir).close();
    const bulk = bulkLoad(bulkDir, makePlanner());
    const byApi = openLibrary(apiDir, { now: () => now });
    const bulkLib = openLibrary(bulkDir, { now: () => now });
    try {
      const apiIds: string[] = [];
      const planner = makePlanner();
      for (let plan = planner.next(); plan !== null; plan = planner.next()) {
        apiIds.push(replayThroughLibrary(byApi, plan, apiIds));
      }
      for (let ordinal = 0; ordinal < bulk.ids.length; ordinal++) {
        const fromBulk = fingerprint(bulkLib, bulk.ids, ordinal);
        const fromApi = fingerprint(byApi, apiIds, ordinal);
        if (fromBulk !== fromApi) {
          return { jobs: bulk.jobs, difference: `job #${ordinal}: ${firstDifference(fromBulk, fromApi)}` };
        }
      }
      const filterCounts = (dir: string): string => {
        const db = new Database(path.join(dir, DB_FILE), { readonly: true });
        try {
          return JSON.stringify(db.prepare('SELECT * FROM job_filter_counts ORDER BY filter, value').all());
        } finally {
          db.close();
        }
      };
      if (filterCounts(bulkDir) !== filterCounts(apiDir)) {
        return { jobs: bulk.jobs, difference: 'the filter counts differ' };
      }
      for (const text of searches) {
        const ordinals = (lib: Library, ids: readonly string[]): number[] =>
          lib.search(text, { limit: 500 }).items.map((j) => ids.indexOf(j.id));
        const a = ordinals(bulkLib, bulk.ids);
        const b = ordinals(byApi, apiIds);
        if (JSON.stringify(a) !== JSON.stringify(b)) {
          return {
            jobs: bulk.jobs,
            difference: `search "${text}" found ${a.length} jobs in bulk, ${b.length} by API`,
          };
        }
      }
      return { jobs: bulk.jobs, difference: null };
    } finally {
      bulkLib.close();
      byApi.close();
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  return `bulk …${a.slice(from, i + 60)}… vs API …${b.slice(from, i + 60)}…`;
}
