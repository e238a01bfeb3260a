/**
 * The library: one SQLite file (`genvault.db`) plus the media folder beside it. Synchronous,
 * better-sqlite3 style; times are ms since the epoch in and out, except in `JobView`s (ISO strings).
 * Multi-statement changes run in one `BEGIN IMMEDIATE` transaction, so the app and the CLI can share a
 * library without either seeing half a change.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ZodType } from 'zod';
import {
  ACTIONS_WINDOW_MS,
  CDN_RETENTION_MS,
  JOB_STATUSES,
  OUTPUT_KINDS,
  OUTPUT_STATES,
  PROVIDERS,
} from '../../../shared/domain';
import { MAX_TAGS } from '../../../shared/contract';
import type { JobsPage, StackView } from '../../../shared/contract';
import type { JobStatus, JobView, OutputKind, OutputView, Provider } from '../../../shared/domain';
import { InvalidInputError } from '../errors';
import type { RemoteJobSnapshot } from '../providers/types';
import { assertNotFromTheFuture, latestVersion, migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import {
  DB_FILE,
  MEDIA_DIR,
  SIDECAR_FILE,
  THUMBS_DIR,
  sidecarPathFor,
  toAbsolute,
  toRelative,
} from './paths';
import {
  AVERAGE_FAMILY_SIZE_SQL,
  HAS_PLANNER_STATS_SQL,
  MAX_CREATED_AT,
  SEQ_PER_MS,
  buildFamilySizesSql,
  buildPageSql,
  chooseSearchPlan,
  encodeCursor,
  toFtsMatch,
  toPageQuery,
} from './query';
import type { ListQuery, PageQuery, PageSql } from './query';
import { redactSecrets } from './redact';
import { decodeJob, decodeListing, decodeOutput, iso } from './rows';
import type {
  JobRecord,
  JobRequest,
  JobRow,
  LineageEdge,
  LineageStep,
  ListingRecord,
  ListingRow,
  OutputRecord,
  OutputRow,
  OutputToArchive,
} from './rows';
import { buildSidecar, sidecarSchema, writeFileAtomic } from './sidecar';
import type { Sidecar } from './sidecar';
import { createUuidV7Generator } from './uuid';

export interface OpenLibraryOptions {
  /** Clock for ids, timestamps and expiry decisions; tests pin it. */
  now?: () => number;
  /** Open an existing, up-to-date library without writing anything (no migration, no folders). */
  readonly?: boolean;
}

export interface NewJob {
  provider: Provider;
  taskType: string;
  /** Defaults to `submitting`: the row is written before the POST. */
  status?: JobStatus;
  prompt?: string | null;
  /** Parameters parsed from the prompt or form (`{ ar: '16:9', v: '7' }`). */
  params?: Record<string, unknown>;
  /** What will be (or was) POSTed, so a restart knows what was asked. */
  request?: JobRequest | null;
  modelVersion?: string | null;
  aspectRatio?: string | null;
  /** The job this one follows up; `index` is the parent's image/video index when one was picked. */
  parent?: { id: string; index: number | null; relation: string };
  /** Further sources of a blend, after `parent`; they share its relation. */
  extraParents?: { id: string; index: number | null }[];
  /** Defaults to now; the API's creation time replaces it later (see `applySnapshot`). */
  createdAt?: number;
  remoteId?: string | null;
}

/**
 * Fields `updateJob` may change. Absent or `undefined` keys are left alone; `null` clears. A new
 * `createdAt` moves the expiry windows and the job's place in listings with it.
 */
const JOB_PATCH_KEYS = [
  'remoteId',
  'status',
  'prompt',
  'params',
  'request',
  'modelVersion',
  'aspectRatio',
  'createdAt',
  'submittedAt',
  'startedAt',
  'endedAt',
  'costFrozen',
  'costConsumed',
  'errorCode',
  'errorMessage',
  'seed',
  'availableActions',
  'raw',
  'progress',
  'attempts',
  'nextPollAt',
  'lastPolledAt',
  'pollCount',
] as const satisfies readonly (keyof JobRow)[];
export type JobPatch = Pick<JobRow, (typeof JOB_PATCH_KEYS)[number]>;

/** Fields `updateOutput` may change; paths may be absolute (inside the library) or relative to it. */
export type OutputPatch = Omit<OutputRow, 'jobId' | 'kind' | 'index'>;

const OUTPUT_PATCH_KEYS = [
  'url',
  'state',
  'bytes',
  'sha256',
  'mime',
  'width',
  'height',
  'durationMs',
  'attempts',
  'nextAttemptAt',
  'error',
  'archivedAt',
] as const satisfies readonly (keyof OutputPatch)[];

export interface LibraryStats {
  jobs: number;
  outputs: number;
  archived: number;
  /** Bytes of archived outputs. */
  bytes: number;
}

export interface RebuildResult {
  /** Jobs written from sidecars (a sidecar older than the row already in the DB is not applied). */
  jobs: number;
  outputs: number;
  /** Sidecars that could not be read, relative to the library folder. */
  skipped: string[];
  /** Archived outputs whose file was missing or of the wrong size, now back to `remote`/`expired`. */
  missingFiles: number;
}

type SqlValue = string | number | null;

/** Every jobs column a full insert or update writes; `archive_state` belongs to the triggers. */
const WRITABLE_JOB_COLUMNS = [
  'id',
  'provider',
  'remote_id',
  'task_type',
  'status',
  'prompt',
  'description',
  'params_json',
  'model_version',
  'aspect_ratio',
  'parent_id',
  'parent_index',
  'root_id',
  'created_at',
  'submitted_at',
  'started_at',
  'ended_at',
  'cdn_expires_at',
  'actions_expire_at',
  'cost_frozen',
  'cost_consumed',
  'error_code',
  'error_message',
  'seed',
  'available_actions_json',
  'progress',
  'favorite',
  'attempts',
  'next_poll_at',
  'last_polled_at',
  'poll_count',
  'updated_at',
] as const;

const INSERT_JOB = `INSERT INTO jobs (seq, ${WRITABLE_JOB_COLUMNS.join(', ')})
  VALUES (@seq, ${WRITABLE_JOB_COLUMNS.map((c) => `@${c}`).join(', ')})`;
const UPDATE_JOB = `UPDATE jobs SET ${WRITABLE_JOB_COLUMNS.filter((c) => c !== 'id')
  .map((c) => `${c} = @${c}`)
  .join(', ')} WHERE id = @id`;
/** Changing the primary key moves the row, so it is only written when the creation time moved. */
const UPDATE_JOB_AND_SEQ = UPDATE_JOB.replace('SET ', 'SET seq = @seq, ');

/** A whole job: its row and its payload (request and raw response). */
const SELECT_JOB = `SELECT j.*, p.request_json, p.raw_json FROM jobs j LEFT JOIN job_payloads p ON p.job_id = j.id`;

/** Jobs the queue still carries; few at any time, so `jobs_by_status` finds them directly. */
const UNFINISHED = `j.status IN ('submitting', 'queued', 'running')`;

const OUTPUT_VIEW_ORDER = `ORDER BY kind = 'grid', kind, idx`;

const PAGE_STATEMENT_CACHE = 256;
const MAX_LINEAGE_DEPTH = 10_000;
const MAX_TAG_LENGTH = 100;
const REBUILD_CHUNK = 500;
const REBUILD_VERIFY_CHUNK = 1000;

/** API times arrive as ISO strings or null; anything unparseable counts as unset. */
function parseApiTime(value: string | null): number | null {
  if (value === null || value === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function checkCreatedAt(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_CREATED_AT) {
    throw new InvalidInputError(
      `The creation time ${String(ms)} is not a valid time in milliseconds.`,
      'createdAt',
    );
  }
  return ms;
}

function checkIndex(index: number | null, what: string): number | null {
  if (index !== null && (!Number.isInteger(index) || index < 0)) {
    throw new InvalidInputError(`The ${what} index must be a whole number of 0 or more.`, 'index');
  }
  return index;
}

function has<T extends object>(patch: Partial<T>, key: keyof T): boolean {
  return Object.hasOwn(patch, key) && patch[key] !== undefined;
}

function encodeJob(row: JobRow): Record<(typeof WRITABLE_JOB_COLUMNS)[number], SqlValue> {
  return {
    id: row.id,
    provider: row.provider,
    remote_id: row.remoteId,
    task_type: row.taskType,
    status: row.status,
    prompt: row.prompt,
    description: row.description,
    params_json: JSON.stringify(row.params),
    model_version: row.modelVersion,
    aspect_ratio: row.aspectRatio,
    parent_id: row.parentId,
    parent_index: row.parentIndex,
    root_id: row.rootId,
    created_at: row.createdAt,
    submitted_at: row.submittedAt,
    started_at: row.startedAt,
    ended_at: row.endedAt,
    cdn_expires_at: row.createdAt + CDN_RETENTION_MS,
    actions_expire_at: row.createdAt + ACTIONS_WINDOW_MS,
    cost_frozen: row.costFrozen,
    cost_consumed: row.costConsumed,
    error_code: row.errorCode,
    error_message: row.errorMessage,
    seed: row.seed,
    available_actions_json: json(row.availableActions),
    progress: row.progress,
    favorite: row.favorite ? 1 : 0,
    attempts: row.attempts,
    next_poll_at: row.nextPollAt,
    last_polled_at: row.lastPolledAt,
    poll_count: row.pollCount,
    updated_at: row.updatedAt,
  };
}

/**
 * Tags as stored: trimmed, inner whitespace collapsed, empty ones dropped, case-insensitively unique,
 * in alphabetical order regardless of case.
 */
function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const given of tags) {
    const tag = given.trim().replace(/\s+/gu, ' ');
    if (tag === '') continue;
    if (tag.length > MAX_TAG_LENGTH) {
      throw new InvalidInputError(`A tag can be at most ${MAX_TAG_LENGTH} characters long.`, 'tags');
    }
    const key = tag.toLocaleLowerCase();
    if (!seen.has(key)) seen.set(key, tag);
  }
  if (seen.size > MAX_TAGS) throw new InvalidInputError(`A job can have at most ${MAX_TAGS} tags.`, 'tags');
  return [...seen.values()].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
}

/** `*`, `?` and `[` are GLOB wildcards; a one-character class makes each literal. */
function globPrefix(text: string): string {
  return `${text.replace(/[*?[]/gu, (c) => `[${c}]`)}*`;
}

function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

export function openLibrary(dir: string, opts: OpenLibraryOptions = {}): Library {
  const root = path.resolve(dir);
  const file = path.join(root, DB_FILE);
  const readonly = opts.readonly === true;
  if (readonly) {
    if (!existsSync(file)) throw new InvalidInputError(`There is no GenVault library in ${root}.`);
  } else {
    mkdirSync(path.join(root, MEDIA_DIR), { recursive: true });
    mkdirSync(path.join(root, THUMBS_DIR), { recursive: true });
  }
  let db: SqliteDatabase;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: 5000 });
  } catch (err) {
    const reason = err instanceof Error ? ` (${err.message})` : '';
    throw new InvalidInputError(`The library database ${file} could not be opened${reason}.`);
  }
  try {
    // Only reads and connection-level settings before the version check, so a library from a newer
    // GenVault is left byte-for-byte as it was.
    db.pragma('busy_timeout = 5000');
    assertNotFromTheFuture(db, MIGRATIONS);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // 32 MiB of page cache keeps the indexes of a 250k-job library in memory; temp sorts stay there too.
    db.pragma('cache_size = -32768');
    db.pragma('temp_store = MEMORY');
    if (readonly) {
      const found = schemaVersion(db);
      if (found < latestVersion(MIGRATIONS)) {
        throw new InvalidInputError(
          `This library uses an older schema (${found}); open it once without read-only mode to upgrade it.`,
        );
      }
    } else {
      db.pragma('journal_mode = WAL');
      migrate(db, MIGRATIONS);
      // Keeps planner statistics fresh (cheap: bounded by analysis_limit, skipped when nothing grew).
      db.pragma('analysis_limit = 1000');
      db.pragma('optimize = 0x10002');
    }
  } catch (err) {
    db.close();
    if (err instanceof InvalidInputError) throw err;
    if (isSqliteError(err) && err.code === 'SQLITE_NOTADB') {
      throw new InvalidInputError(`${file} is not a GenVault library database.`);
    }
    throw err;
  }
  return new Library(root, db, opts.now ?? Date.now, readonly);
}

export class Library {
  /** The library folder (absolute). */
  readonly root: string;
  readonly readonly: boolean;
  private readonly db: SqliteDatabase;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly statements = new Map<string, Statement>();
  private readonly pageStatements = new Map<string, Statement>();

  constructor(root: string, db: SqliteDatabase, now: () => number, readonly: boolean) {
    this.root = root;
    this.db = db;
    this.now = now;
    this.readonly = readonly;
    this.newId = createUuidV7Generator(now);
  }

  close(): void {
    if (!this.db.open) return;
    if (!this.readonly) this.db.pragma('optimize');
    this.db.close();
  }

  /** Absolute path of a library-relative path as stored in rows. */
  absolute(relative: string): string {
    return toAbsolute(this.root, relative);
  }

  // ── jobs ────────────────────────────────────────────────────────────────────────────────────────

  createJob(init: NewJob): JobRow {
    if (!PROVIDERS.includes(init.provider)) {
      throw new InvalidInputError(`Unknown provider "${String(init.provider)}".`, 'provider');
    }
    if (typeof init.taskType !== 'string' || init.taskType === '') {
      throw new InvalidInputError('A job needs a task type.', 'taskType');
    }
    const status = init.status ?? 'submitting';
    if (!JOB_STATUSES.includes(status))
      throw new InvalidInputError(`Unknown job status "${status}".`, 'status');
    const extras = init.extraParents ?? [];
    if (extras.length > 0 && !init.parent) {
      throw new InvalidInputError('A job with extra parents needs a first parent.', 'parent');
    }
    if (init.parent && init.parent.relation === '') {
      throw new InvalidInputError('A parent link needs a relation such as variation or blend.', 'parent');
    }
    const now = this.now();
    const createdAt = checkCreatedAt(init.createdAt ?? now);
    const id = this.newId();
    return this.write(() => {
      const parent = init.parent ? this.requireParent(init.parent.id) : undefined;
      const sources = init.parent ? [init.parent, ...extras] : [];
      sources.forEach((s) => {
        this.requireParent(s.id);
        checkIndex(s.index, 'parent');
      });
      const row: JobRow = {
        id,
        provider: init.provider,
        remoteId: init.remoteId ?? null,
        taskType: init.taskType,
        status,
        prompt: init.prompt ?? null,
        description: null,
        params: init.params ?? {},
        request: init.request ?? null,
        modelVersion: init.modelVersion ?? null,
        aspectRatio: init.aspectRatio ?? null,
        parentId: parent?.id ?? null,
        parentIndex: init.parent?.index ?? null,
        rootId: parent?.rootId ?? id,
        createdAt,
        submittedAt: null,
        startedAt: null,
        endedAt: null,
        cdnExpiresAt: createdAt + CDN_RETENTION_MS,
        actionsExpireAt: createdAt + ACTIONS_WINDOW_MS,
        costFrozen: 0,
        costConsumed: 0,
        errorCode: null,
        errorMessage: null,
        seed: null,
        availableActions: null,
        raw: null,
        progress: null,
        favorite: false,
        archiveState: 'none',
        attempts: 0,
        // A job the API already holds is due for a poll at once; a submitting one waits for its POST.
        nextPollAt: status === 'queued' || status === 'running' ? now : null,
        lastPolledAt: null,
        pollCount: 0,
        updatedAt: now,
      };
      this.assertRemoteIdFree(row);
      this.st(INSERT_JOB).run({ seq: this.allocateSeq(createdAt), ...encodeJob(row) });
      if (row.request !== null) this.writePayload(row);
      const relation = init.parent?.relation ?? '';
      sources.forEach((s, position) => {
        this.insertEdge(id, { parentId: s.id, parentIndex: s.index, relation, position });
      });
      return this.requireJob(id);
    });
  }

  updateJob(id: string, patch: Partial<JobPatch>): JobRow {
    return this.write(() => {
      const before = this.requireJob(id);
      const after: JobRow = { ...before };
      for (const key of JOB_PATCH_KEYS) {
        if (has(patch, key)) (after as unknown as Record<string, unknown>)[key] = patch[key];
      }
      if (!JOB_STATUSES.includes(after.status)) {
        throw new InvalidInputError(`Unknown job status "${String(after.status)}".`, 'status');
      }
      this.saveJob(before, after);
      return this.requireJob(id);
    });
  }

  /**
   * Folds one poll result into the job: status, times, cost, error, seed, follow-up actions, raw
   * response and progress; outputs are upserted (new ones start `remote`; known ones keep their
   * state and only take a changed URL); describe/shorten text replaces the stored text. The API's
   * creation time replaces the local one and moves the expiry windows. Applying the same snapshot
   * twice changes nothing but `updatedAt`.
   */
  applySnapshot(id: string, snap: RemoteJobSnapshot): JobRow {
    return this.write(() => {
      const before = this.requireJob(id);
      if (snap.provider !== before.provider) {
        throw new InvalidInputError(`Job ${id} is a ${before.provider} job, not a ${snap.provider} one.`);
      }
      if (before.remoteId !== null && before.remoteId !== snap.remoteId) {
        throw new InvalidInputError(`Job ${id} is remote job ${before.remoteId}, not ${snap.remoteId}.`);
      }
      const after: JobRow = {
        ...before,
        remoteId: snap.remoteId,
        status: snap.status,
        createdAt: parseApiTime(snap.createdAt) ?? before.createdAt,
        startedAt: parseApiTime(snap.startedAt) ?? before.startedAt,
        endedAt: parseApiTime(snap.endedAt) ?? before.endedAt,
        // A provider that reports the cost only once (Leonardo, on submit) answers 0 on later polls:
        // a zero never erases a cost already known.
        costFrozen: snap.cost.frozen || before.costFrozen,
        costConsumed: snap.cost.consumed || before.costConsumed,
        errorCode: snap.error ? snap.error.code : null,
        errorMessage: snap.error ? snap.error.message : null,
        seed: snap.seed ?? before.seed,
        availableActions: snap.availableActions ?? before.availableActions,
        raw: snap.raw,
        progress: snap.progress ?? (snap.status === 'completed' ? 100 : before.progress),
        description: snap.text ? snap.text.description : before.description,
      };
      this.saveJob(before, after);
      for (const output of snap.outputs) {
        if (!OUTPUT_KINDS.includes(output.kind) || checkIndex(output.index, 'output') === null) {
          throw new InvalidInputError(`Job ${id} reported an output of unknown kind "${output.kind}".`);
        }
        this.st(
          `INSERT INTO outputs (job_id, kind, idx, url) VALUES (?, ?, ?, ?)
           ON CONFLICT (job_id, kind, idx) DO UPDATE SET url = excluded.url WHERE url IS NOT excluded.url`,
        ).run(id, output.kind, output.index, output.url);
      }
      if (snap.text) this.replaceTexts(id, snap.text.prompts);
      return this.requireJob(id);
    });
  }

  findByRemoteId(provider: Provider, remoteId: string): JobRow | undefined {
    const record = this.st(`${SELECT_JOB} WHERE j.provider = ? AND j.remote_id = ?`).get(
      provider,
      remoteId,
    ) as JobRecord | undefined;
    return record && decodeJob(record);
  }

  getJob(id: string): JobRow | undefined {
    const record = this.st(`${SELECT_JOB} WHERE j.id = ?`).get(id) as JobRecord | undefined;
    return record && decodeJob(record);
  }

  /**
   * A job from what a person typed: its local id, its remote id, or the start (6+ characters) of
   * either. Local ids are matched case-insensitively (they are lowercase hex), remote ids exactly.
   */
  resolveJobRef(ref: string): JobRow {
    const wanted = ref.trim();
    if (wanted === '') {
      throw new InvalidInputError(
        'Give a job id, a remote job id, or at least its first 6 characters.',
        'job',
      );
    }
    const exact = this.getJob(wanted.toLowerCase());
    if (exact) return exact;
    const remote = this.st(`${SELECT_JOB} WHERE j.remote_id = ? LIMIT 2`).all(wanted) as JobRecord[];
    if (remote.length === 1) return decodeJob(remote[0]!);
    if (remote.length > 1) {
      throw new InvalidInputError(`"${wanted}" matches several jobs; use the local job id instead.`, 'job');
    }
    if (wanted.length < 6) {
      throw new InvalidInputError(`No job matches "${wanted}"; give at least 6 characters of an id.`, 'job');
    }
    const found = this.st(
      `SELECT count(*) AS n, min(id) AS id FROM (
         SELECT id FROM jobs WHERE id GLOB ? UNION SELECT id FROM jobs WHERE remote_id GLOB ?)`,
    ).get(globPrefix(wanted.toLowerCase()), globPrefix(wanted)) as { n: number; id: string | null };
    if (found.n === 0 || found.id === null) {
      throw new InvalidInputError(`No job matches "${wanted}".`, 'job');
    }
    if (found.n > 1) {
      throw new InvalidInputError(
        `"${wanted}" matches ${found.n} jobs; give more characters of the id.`,
        'job',
      );
    }
    return this.requireJob(found.id);
  }

  /** Removes the job's rows and its sidecar (so a rebuild does not bring it back); media files stay. */
  deleteJob(id: string): void {
    const job = this.requireJob(id);
    this.write(() => this.st('DELETE FROM jobs WHERE id = ?').run(id));
    rmSync(toAbsolute(this.root, sidecarPathFor(job)), { force: true });
  }

  jobView(id: string): JobView {
    return this.toJobView(this.requireJob(id));
  }

  toJobView(row: ListingRow): JobView {
    const outputs = (
      this.st(`SELECT * FROM outputs WHERE job_id = ? ${OUTPUT_VIEW_ORDER}`).all(row.id) as OutputRecord[]
    ).map((r) => this.toOutputView(decodeOutput(r)));
    const texts = this.textsOf(row.id);
    return {
      id: row.id,
      remoteId: row.remoteId,
      provider: row.provider,
      taskType: row.taskType,
      status: row.status,
      prompt: row.prompt,
      params: row.params,
      parent: row.parentId === null ? null : { id: row.parentId, index: row.parentIndex },
      rootId: row.rootId,
      createdAt: iso(row.createdAt),
      startedAt: iso(row.startedAt),
      endedAt: iso(row.endedAt),
      cdnExpiresAt: iso(row.cdnExpiresAt),
      actionsExpireAt: iso(row.actionsExpireAt),
      cost: { frozen: row.costFrozen, consumed: row.costConsumed },
      error: row.errorMessage === null ? null : { code: row.errorCode ?? '', message: row.errorMessage },
      seed: row.seed,
      availableActions: row.availableActions,
      progress: row.progress,
      archiveState: row.archiveState,
      favorite: row.favorite,
      tags: this.tagsOf(row.id),
      outputs,
      text:
        texts.length === 0 && row.description === null
          ? null
          : { prompts: texts, description: row.description },
    };
  }

  /**
   * One page of jobs, newest (default) or oldest first, resumed after `cursor`. A `stacked` query
   * lists the first job of each family only and returns, for each job listed, its family's root and
   * size (`stacks`).
   */
  listJobs(query: ListQuery = {}): JobsPage {
    return this.page(toPageQuery(query));
  }

  /**
   * Full-text search over prompts, describe/shorten text and tags (see `toFtsMatch`), with the same
   * filters, stacking and paging as `listJobs`. Matches come in creation order (newest first by
   * default), not by relevance: that order is what keeps keyset paging exact and a page cheap at any
   * library size. Text with nothing searchable in it lists without a text condition.
   */
  search(text: string, query: ListQuery = {}): JobsPage {
    const match = toFtsMatch(text);
    const page = toPageQuery(query);
    return match === null ? this.page(page) : this.page(page, match);
  }

  /** Jobs the queue still has to carry: submitting, queued or running; next due first. */
  unfinishedJobs(): JobRow[] {
    return (
      this.st(`${SELECT_JOB} WHERE ${UNFINISHED} ORDER BY j.next_poll_at, j.seq`).all() as JobRecord[]
    ).map(decodeJob);
  }

  /** Queued or running jobs whose next poll is due at `now`, most overdue first. */
  dueJobs(now: number, limit: number): JobRow[] {
    return (
      this.st(
        `${SELECT_JOB} WHERE j.status IN ('queued', 'running') AND j.next_poll_at <= ?
         ORDER BY j.next_poll_at, j.seq LIMIT ?`,
      ).all(now, limit) as JobRecord[]
    ).map(decodeJob);
  }

  // ── outputs ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Outputs waiting for download (`remote`, or `error` whose retry time has come), those whose CDN
   * copy expires soonest first; within a job images and videos before the grid, by index.
   */
  outputsToArchive(now: number, limit: number): OutputToArchive[] {
    const rows = this.st(
      `SELECT o.*, j.created_at AS job_created_at, j.cdn_expires_at AS job_cdn_expires_at
       FROM outputs o JOIN jobs j ON j.id = o.job_id
       WHERE o.state IN ('remote', 'error') AND o.next_attempt_at <= ? AND o.url IS NOT NULL
       ORDER BY j.cdn_expires_at, j.seq, o.kind = 'grid', o.kind, o.idx
       LIMIT ?`,
    ).all(now, limit) as (OutputRecord & { job_created_at: number; job_cdn_expires_at: number })[];
    return rows.map((r) => ({
      ...decodeOutput(r),
      jobCreatedAt: r.job_created_at,
      cdnExpiresAt: r.job_cdn_expires_at,
    }));
  }

  /** When the next download falls due (null: none scheduled), so the archiver can sleep until then. */
  nextOutputAttemptAt(): number | null {
    return (
      this.st(
        `SELECT min(next_attempt_at) AS at FROM outputs WHERE state IN ('remote', 'error') AND url IS NOT NULL`,
      ).get() as { at: number | null }
    ).at;
  }

  /** Outputs not yet safe on disk and not given up on: remote, downloading or error. */
  pendingOutputCount(): number {
    return (
      this.st(
        `SELECT count(*) AS n FROM outputs WHERE state IN ('remote', 'downloading', 'error')`,
      ).get() as {
        n: number;
      }
    ).n;
  }

  getOutput(jobId: string, kind: OutputKind, index: number): OutputRow | undefined {
    const record = this.st('SELECT * FROM outputs WHERE job_id = ? AND kind = ? AND idx = ?').get(
      jobId,
      kind,
      index,
    ) as OutputRecord | undefined;
    return record && decodeOutput(record);
  }

  outputsOf(jobId: string): OutputRow[] {
    return (
      this.st(`SELECT * FROM outputs WHERE job_id = ? ${OUTPUT_VIEW_ORDER}`).all(jobId) as OutputRecord[]
    ).map(decodeOutput);
  }

  /** Changes one output; the job's `archiveState` follows (triggers). */
  updateOutput(jobId: string, kind: OutputKind, index: number, patch: Partial<OutputPatch>): OutputRow {
    return this.write(() => {
      const before = this.getOutput(jobId, kind, index);
      if (!before) {
        throw new InvalidInputError(`Job ${jobId} has no ${kind} output ${index}.`);
      }
      const after: OutputRow = { ...before };
      for (const key of OUTPUT_PATCH_KEYS) {
        if (has(patch, key)) (after as unknown as Record<string, unknown>)[key] = patch[key];
      }
      if (has(patch, 'path')) after.path = patch.path === null ? null : toRelative(this.root, patch.path!);
      if (has(patch, 'thumbPath')) {
        after.thumbPath = patch.thumbPath === null ? null : toRelative(this.root, patch.thumbPath!);
      }
      if (!OUTPUT_STATES.includes(after.state)) {
        throw new InvalidInputError(`Unknown output state "${String(after.state)}".`, 'state');
      }
      if (after.state === 'archived' && before.state !== 'archived' && !has(patch, 'archivedAt')) {
        after.archivedAt = this.now();
      }
      this.st(
        `UPDATE outputs SET url = @url, state = @state, path = @path, bytes = @bytes, sha256 = @sha256,
           mime = @mime, width = @width, height = @height, duration_ms = @duration_ms,
           thumb_path = @thumb_path, attempts = @attempts, next_attempt_at = @next_attempt_at,
           error = @error, archived_at = @archived_at
         WHERE job_id = @job_id AND kind = @kind AND idx = @idx`,
      ).run({
        job_id: jobId,
        kind,
        idx: index,
        url: after.url,
        state: after.state,
        path: after.path,
        bytes: after.bytes,
        sha256: after.sha256,
        mime: after.mime,
        width: after.width,
        height: after.height,
        duration_ms: after.durationMs,
        thumb_path: after.thumbPath,
        attempts: after.attempts,
        next_attempt_at: after.nextAttemptAt,
        error: after.error,
        archived_at: after.archivedAt,
      });
      // An output is part of its job: a rebuild compares this time to a sidecar's.
      this.st('UPDATE jobs SET updated_at = ? WHERE id = ?').run(this.now(), jobId);
      return this.getOutput(jobId, kind, index)!;
    });
  }

  /** Ids of jobs with outputs still to download or retrying, oldest first. */
  jobsWithPendingOutputs(): string[] {
    return this.st(`SELECT id FROM jobs WHERE archive_state IN ('pending', 'error') ORDER BY seq`)
      .pluck()
      .all() as string[];
  }

  /**
   * Gives every output that stopped retrying (no next attempt scheduled) a fresh budget, due at
   * `now`; for an explicit "try again". Returns how many.
   */
  resetExhaustedOutputs(now: number): number {
    return this.st(
      `UPDATE outputs SET attempts = 0, next_attempt_at = ?
       WHERE state IN ('remote', 'error') AND next_attempt_at IS NULL`,
    ).run(now).changes;
  }

  /** At start-up: downloads cut short by a crash or quit go back to `remote`. Returns how many. */
  recoverInterruptedDownloads(): number {
    return this.st(`UPDATE outputs SET state = 'remote' WHERE state = 'downloading'`).run().changes;
  }

  // ── lineage ─────────────────────────────────────────────────────────────────────────────────────

  /** Jobs made from this one, oldest first. */
  children(id: string): LineageEdge[] {
    return this.edges(
      `SELECT l.* FROM lineage l JOIN jobs c ON c.id = l.child_id WHERE l.parent_id = ? ORDER BY c.seq, l.position`,
      id,
    );
  }

  /** The sources of this job in order (one for a follow-up, several for a blend). */
  parents(id: string): LineageEdge[] {
    return this.edges('SELECT * FROM lineage WHERE child_id = ? ORDER BY position', id);
  }

  /** Every edge above this job, nearest first; each edge once, at its shortest distance. */
  ancestors(id: string): LineageStep[] {
    return this.walk('up', id);
  }

  /** Every edge below this job, nearest first; each edge once, at its shortest distance. */
  descendants(id: string): LineageStep[] {
    return this.walk('down', id);
  }

  /** How many `extend_video` jobs lead to this one, counting itself: Legnext allows 4 in a chain. */
  extendDepth(jobId: string): number {
    this.requireJob(jobId);
    return (
      this.st(
        `WITH RECURSIVE chain (id, task_type, parent_id, depth) AS (
           SELECT id, task_type, parent_id, 0 FROM jobs WHERE id = ?
           UNION ALL
           SELECT j.id, j.task_type, j.parent_id, chain.depth + 1
           FROM jobs j JOIN chain ON j.id = chain.parent_id
           WHERE chain.depth < ${MAX_LINEAGE_DEPTH}
         )
         SELECT count(*) AS n FROM chain WHERE task_type = 'extend_video'`,
      ).get(jobId) as { n: number }
    ).n;
  }

  // ── favorites, tags, settings ───────────────────────────────────────────────────────────────────

  setFavorite(id: string, on: boolean): void {
    const changed = this.st('UPDATE jobs SET favorite = ?, updated_at = ? WHERE id = ?').run(
      on ? 1 : 0,
      this.now(),
      id,
    ).changes;
    if (changed === 0) throw this.noSuchJob(id);
  }

  /** Replaces the job's tags; returns them as stored (see `normalizeTags`). */
  setTags(id: string, tags: readonly string[]): string[] {
    const wanted = normalizeTags(tags);
    return this.write(() => {
      this.requireJob(id);
      const current = new Set(this.tagsOf(id));
      const next = new Set(wanted);
      for (const tag of current) {
        if (!next.has(tag)) this.st('DELETE FROM tags WHERE job_id = ? AND tag = ?').run(id, tag);
      }
      for (const tag of next) {
        if (!current.has(tag)) this.st('INSERT INTO tags (job_id, tag) VALUES (?, ?)').run(id, tag);
      }
      this.st('UPDATE jobs SET updated_at = ? WHERE id = ?').run(this.now(), id);
      return wanted;
    });
  }

  /** A stored setting, or undefined when absent or no longer of the expected shape. */
  getSetting<T>(key: string, schema: ZodType<T>): T | undefined {
    const row = this.st('SELECT value_json FROM settings WHERE key = ?').get(key) as
      { value_json: string } | undefined;
    if (!row) return undefined;
    const parsed = schema.safeParse(JSON.parse(row.value_json));
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * Stores a JSON value; `undefined` removes the setting. Credentials are refused: they belong in
   * the system keychain, never in the library file.
   */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) {
      this.st('DELETE FROM settings WHERE key = ?').run(key);
      return;
    }
    if (JSON.stringify(redactSecrets({ [key]: value })) !== JSON.stringify({ [key]: value })) {
      throw new InvalidInputError(
        'Keys and passwords are kept in the system keychain, not in library settings.',
      );
    }
    this.st(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json',
    ).run(key, JSON.stringify(value));
  }

  // ── sidecars and rebuild ────────────────────────────────────────────────────────────────────────

  /** Writes `media/YYYY/MM/<id>/job.json` atomically; returns its absolute path. */
  writeSidecar(id: string): string {
    const job = this.requireJob(id);
    const sidecar = buildSidecar({
      job,
      outputs: this.outputsOf(id),
      tags: this.tagsOf(id),
      texts: this.textsOf(id),
      lineage: this.parents(id),
    });
    const target = toAbsolute(this.root, sidecarPathFor(job));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomic(target, `${JSON.stringify(sidecar, null, 2)}\n`);
    return target;
  }

  /**
   * `genvault rebuild`: re-creates rows from every `media/YYYY/MM/<id>/job.json`, then checks that
   * each archived output's file is on disk with the recorded size; a missing one goes back to
   * `remote` (still on the CDN) or `expired`. A sidecar older than the job's row is not applied, so
   * a rebuild over a live library only fills in what is missing. Work is committed in chunks (a big
   * library is never one giant transaction), and parent links are made once every job is in, so the
   * order the folders are read in does not matter; links to jobs found nowhere are dropped.
   */
  rebuildFromFolder(): RebuildResult {
    const files = this.findSidecars();
    const result: RebuildResult = { jobs: 0, outputs: 0, skipped: [], missingFiles: 0 };
    const links: Link[] = [];
    for (let start = 0; start < files.length; start += REBUILD_CHUNK) {
      this.write(() => {
        for (const relative of files.slice(start, start + REBUILD_CHUNK)) {
          let sidecar: Sidecar;
          try {
            sidecar = sidecarSchema.parse(JSON.parse(readFileSync(toAbsolute(this.root, relative), 'utf8')));
          } catch {
            result.skipped.push(relative);
            continue;
          }
          // A job.json names the job of its own folder; one that names another (edited, copied) would
          // point that job's folder, and what removing it deletes, somewhere else.
          if (path.posix.basename(path.posix.dirname(relative)) !== sidecar.id) {
            result.skipped.push(relative);
            continue;
          }
          let applied: boolean;
          try {
            // A savepoint each, so a sidecar refused half-way (a duplicate remote id) leaves no trace.
            applied = this.write(() => this.restore(sidecar));
          } catch (err) {
            if (!(err instanceof InvalidInputError)) throw err;
            result.skipped.push(relative);
            continue;
          }
          if (!applied) continue;
          result.jobs += 1;
          result.outputs += sidecar.outputs.length;
          links.push({ id: sidecar.id, parent: sidecar.parent, lineage: sidecar.lineage });
        }
      });
    }
    for (let start = 0; start < links.length; start += REBUILD_CHUNK) {
      this.write(() => links.slice(start, start + REBUILD_CHUNK).forEach((link) => this.relink(link)));
    }
    result.missingFiles = this.verifyArchivedFiles();
    return result;
  }

  stats(): LibraryStats {
    return this.st(
      `SELECT (SELECT count(*) FROM jobs) AS jobs,
              (SELECT count(*) FROM outputs) AS outputs,
              (SELECT count(*) FROM outputs WHERE state = 'archived') AS archived,
              (SELECT coalesce(sum(bytes), 0) FROM outputs WHERE state = 'archived') AS bytes`,
    ).get() as LibraryStats;
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────

  private st(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in a BEGIN IMMEDIATE transaction (a savepoint when already inside one). */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private noSuchJob(id: string): InvalidInputError {
    return new InvalidInputError(`No job with id ${id} is in the library.`, 'job');
  }

  private requireJob(id: string): JobRow {
    const job = this.getJob(id);
    if (!job) throw this.noSuchJob(id);
    return job;
  }

  private requireParent(id: string): JobRow {
    const job = this.getJob(id);
    if (!job) throw new InvalidInputError(`The parent job ${id} is not in the library.`, 'parent');
    return job;
  }

  /** The first free `seq` in the creation millisecond (see the schema notes). */
  private allocateSeq(createdAt: number): number {
    const base = createdAt * SEQ_PER_MS;
    const { top } = this.st('SELECT max(seq) AS top FROM jobs WHERE seq >= ? AND seq < ?').get(
      base,
      base + SEQ_PER_MS,
    ) as { top: number | null };
    const seq = top === null ? base : top + 1;
    if (seq >= base + SEQ_PER_MS) {
      throw new InvalidInputError(
        `Too many jobs were created at ${iso(createdAt)} to order them.`,
        'createdAt',
      );
    }
    return seq;
  }

  private assertRemoteIdFree(row: JobRow): void {
    if (row.remoteId === null) return;
    const other = this.st('SELECT id FROM jobs WHERE provider = ? AND remote_id = ? AND id <> ?').get(
      row.provider,
      row.remoteId,
      row.id,
    ) as { id: string } | undefined;
    if (other) {
      throw new InvalidInputError(
        `The ${row.provider} job ${row.remoteId} is already in the library as ${other.id}.`,
        'remoteId',
      );
    }
  }

  /** Writes a changed job row; a new creation time moves its expiry windows and its place in order. */
  private saveJob(before: JobRow, after: JobRow): void {
    checkCreatedAt(after.createdAt);
    if (after.remoteId !== before.remoteId) this.assertRemoteIdFree(after);
    const params = encodeJob({ ...after, updatedAt: this.now() });
    if (after.createdAt === before.createdAt) {
      this.st(UPDATE_JOB).run(params);
    } else {
      this.st(UPDATE_JOB_AND_SEQ).run({ ...params, seq: this.allocateSeq(after.createdAt) });
    }
    if (after.request !== before.request || after.raw !== before.raw) this.writePayload(after);
  }

  private writePayload(row: JobRow): void {
    this.st(
      `INSERT INTO job_payloads (job_id, request_json, raw_json) VALUES (?, ?, ?)
       ON CONFLICT (job_id) DO UPDATE SET request_json = excluded.request_json, raw_json = excluded.raw_json`,
    ).run(row.id, json(redactSecrets(row.request)), json(redactSecrets(row.raw)));
  }

  private insertEdge(childId: string, edge: Omit<LineageEdge, 'childId'>): void {
    this.st(
      'INSERT INTO lineage (child_id, position, parent_id, parent_index, relation) VALUES (?, ?, ?, ?, ?)',
    ).run(childId, edge.position, edge.parentId, edge.parentIndex, edge.relation);
  }

  private edges(sql: string, id: string): LineageEdge[] {
    return (this.st(sql).all(id) as EdgeRecord[]).map(decodeEdge);
  }

  private walk(direction: 'up' | 'down', id: string): LineageStep[] {
    this.requireJob(id);
    const [start, next] = direction === 'up' ? ['child_id', 'parent_id'] : ['parent_id', 'child_id'];
    const rows = this.st(
      `WITH RECURSIVE step (parent_id, parent_index, child_id, relation, position, depth) AS (
         SELECT parent_id, parent_index, child_id, relation, position, 1 FROM lineage WHERE ${start} = ?
         UNION
         SELECT l.parent_id, l.parent_index, l.child_id, l.relation, l.position, step.depth + 1
         FROM lineage l JOIN step ON l.${start} = step.${next}
         WHERE step.depth < ${MAX_LINEAGE_DEPTH}
       )
       SELECT parent_id, parent_index, child_id, relation, position, min(depth) AS depth
       FROM step GROUP BY child_id, position
       ORDER BY depth, (SELECT seq FROM jobs WHERE id = step.child_id), position`,
    ).all(id) as (EdgeRecord & { depth: number })[];
    return rows.map((r) => ({ ...decodeEdge(r), depth: r.depth }));
  }

  private tagsOf(id: string): string[] {
    return this.st('SELECT tag FROM tags WHERE job_id = ? ORDER BY tag COLLATE NOCASE, tag')
      .pluck()
      .all(id) as string[];
  }

  private textsOf(id: string): string[] {
    return this.st('SELECT text FROM job_texts WHERE job_id = ? ORDER BY idx').pluck().all(id) as string[];
  }

  /** Rewrites the describe/shorten prompts only when they differ, so re-polls do not re-index. */
  private replaceTexts(id: string, prompts: readonly string[]): void {
    const current = this.textsOf(id);
    if (current.length === prompts.length && current.every((t, i) => t === prompts[i])) return;
    this.st('DELETE FROM job_texts WHERE job_id = ?').run(id);
    prompts.forEach((text, idx) => {
      this.st('INSERT INTO job_texts (job_id, idx, text) VALUES (?, ?, ?)').run(id, idx, text);
    });
  }

  private toOutputView(o: OutputRow): OutputView {
    return {
      index: o.index,
      kind: o.kind,
      url: o.url,
      path: o.path === null ? null : toAbsolute(this.root, o.path),
      bytes: o.bytes,
      sha256: o.sha256,
      width: o.width,
      height: o.height,
      durationMs: o.durationMs,
      thumbPath: o.thumbPath === null ? null : toAbsolute(this.root, o.thumbPath),
      state: o.state,
      error: o.error,
    };
  }

  /** Listing and search statements vary with the filters used, so only the most recent are kept. */
  private pageStatement(sql: string): Statement {
    let statement = this.pageStatements.get(sql);
    if (!statement) {
      if (this.pageStatements.size >= PAGE_STATEMENT_CACHE) {
        this.pageStatements.delete(this.pageStatements.keys().next().value!);
      }
      statement = this.db.prepare(sql);
      this.pageStatements.set(sql, statement);
    }
    return statement;
  }

  private page(page: PageQuery, ftsMatch?: string): JobsPage {
    const count = (q: PageSql): number =>
      this.pageStatement(q.sql)
        .pluck()
        .get(...q.params) as number;
    const plan =
      ftsMatch === undefined
        ? undefined
        : chooseSearchPlan(page, count, page.stacked ? this.averageFamilySize(count) : 1);
    const { sql, params } = buildPageSql(page, ftsMatch, plan);
    const statement = this.pageStatement(sql);
    let rows: (ListingRecord & { seq: number })[];
    try {
      rows = statement.all(...params) as (ListingRecord & { seq: number })[];
    } catch (err) {
      if (ftsMatch !== undefined && isSqliteError(err) && err.message.includes('fts5')) {
        throw new InvalidInputError('The search text could not be understood; try plain words.', 'text');
      }
      throw err;
    }
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    const result: JobsPage = {
      items: items.map((r) => this.toJobView(decodeListing(r))),
      next: rows.length > page.limit && last ? encodeCursor(page.sort, last.seq) : null,
    };
    if (page.stacked) result.stacks = this.stacksOf(items);
    return result;
  }

  /** Each listed job's family: its root and how many jobs it holds, counted for this page's jobs only. */
  private stacksOf(items: readonly ListingRecord[]): Record<string, StackView> {
    const { sql, params } = buildFamilySizesSql(items.map((r) => r.root_id));
    const sizes = new Map(
      (this.st(sql).all(...params) as { root_id: string; jobs: number }[]).map((r) => [r.root_id, r.jobs]),
    );
    return Object.fromEntries(
      items.map((r) => [r.id, { rootId: r.root_id, jobs: sizes.get(r.root_id) ?? 1 }]),
    );
  }

  /** The planner statistics' average family size, for `chooseSearchPlan`; 1 before any `ANALYZE`. */
  private averageFamilySize(count: (q: PageSql) => number): number {
    return count(HAS_PLANNER_STATS_SQL) === 0 ? 1 : count(AVERAGE_FAMILY_SIZE_SQL);
  }

  /** `media/YYYY/MM/<id>/job.json` files, relative to the library folder, in folder order. */
  private findSidecars(): string[] {
    const found: string[] = [];
    const subdirs = (relative: string): string[] => {
      const absolute = toAbsolute(this.root, relative);
      if (!existsSync(absolute)) return [];
      return readdirSync(absolute, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `${relative}/${e.name}`)
        .sort();
    };
    for (const year of subdirs(MEDIA_DIR)) {
      for (const month of subdirs(year)) {
        for (const jobDir of subdirs(month)) {
          const sidecar = `${jobDir}/${SIDECAR_FILE}`;
          if (existsSync(toAbsolute(this.root, sidecar))) found.push(sidecar);
        }
      }
    }
    return found;
  }

  /** Writes one sidecar's job into the DB unless the DB already holds a newer version of it. */
  private restore(sidecar: Sidecar): boolean {
    const id = sidecar.id;
    const updatedAt = Date.parse(sidecar.updatedAt);
    const existing = this.st('SELECT seq, created_at, updated_at FROM jobs WHERE id = ?').get(id) as
      { seq: number; created_at: number; updated_at: number } | undefined;
    if (existing && existing.updated_at > updatedAt) return false;
    const createdAt = checkCreatedAt(Date.parse(sidecar.createdAt));
    const unfinished = sidecar.status === 'queued' || sidecar.status === 'running';
    const row: JobRow = {
      id,
      provider: sidecar.provider,
      remoteId: sidecar.remoteId,
      taskType: sidecar.taskType,
      status: sidecar.status,
      prompt: sidecar.prompt,
      description: sidecar.text?.description ?? null,
      params: sidecar.params,
      request: sidecar.request,
      modelVersion: sidecar.modelVersion,
      aspectRatio: sidecar.aspectRatio,
      // Set by `relink` once every sidecar is in: the parent may come later in folder order.
      parentId: null,
      parentIndex: null,
      rootId: sidecar.rootId,
      createdAt,
      submittedAt: parseApiTime(sidecar.submittedAt),
      startedAt: parseApiTime(sidecar.startedAt),
      endedAt: parseApiTime(sidecar.endedAt),
      cdnExpiresAt: createdAt + CDN_RETENTION_MS,
      actionsExpireAt: createdAt + ACTIONS_WINDOW_MS,
      costFrozen: sidecar.cost.frozen,
      costConsumed: sidecar.cost.consumed,
      errorCode: sidecar.error?.code ?? null,
      errorMessage: sidecar.error?.message ?? null,
      seed: sidecar.seed,
      availableActions: sidecar.availableActions,
      raw: sidecar.raw ?? null,
      progress: sidecar.progress,
      favorite: sidecar.favorite,
      archiveState: 'none',
      attempts: 0,
      nextPollAt: unfinished ? this.now() : null,
      lastPolledAt: null,
      pollCount: 0,
      updatedAt,
    };
    this.assertRemoteIdFree(row);
    const params = encodeJob(row);
    if (!existing) {
      this.st(INSERT_JOB).run({ ...params, seq: this.allocateSeq(createdAt) });
    } else if (existing.created_at === createdAt) {
      this.st(UPDATE_JOB).run(params);
    } else {
      this.st(UPDATE_JOB_AND_SEQ).run({ ...params, seq: this.allocateSeq(createdAt) });
    }
    this.writePayload(row);
    this.st('DELETE FROM outputs WHERE job_id = ?').run(id);
    for (const o of sidecar.outputs) {
      this.st(
        `INSERT INTO outputs (job_id, kind, idx, url, state, path, bytes, sha256, mime, width, height,
           duration_ms, thumb_path, error, archived_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        o.kind,
        o.index,
        o.url,
        // A download in flight when the sidecar was written did not finish as far as the file says.
        o.state === 'downloading' ? 'remote' : o.state,
        o.path,
        o.bytes,
        o.sha256,
        o.mime,
        o.width,
        o.height,
        o.durationMs,
        o.thumbPath,
        o.error,
        parseApiTime(o.archivedAt),
      );
    }
    this.replaceTexts(id, sidecar.text?.prompts ?? []);
    this.st('DELETE FROM tags WHERE job_id = ?').run(id);
    for (const tag of normalizeTags(sidecar.tags)) {
      this.st('INSERT INTO tags (job_id, tag) VALUES (?, ?)').run(id, tag);
    }
    return true;
  }

  /** Restores a rebuilt job's parent and lineage edges, keeping only those whose parent exists. */
  private relink(link: Link): void {
    const exists = (id: string) => this.st('SELECT 1 FROM jobs WHERE id = ?').get(id) !== undefined;
    const parent = link.parent && exists(link.parent.id) ? link.parent : null;
    this.st('UPDATE jobs SET parent_id = ?, parent_index = ? WHERE id = ?').run(
      parent?.id ?? null,
      parent?.index ?? null,
      link.id,
    );
    this.st('DELETE FROM lineage WHERE child_id = ?').run(link.id);
    for (const edge of link.lineage) if (exists(edge.parentId)) this.insertEdge(link.id, edge);
  }

  /** Checks archived outputs against the disk in chunks; returns how many files were missing. */
  private verifyArchivedFiles(): number {
    const now = this.now();
    let missing = 0;
    let after: [string, string, number] = ['', '', -1];
    for (;;) {
      // Walks the outputs primary key once, in chunks; the keyset survives the updates made between them.
      const chunk = this.st(
        `SELECT o.*, j.cdn_expires_at AS job_cdn_expires_at FROM outputs o JOIN jobs j ON j.id = o.job_id
         WHERE (o.job_id, o.kind, o.idx) > (?, ?, ?) AND o.state = 'archived'
         ORDER BY o.job_id, o.kind, o.idx LIMIT ?`,
      ).all(...after, REBUILD_VERIFY_CHUNK) as (OutputRecord & { job_cdn_expires_at: number })[];
      if (chunk.length === 0) return missing;
      this.write(() => {
        for (const r of chunk) {
          const fileOk = r.path !== null && this.fileMatches(r.path, r.bytes);
          const thumbOk = r.thumb_path !== null && this.fileMatches(r.thumb_path, null);
          if (fileOk && (thumbOk || r.thumb_path === null)) continue;
          const patch: Partial<OutputPatch> = thumbOk ? {} : { thumbPath: null };
          if (!fileOk) {
            missing += 1;
            Object.assign(patch, {
              state: now < r.job_cdn_expires_at ? 'remote' : 'expired',
              path: null,
              bytes: null,
              sha256: null,
              archivedAt: null,
              attempts: 0,
              nextAttemptAt: 0,
              error: null,
            } satisfies Partial<OutputPatch>);
          }
          this.updateOutput(r.job_id, r.kind as OutputKind, r.idx, patch);
        }
      });
      const last = chunk.at(-1)!;
      after = [last.job_id, last.kind, last.idx];
    }
  }

  private fileMatches(relative: string, bytes: number | null): boolean {
    try {
      const stat = statSync(toAbsolute(this.root, relative));
      return stat.isFile() && (bytes === null || stat.size === bytes);
    } catch {
      return false;
    }
  }
}

/** What `relink` needs of a sidecar after the rows are in. */
interface Link {
  id: string;
  parent: Sidecar['parent'];
  lineage: Sidecar['lineage'];
}

interface EdgeRecord {
  parent_id: string;
  parent_index: number | null;
  child_id: string;
  relation: string;
  position: number;
}

function decodeEdge(r: EdgeRecord): LineageEdge {
  return {
    parentId: r.parent_id,
    parentIndex: r.parent_index,
    childId: r.child_id,
    relation: r.relation,
    position: r.position,
  };
}
