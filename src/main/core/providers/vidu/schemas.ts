/**
 * UniAll's wire format and its translation into GenVault's `RemoteJobSnapshot`. The create answer is
 * documented (`{id, task_id, object, status:"queued", progress, created_at}`); the poll answer is not,
 * so both shapes known from gateways of this kind are read:
 *
 *  - `data`: `{code, message, data:{task_id, status SUCCESS|FAILURE|IN_PROGRESS|NOT_START|QUEUED…,
 *    progress "100%", result_url, fail_reason, submit_time, start_time, finish_time}}`
 *  - `flat`: `{id, task_id, status completed|failed|in_progress|queued, progress, created_at,
 *    completed_at, metadata:{url}, error}`
 *
 * Parsing is tolerant (unknown fields pass, odd values count as absent); anything that is neither
 * shape, or a status neither knows, is a `ProtocolError` that says what arrived.
 */
import { z } from 'zod';
import { ProtocolError } from '../../errors';
import { isHttpUrl } from '../../params/issues';
import type { RemoteJobSnapshot, RemoteStatus } from '../types';

const STATUS_MAP: Record<string, RemoteStatus> = {
  not_start: 'queued',
  submitted: 'queued',
  queued: 'queued',
  pending: 'queued',
  in_progress: 'running',
  processing: 'running',
  running: 'running',
  success: 'completed',
  succeeded: 'completed',
  completed: 'completed',
  failure: 'failed',
  failed: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
};

/** Either shape's status word (any case) folded; undefined for a word neither shape uses. */
export function viduStatusOf(status: string): RemoteStatus | undefined {
  return STATUS_MAP[status.trim().toLowerCase()];
}

const looseString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .transform((s) => (s === '' ? null : s));

const looseNumber = z.union([z.number(), z.string()]).transform((v) => {
  const n = typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : null;
});

/** Anything unexpected (an object where a string was expected…) is treated as absent rather than fatal. */
const tolerant = <T extends z.ZodType>(schema: T) => schema.nullish().catch(null);

const errorObject = z.looseObject({ code: tolerant(looseString), message: tolerant(looseString) });

export const viduFlatJobSchema = z.looseObject({
  id: tolerant(looseString),
  task_id: tolerant(looseString),
  status: z.string(),
  model: tolerant(looseString),
  progress: tolerant(z.unknown()),
  created_at: tolerant(z.unknown()),
  started_at: tolerant(z.unknown()),
  completed_at: tolerant(z.unknown()),
  finished_at: tolerant(z.unknown()),
  metadata: tolerant(z.looseObject({ url: tolerant(looseString) })),
  video_url: tolerant(looseString),
  url: tolerant(looseString),
  seed: tolerant(looseString),
  cost: tolerant(looseNumber),
  error: tolerant(z.union([looseString, errorObject])),
});

export const viduDataJobSchema = z.looseObject({
  code: tolerant(z.unknown()),
  message: tolerant(looseString),
  data: z.looseObject({
    task_id: tolerant(looseString),
    id: tolerant(looseString),
    status: z.string(),
    progress: tolerant(z.unknown()),
    result_url: tolerant(looseString),
    video_url: tolerant(looseString),
    url: tolerant(looseString),
    fail_reason: tolerant(looseString),
    submit_time: tolerant(z.unknown()),
    start_time: tolerant(z.unknown()),
    finish_time: tolerant(z.unknown()),
    seed: tolerant(looseString),
    cost: tolerant(looseNumber),
  }),
});

/** The gateway's error bodies: OpenAI-style `{error:{message, code}}`, or `{code, message}` / `{msg}` / `{detail}`. */
export const viduErrorBodySchema = z.looseObject({
  code: tolerant(looseString),
  message: tolerant(looseString),
  msg: tolerant(looseString),
  detail: tolerant(looseString),
  error: tolerant(
    z.union([
      looseString,
      z.looseObject({
        code: tolerant(looseString),
        message: tolerant(looseString),
        type: tolerant(looseString),
      }),
    ]),
  ),
});

/**
 * Unix seconds (the create answer's `created_at`), Unix milliseconds, a numeric string or ISO-8601 →
 * UTC ISO-8601; 0, "" and anything unreadable → null.
 */
export function normaliseViduTime(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim()))) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return null;
    // Seconds until the year 5138; anything larger is already milliseconds.
    ms = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string' && value.trim() !== '') {
    ms = Date.parse(value);
  } else {
    return null;
  }
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A percentage as a number or a string (`45`, `"45"`, `"45%"`), clamped to 0–100; anything else is null. */
export function progressOf(value: unknown): number | null {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : null;
}

/** What arrived, for a message: `top-level keys: a, b` or the JSON type. */
export function describeShape(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a JSON array';
  if (typeof raw !== 'object') return `a JSON ${typeof raw}`;
  const keys = Object.keys(raw);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 12).join(', ');
  return `top-level keys: ${shown}${keys.length > 12 ? ', …' : ''}`;
}

function urlOrNull(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) if (c && isHttpUrl(c)) return c;
  return null;
}

interface Normalised {
  remoteId: string | null;
  status: string;
  progress: unknown;
  createdAt: unknown;
  startedAt: unknown;
  endedAt: unknown;
  url: string | null;
  failure: { code: string | null; message: string | null } | null;
  seed: string | null;
  cost: number | null;
}

function fromData(wire: z.output<typeof viduDataJobSchema>): Normalised {
  const d = wire.data;
  const completed = viduStatusOf(d.status) === 'completed';
  return {
    remoteId: d.task_id ?? d.id ?? null,
    status: d.status,
    progress: d.progress,
    createdAt: d.submit_time,
    startedAt: d.start_time,
    endedAt: d.finish_time,
    // Some gateways of this family put a finished video's URL in fail_reason; only then is it a URL.
    url: urlOrNull(d.result_url, d.video_url, d.url, completed ? d.fail_reason : null),
    failure: { code: null, message: d.fail_reason ?? null },
    seed: d.seed ?? null,
    cost: d.cost ?? null,
  };
}

function fromFlat(wire: z.output<typeof viduFlatJobSchema>): Normalised {
  const error = wire.error;
  return {
    remoteId: wire.task_id ?? wire.id ?? null,
    status: wire.status,
    progress: wire.progress,
    createdAt: wire.created_at,
    startedAt: wire.started_at,
    endedAt: wire.completed_at ?? wire.finished_at,
    url: urlOrNull(wire.metadata?.url, wire.video_url, wire.url),
    failure:
      error === null || error === undefined
        ? null
        : typeof error === 'string'
          ? { code: null, message: error }
          : { code: error.code ?? null, message: error.message ?? null },
    seed: wire.seed ?? null,
    cost: wire.cost ?? null,
  };
}

function normalise(raw: unknown): Normalised {
  const obj = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : null;
  const data = obj && 'data' in obj ? (obj as { data: unknown }).data : undefined;
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'status' in data) {
    const parsed = viduDataJobSchema.safeParse(raw);
    if (parsed.success) return fromData(parsed.data);
  } else if (obj && 'status' in obj) {
    const parsed = viduFlatJobSchema.safeParse(raw);
    if (parsed.success) return fromFlat(parsed.data);
  }
  throw new ProtocolError(
    `UniAll answered with a video task shape GenVault does not know (${describeShape(raw)}).`,
  );
}

export interface ParseViduJobOptions {
  /** The mode the job was submitted as (the answers do not say). */
  taskType: string;
  /** The id that was polled: it names the job even when the answer spells its id differently. */
  remoteId?: string;
}

/** One UniAll task answer (the create response or a poll in either known shape) → a snapshot. */
export function parseViduJob(raw: unknown, opts: ParseViduJobOptions): RemoteJobSnapshot {
  const n = normalise(raw);
  const status = viduStatusOf(n.status);
  if (status === undefined) {
    throw new ProtocolError(`UniAll reported a video status GenVault does not know ("${n.status}").`);
  }
  const remoteId = opts.remoteId ?? n.remoteId;
  if (!remoteId) throw new ProtocolError('UniAll answered without a task id for the video.');
  if (status === 'completed' && n.url === null) {
    throw new ProtocolError(`UniAll reported video ${remoteId} as finished but gave no video URL.`);
  }
  const failureMessage = n.failure?.message && !isHttpUrl(n.failure.message) ? n.failure.message : null;
  const error =
    status === 'failed'
      ? {
          code: n.failure?.code ?? 'failed',
          message: failureMessage ?? 'UniAll reported the video as failed without giving a reason.',
        }
      : null;
  const cost = n.cost !== null && n.cost >= 0 ? n.cost : 0;
  return {
    provider: 'vidu',
    remoteId,
    taskType: opts.taskType,
    status,
    createdAt: normaliseViduTime(n.createdAt),
    startedAt: normaliseViduTime(n.startedAt),
    endedAt: normaliseViduTime(n.endedAt),
    outputs: status === 'completed' && n.url !== null ? [{ kind: 'video', index: 0, url: n.url }] : [],
    text: null,
    seed: n.seed,
    cost: { frozen: cost, consumed: status === 'completed' ? cost : 0 },
    error,
    availableActions: null,
    progress: status === 'completed' ? 100 : progressOf(n.progress),
    raw,
  };
}
