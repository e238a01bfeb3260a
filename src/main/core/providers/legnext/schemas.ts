/**
 * Legnext's wire format and its translation into GenVault's `RemoteJobSnapshot`. Parsing is tolerant
 * on purpose: unknown fields pass, optional fields may be missing or null, unset timestamps
 * (`0001-01-01T00:00:00Z` or `""`) become null, and `task_type` is accepted with hyphens (the
 * OpenAPI contract) or underscores (the API and its docs). Only a body without `job_id` or a known
 * `status` is refused, as a `ProtocolError`.
 */
import { z } from 'zod';
import { ProtocolError } from '../../errors';
import { isHttpUrl } from '../../params/issues';
import type { RemoteJobSnapshot, RemoteOutput, RemoteStatus } from '../types';
import { normaliseTaskType } from './ops';

const STATUS_MAP: Record<string, RemoteStatus> = {
  pending: 'queued',
  staged: 'queued',
  processing: 'running',
  completed: 'completed',
  failed: 'failed',
};

/** pending|staged → queued, processing → running; undefined for a status the docs do not list. */
export function remoteStatusOf(status: string): RemoteStatus | undefined {
  return STATUS_MAP[status.trim().toLowerCase()];
}

/** A value that should be a number but may arrive as a numeric string, null, or not at all. */
const looseNumber = z.union([z.number(), z.string(), z.null(), z.undefined()]).transform((v) => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
});

const looseString = z
  .union([z.string(), z.number(), z.null(), z.undefined()])
  .transform((v) => (v === null || v === undefined ? null : String(v)));

/** Anything unexpected (an object where a string was expected…) is treated as absent rather than fatal. */
const tolerant = <T extends z.ZodType>(schema: T) => schema.nullish().catch(null);

const stringList = z
  .array(z.unknown())
  .nullish()
  .catch(null)
  .transform((items) => (items ?? []).map((s) => (typeof s === 'string' ? s : '')));

export const legnextJobWireSchema = z.looseObject({
  job_id: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  task_type: tolerant(looseString),
  model: tolerant(looseString),
  progress: tolerant(z.unknown()),
  output: tolerant(
    z.looseObject({
      image_url: tolerant(looseString),
      image_urls: stringList,
      video_urls: stringList,
      seed: tolerant(looseString),
      available_actions: tolerant(z.record(z.string(), z.unknown())),
      promptEn: tolerant(looseString),
      description: tolerant(looseString),
      finalPrompt: tolerant(looseString),
      prompts: stringList,
    }),
  ),
  meta: tolerant(
    z.looseObject({
      created_at: tolerant(looseString),
      started_at: tolerant(looseString),
      ended_at: tolerant(looseString),
      usage: tolerant(z.looseObject({ frozen: tolerant(looseNumber), consume: tolerant(looseNumber) })),
    }),
  ),
  logs: tolerant(z.array(z.unknown())),
  error: tolerant(
    z.looseObject({
      code: tolerant(looseString),
      message: tolerant(looseString),
      raw_message: tolerant(looseString),
    }),
  ),
});
export type LegnextJobWire = z.output<typeof legnextJobWireSchema>;

/** `{code, message, raw_message, detail}` as documented, or nested under `error` as the contract's ErrorResponse. */
export const legnextErrorBodySchema = z.looseObject({
  code: tolerant(looseString),
  message: tolerant(looseString),
  raw_message: tolerant(looseString),
  error: tolerant(
    z.looseObject({
      code: tolerant(looseString),
      message: tolerant(looseString),
      raw_message: tolerant(looseString),
    }),
  ),
});

export const legnextBalanceWireSchema = z.looseObject({
  code: tolerant(looseNumber),
  message: tolerant(looseString),
  data: z.looseObject({
    account_id: tolerant(looseNumber),
    balance_usd: tolerant(looseNumber),
    available_credits: tolerant(looseNumber),
    available_points: tolerant(looseNumber),
    alert_threshold: tolerant(looseNumber),
    low_balance_alert: tolerant(z.boolean()),
    updated_at: tolerant(looseString),
  }),
});

const activeTaskWire = z.looseObject({
  job_id: z.union([z.string(), z.number()]).transform(String),
  task_type: tolerant(looseString),
  status: tolerant(looseString),
  created_at: tolerant(looseString),
});

/** The contract's ActiveTasksResponse, bare or wrapped in `{code, data}` like the balance endpoint. */
export const legnextActiveTasksWireSchema = z.union([
  z.looseObject({ tasks: z.array(activeTaskWire) }),
  z.looseObject({ data: z.looseObject({ tasks: z.array(activeTaskWire) }) }).transform((w) => w.data),
  z.looseObject({ data: z.array(activeTaskWire) }).transform((w) => ({ tasks: w.data })),
]);

/** '' and Go's zero time mean "not set"; anything else becomes UTC ISO-8601 (unparseable → null). */
export function normaliseTimestamp(value: string | null | undefined): string | null {
  const s = value?.trim();
  if (!s || s.startsWith('0001-01-01')) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function urlOrNull(value: string | null | undefined): string | null {
  const s = value?.trim();
  return s && isHttpUrl(s) ? s : null;
}

/**
 * `image_urls` of several → the grid (`image_url`, index 0) plus each image at its position;
 * a single image (`image_urls` of one, or `image_url` alone) → one image at index 0;
 * `video_urls` → videos at their positions. Empty strings are not URLs and are skipped.
 */
export function normaliseOutputs(output: NonNullable<LegnextJobWire['output']>): RemoteOutput[] {
  const outputs: RemoteOutput[] = [];
  const images = output.image_urls.map((u) => urlOrNull(u));
  const present = images.filter((u): u is string => u !== null);
  const single = urlOrNull(output.image_url);
  if (present.length >= 2) {
    if (single !== null && !present.includes(single)) outputs.push({ kind: 'grid', index: 0, url: single });
    images.forEach((url, index) => {
      if (url !== null) outputs.push({ kind: 'image', index, url });
    });
  } else if (present.length === 1) {
    outputs.push({ kind: 'image', index: 0, url: present[0]! });
  } else if (single !== null) {
    outputs.push({ kind: 'image', index: 0, url: single });
  }
  output.video_urls.forEach((u, index) => {
    const url = urlOrNull(u);
    if (url !== null) outputs.push({ kind: 'video', index, url });
  });
  return outputs;
}

const TEXT_TASKS = ['describe', 'shorten'];

function textOutput(
  taskType: string,
  output: LegnextJobWire['output'],
): { prompts: string[]; description: string | null } | null {
  const prompts = (output?.prompts ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
  const extra = [output?.finalPrompt, output?.promptEn]
    .map((s) => s?.trim() ?? '')
    .filter((s) => s.length > 0);
  const description = output?.description?.trim() || null;
  if (!TEXT_TASKS.includes(taskType) && prompts.length === 0 && extra.length === 0 && description === null) {
    return null;
  }
  // Shorten may answer with only a final prompt; describe with only its English prompt.
  const all = prompts.length > 0 ? prompts : [...new Set(extra)];
  return { prompts: all, description };
}

function normaliseActions(
  raw: Record<string, unknown> | null | undefined,
): Record<string, number[] | boolean> | null {
  if (!raw) return null;
  const actions: Record<string, number[] | boolean> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'boolean') actions[key] = value;
    else if (Array.isArray(value)) actions[key] = value.filter((n): n is number => Number.isInteger(n));
  }
  return actions;
}

/** A top-level `progress` (45 or "45%") or, failing that, the last percentage in `logs`. */
function progressOf(wire: LegnextJobWire): number | null {
  const fromValue = (v: unknown): number | null => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) : Number.NaN;
    return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : null;
  };
  const direct = fromValue(wire.progress);
  if (direct !== null) return direct;
  for (const entry of [...(wire.logs ?? [])].reverse()) {
    const text = typeof entry === 'string' ? entry : JSON.stringify(entry ?? '');
    const match = /(\d{1,3}(?:\.\d+)?)\s*%/.exec(text);
    if (match) return fromValue(match[1]);
  }
  return null;
}

function errorOf(wire: LegnextJobWire, status: RemoteStatus): { code: string; message: string } | null {
  const code = wire.error?.code?.trim() ?? '';
  const message = wire.error?.message?.trim() || wire.error?.raw_message?.trim() || '';
  const hasError = message !== '' || (code !== '' && code !== '0');
  if (!hasError) {
    return status === 'failed'
      ? { code: 'failed', message: 'Legnext reported the job as failed without giving a reason.' }
      : null;
  }
  return {
    code: code === '' || code === '0' ? 'failed' : code,
    message: message || `Legnext error ${code}.`,
  };
}

/**
 * One Legnext job object (a POST response or GET /v1/job/{id}) → a snapshot. `fallbackTaskType`
 * fills a missing `task_type` (the caller knows which op it submitted).
 */
export function parseLegnextJob(raw: unknown, fallbackTaskType?: string): RemoteJobSnapshot {
  const result = legnextJobWireSchema.safeParse(raw);
  if (!result.success) {
    throw new ProtocolError('Legnext answered with something that is not a job (no job_id or status).', {
      cause: result.error,
    });
  }
  const wire = result.data;
  const status = remoteStatusOf(wire.status);
  if (status === undefined) {
    throw new ProtocolError(`Legnext reported a job status GenVault does not know ("${wire.status}").`);
  }
  if (wire.job_id.trim() === '')
    throw new ProtocolError('Legnext answered with a job that has an empty job_id.');
  const taskType = normaliseTaskType(wire.task_type ?? fallbackTaskType ?? 'unknown');
  const seed = wire.output?.seed?.trim();
  return {
    provider: 'legnext',
    remoteId: wire.job_id.trim(),
    taskType,
    status,
    createdAt: normaliseTimestamp(wire.meta?.created_at),
    startedAt: normaliseTimestamp(wire.meta?.started_at),
    endedAt: normaliseTimestamp(wire.meta?.ended_at),
    outputs: wire.output ? normaliseOutputs(wire.output) : [],
    text: textOutput(taskType, wire.output),
    seed: seed ? seed : null,
    cost: { frozen: wire.meta?.usage?.frozen ?? 0, consumed: wire.meta?.usage?.consume ?? 0 },
    error: errorOf(wire, status),
    availableActions: normaliseActions(wire.output?.available_actions),
    progress: progressOf(wire),
    raw,
  };
}
