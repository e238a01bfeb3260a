import type { JobStatus, OutputKind, OutputState, Provider } from '../../../shared/domain';

/**
 * How much of a job's output is safe on disk, derived from its outputs by triggers:
 * `none` no outputs (yet, or a text-only job) · `pending` something still to download ·
 * `error` a download failed and will be retried · `archived` everything on disk ·
 * `expired` nothing saved before the CDN dropped it · `partial` some saved, the rest expired.
 * `error` outranks `pending` so a failing download is visible while others are still in flight.
 */
export const ARCHIVE_STATES = ['none', 'pending', 'archived', 'partial', 'expired', 'error'] as const;
export type ArchiveState = (typeof ARCHIVE_STATES)[number];

/** What was POSTed for the job: the provider endpoint key and the exact body. */
export interface JobRequest {
  op: string;
  body: Record<string, unknown>;
}

export type AvailableActions = Record<string, number[] | boolean>;

/** A job as stored (times in ms since the epoch). */
export interface JobRow {
  id: string;
  provider: Provider;
  remoteId: string | null;
  taskType: string;
  status: JobStatus;
  prompt: string | null;
  /** Describe/shorten: the API's description of the image. */
  description: string | null;
  params: Record<string, unknown>;
  request: JobRequest | null;
  modelVersion: string | null;
  aspectRatio: string | null;
  parentId: string | null;
  parentIndex: number | null;
  /** The first job of the family; a job without a parent is its own root. */
  rootId: string;
  createdAt: number;
  submittedAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  cdnExpiresAt: number;
  actionsExpireAt: number;
  costFrozen: number;
  costConsumed: number;
  errorCode: string | null;
  errorMessage: string | null;
  seed: string | null;
  availableActions: AvailableActions | null;
  raw: unknown;
  progress: number | null;
  favorite: boolean;
  archiveState: ArchiveState;
  attempts: number;
  nextPollAt: number | null;
  lastPolledAt: number | null;
  pollCount: number;
  updatedAt: number;
}

/** One output file of a job; `path` and `thumbPath` are relative to the library folder. */
export interface OutputRow {
  jobId: string;
  kind: OutputKind;
  index: number;
  url: string | null;
  state: OutputState;
  path: string | null;
  bytes: number | null;
  sha256: string | null;
  mime: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  thumbPath: string | null;
  attempts: number;
  /** When the archiver may try (again); null: not scheduled, waits for a manual retry. */
  nextAttemptAt: number | null;
  error: string | null;
  archivedAt: number | null;
}

/** An output due for download, with what the archiver needs to place and prioritise it. */
export interface OutputToArchive extends OutputRow {
  jobCreatedAt: number;
  cdnExpiresAt: number;
}

/** A parent → child edge. `position` orders the parents of one child (a blend has several). */
export interface LineageEdge {
  parentId: string;
  parentIndex: number | null;
  childId: string;
  relation: string;
  position: number;
}

/** An edge met while walking the family tree; `depth` 1 is a direct parent or child. */
export interface LineageStep extends LineageEdge {
  depth: number;
}

/** A jobs row joined with its payload, as SQLite returns it. */
export interface JobRecord {
  id: string;
  provider: string;
  remote_id: string | null;
  task_type: string;
  status: string;
  prompt: string | null;
  description: string | null;
  params_json: string;
  model_version: string | null;
  aspect_ratio: string | null;
  parent_id: string | null;
  parent_index: number | null;
  root_id: string;
  created_at: number;
  submitted_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  cdn_expires_at: number;
  actions_expire_at: number;
  cost_frozen: number;
  cost_consumed: number;
  error_code: string | null;
  error_message: string | null;
  seed: string | null;
  available_actions_json: string | null;
  progress: number | null;
  favorite: number;
  archive_state: string;
  attempts: number;
  next_poll_at: number | null;
  last_polled_at: number | null;
  poll_count: number;
  updated_at: number;
  request_json: string | null;
  raw_json: string | null;
}

export interface OutputRecord {
  job_id: string;
  kind: string;
  idx: number;
  url: string | null;
  state: string;
  path: string | null;
  bytes: number | null;
  sha256: string | null;
  mime: string | null;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  thumb_path: string | null;
  attempts: number;
  next_attempt_at: number | null;
  error: string | null;
  archived_at: number | null;
}

/** Columns for listings: everything but the two large JSON blobs a view never shows. */
export const LISTING_COLUMNS = [
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
  'archive_state',
  'attempts',
  'next_poll_at',
  'last_polled_at',
  'poll_count',
  'updated_at',
] as const;

export type ListingRecord = Omit<JobRecord, 'request_json' | 'raw_json'>;
export type ListingRow = Omit<JobRow, 'request' | 'raw'>;

export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function decodeListing(r: ListingRecord): ListingRow {
  return {
    id: r.id,
    provider: r.provider as Provider,
    remoteId: r.remote_id,
    taskType: r.task_type,
    status: r.status as JobStatus,
    prompt: r.prompt,
    description: r.description,
    params: JSON.parse(r.params_json) as Record<string, unknown>,
    modelVersion: r.model_version,
    aspectRatio: r.aspect_ratio,
    parentId: r.parent_id,
    parentIndex: r.parent_index,
    rootId: r.root_id,
    createdAt: r.created_at,
    submittedAt: r.submitted_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    cdnExpiresAt: r.cdn_expires_at,
    actionsExpireAt: r.actions_expire_at,
    costFrozen: r.cost_frozen,
    costConsumed: r.cost_consumed,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    seed: r.seed,
    availableActions: parseJson(r.available_actions_json) as AvailableActions | null,
    progress: r.progress,
    favorite: r.favorite === 1,
    archiveState: r.archive_state as ArchiveState,
    attempts: r.attempts,
    nextPollAt: r.next_poll_at,
    lastPolledAt: r.last_polled_at,
    pollCount: r.poll_count,
    updatedAt: r.updated_at,
  };
}

export function decodeJob(r: JobRecord): JobRow {
  return {
    ...decodeListing(r),
    request: parseJson(r.request_json) as JobRequest | null,
    raw: parseJson(r.raw_json),
  };
}

export function decodeOutput(r: OutputRecord): OutputRow {
  return {
    jobId: r.job_id,
    kind: r.kind as OutputKind,
    index: r.idx,
    url: r.url,
    state: r.state as OutputState,
    path: r.path,
    bytes: r.bytes,
    sha256: r.sha256,
    mime: r.mime,
    width: r.width,
    height: r.height,
    durationMs: r.duration_ms,
    thumbPath: r.thumb_path,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    error: r.error,
    archivedAt: r.archived_at,
  };
}
