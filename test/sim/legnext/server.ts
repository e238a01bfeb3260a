/**
 * Request routing: `/api/...` is the Legnext REST API, `/cdn/...` serves the outputs. Every request
 * is recorded, then checked against the fault queue, then answered.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ENDPOINT_TASK } from './catalog';
import { AUTH_FAILED_MESSAGE, SimHttpError, errorBody } from './errors';
import type { FaultQueue, FaultTarget } from './faults';
import { apiError, deliver, json, parseRange, readBody, replacementFor, type SimResponse } from './http';
import { renderGrid, renderImage, renderVideo, type MediaCache } from './media';
import { CDN_RETENTION_MS, type JobStore, type SimJob } from './store';
import { validateSubmit } from './validation';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `x-api-key` is redacted to `****` plus its last 4 characters. */
  headers: Record<string, string>;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: unknown;
  /** Arrival time on the simulator's clock (ms epoch). */
  at: number;
}

export interface SimContext {
  apiKey: string;
  store: JobStore;
  faults: FaultQueue;
  requests: RecordedRequest[];
  timers: Set<ReturnType<typeof setInterval>>;
  media: MediaCache;
}

function faultTarget(method: string, path: string): Exclude<FaultTarget, 'any'> | undefined {
  if (path.startsWith('/cdn/')) return 'cdn';
  if (method === 'POST' && path.startsWith('/api/v1/')) return 'submit';
  if (method === 'GET' && path.startsWith('/api/v1/job/')) return 'poll';
  if (method === 'GET' && path === '/api/account/balance') return 'balance';
  return undefined;
}

function redact(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(', ') : value;
    out[name] = name === 'x-api-key' ? `****${v.slice(-4)}` : v;
  }
  return out;
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export function createHandler(ctx: SimContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => undefined);
    handle(ctx, req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      deliver(req, res, apiError(500, `The simulator failed: ${message}`), undefined, ctx.timers);
    });
  };
}

async function handle(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const path = url.pathname;
  const { raw, tooLarge } = await readBody(req);
  const body = parseJson(raw);
  ctx.requests.push({
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    headers: redact(req.headers),
    body,
    at: ctx.store.now(),
  });

  const target = faultTarget(method, path);
  const fault = ctx.faults.take(target, path);
  if (fault) {
    const replacement = replacementFor(fault);
    if (replacement) {
      deliver(req, res, replacement, undefined, ctx.timers);
      return;
    }
    if (fault.kind === 'reset' && target !== 'cdn') {
      // A dropped connection before the API saw the request.
      req.socket.resetAndDestroy();
      return;
    }
  }

  let response: SimResponse;
  try {
    response = path.startsWith('/cdn/')
      ? await cdn(ctx, method, path, req.headers.range)
      : api(ctx, method, path, req.headers['x-api-key'], raw, body, tooLarge);
  } catch (err) {
    if (!(err instanceof SimHttpError)) throw err;
    response = json(err.status, err.body(), err.headers);
  }
  deliver(req, res, response, fault, ctx.timers);
}

// ───────────────────────────── API ─────────────────────────────

const ACCOUNT_ROUTES = ['/api/account/balance', '/api/account/info', '/api/account/active_tasks'];

function methodNotAllowed(method: string, path: string, allow: string): never {
  throw new SimHttpError(405, `Method ${method} is not allowed on ${path}.`, { headers: { allow } });
}

function api(
  ctx: SimContext,
  method: string,
  path: string,
  key: string | string[] | undefined,
  raw: Buffer,
  body: unknown,
  tooLarge: boolean,
): SimResponse {
  if (!path.startsWith('/api/')) throw new SimHttpError(404, `There is no route ${method} ${path}.`);
  if (key !== ctx.apiKey) return json(401, errorBody(401, AUTH_FAILED_MESSAGE));
  const { store } = ctx;

  if (path.startsWith('/api/v1/job/')) {
    if (method !== 'GET') methodNotAllowed(method, path, 'GET');
    const id = decodeURIComponent(path.slice('/api/v1/job/'.length));
    const job = store.get(id);
    if (!job || job.apiKey !== ctx.apiKey) throw new SimHttpError(404, `Job not found: ${id}.`);
    return json(200, store.view(job));
  }

  const endpoint = /^\/api\/v1\/([a-z-]+)$/.exec(path)?.[1];
  const taskType = endpoint === undefined ? undefined : ENDPOINT_TASK[endpoint];
  if (taskType) {
    if (method !== 'POST') methodNotAllowed(method, path, 'POST');
    if (tooLarge) throw new SimHttpError(413, 'The request body is larger than the 1 MB the API accepts.');
    if (raw.length > 0 && body === null && raw.toString('utf8').trim() !== 'null') {
      throw new SimHttpError(400, 'The request body is not valid JSON.');
    }
    const fields = raw.length === 0 ? {} : body;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new SimHttpError(400, 'The request body must be a JSON object.');
    }
    const job = store.submit(validateSubmit(taskType, fields as Record<string, unknown>), ctx.apiKey);
    return json(200, store.view(job, 'submit'));
  }

  if (ACCOUNT_ROUTES.includes(path)) {
    if (method !== 'GET') methodNotAllowed(method, path, 'GET');
    if (path === '/api/account/balance') return json(200, balanceView(ctx));
    if (path === '/api/account/info') return json(200, accountInfoView(ctx));
    return json(200, activeTasksView(ctx));
  }
  throw new SimHttpError(404, `There is no route ${method} ${path}.`);
}

/** A stable UUID-shaped account id derived from the key. */
function accountUuid(key: string): string {
  const h = createHash('sha256').update(`account:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** 1 point = $0.001 (the docs price an 80-point task at $0.08). */
function balanceView(ctx: SimContext): unknown {
  const credits = ctx.store.credits();
  const usd = Math.round(credits) / 1000;
  return {
    code: 200,
    data: {
      account_id: 1,
      balance_usd: usd,
      available_credits: credits,
      available_points: 0,
      alert_threshold: 10,
      low_balance_alert: usd < 10,
      updated_at: new Date(ctx.store.now()).toISOString(),
    },
    message: 'success',
  };
}

const MONTHLY_CREDITS = 33_000;

function accountInfoView(ctx: SimContext): unknown {
  const { store } = ctx;
  const now = new Date(store.now());
  const credits = store.credits();
  const used = store.used();
  const resetAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return {
    account_id: accountUuid(ctx.apiKey),
    email: 'developer@legnext-sim.test',
    plan: 'pro',
    balance: credits,
    used,
    quota: {
      monthly_limit: MONTHLY_CREDITS,
      remaining: Math.max(0, MONTHLY_CREDITS - used),
      reset_at: resetAt.toISOString(),
    },
    status: 'active',
    created_at: new Date(store.startedAt).toISOString(),
    updated_at: now.toISOString(),
  };
}

function activeTasksView(ctx: SimContext): unknown {
  const { store } = ctx;
  const now = store.now();
  const tasks = store.active(ctx.apiKey).map((job) => {
    const status = store.statusAt(job, now);
    const span = Math.max(1, job.endAt - job.processingAt);
    const progress =
      status === 'processing' ? Math.min(99, Math.floor(((now - job.processingAt) / span) * 100)) : 0;
    return {
      job_id: job.id,
      task_type: job.taskType,
      status,
      created_at: new Date(job.createdAt).toISOString(),
      progress,
      estimated_time: Math.max(0, Math.ceil((job.endAt - now) / 1000)),
    };
  });
  return {
    account_id: accountUuid(ctx.apiKey),
    total_active: tasks.length,
    concurrent_limit: store.maxConcurrent,
    tasks,
    updated_at: new Date(now).toISOString(),
  };
}

// ───────────────────────────── CDN ─────────────────────────────

const CDN_PATH = /^\/cdn\/(temp|mj|video)\/([0-9a-f-]{36})(?:_(\d+))?\.(png|mp4)$/;

interface CdnFile {
  job: SimJob;
  key: string;
  contentType: string;
  make: () => Promise<Buffer>;
}

function locate(ctx: SimContext, path: string): CdnFile | undefined {
  const m = CDN_PATH.exec(path);
  if (!m) return undefined;
  const [, folder, id = '', indexText, ext] = m;
  const job = ctx.store.get(id);
  if (!job) return undefined;
  const index = indexText === undefined ? undefined : Number(indexText);
  const spec = { jobId: job.id, width: job.width, height: job.height, alpha: job.alpha };
  if (folder === 'temp' && ext === 'png' && index === undefined && job.shape === 'grid') {
    return { job, key: `${id}:grid`, contentType: 'image/png', make: () => renderGrid(spec) };
  }
  if (index === undefined || index >= job.count) return undefined;
  if (folder === 'mj' && ext === 'png' && (job.shape === 'grid' || job.shape === 'single')) {
    return { job, key: `${id}:${index}`, contentType: 'image/png', make: () => renderImage(spec, index) };
  }
  if (folder === 'video' && ext === 'mp4' && job.shape === 'video') {
    return { job, key: `${id}:v${index}`, contentType: 'video/mp4', make: () => renderVideo(job.id, index) };
  }
  return undefined;
}

const etags = new WeakMap<Buffer, string>();

function etagOf(bytes: Buffer): string {
  let tag = etags.get(bytes);
  if (!tag) {
    tag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
    etags.set(bytes, tag);
  }
  return tag;
}

/**
 * Outputs of completed jobs, until 30 days after the job's creation (sim clock); then, as for
 * anything unknown, 404. Supports HEAD and single byte ranges.
 */
async function cdn(
  ctx: SimContext,
  method: string,
  path: string,
  range: string | undefined,
): Promise<SimResponse> {
  if (method !== 'GET' && method !== 'HEAD') methodNotAllowed(method, path, 'GET, HEAD');
  const file = locate(ctx, path);
  const now = ctx.store.now();
  if (
    !file ||
    ctx.store.statusAt(file.job, now) !== 'completed' ||
    now - file.job.createdAt >= CDN_RETENTION_MS
  ) {
    throw new SimHttpError(404, 'The requested file does not exist.');
  }
  const bytes = await ctx.media.get(file.key, file.make);
  const headers = {
    'content-type': file.contentType,
    'accept-ranges': 'bytes',
    etag: etagOf(bytes),
    'last-modified': new Date(file.job.endAt).toUTCString(),
    'cache-control': 'public, max-age=2592000',
  };
  const wanted = parseRange(range, bytes.length);
  if (wanted === 'unsatisfiable') {
    return {
      status: 416,
      headers: { ...headers, 'content-range': `bytes */${bytes.length}` },
      body: Buffer.alloc(0),
    };
  }
  if (wanted) {
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${wanted.start}-${wanted.end}/${bytes.length}` },
      body: bytes.subarray(wanted.start, wanted.end + 1),
    };
  }
  return { status: 200, headers, body: bytes };
}
