/**
 * Request routing: `/v1/video/generations` (and the compatible `/v1/videos/{id}`) is the gateway,
 * `/cdn/vidu/...` serves the results. Every request is recorded, then checked against the fault
 * queue, then answered.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultQueue, FaultRule, FaultTarget } from '../legnext/faults';
import { deliver, json, parseRange } from '../legnext/http';
import type { SimResponse } from '../legnext/http';
import { renderVideo } from '../legnext/media';
import type { MediaCache } from '../legnext/media';
import { AUTH_FAILED_MESSAGE, ViduSimError, errorBody } from './errors';
import { CDN_RETENTION_MS } from './store';
import type { PollShape, SimTask, TaskStore } from './store';
import { validateCreate } from './validation';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased names; `authorization` is redacted to `Bearer ****` plus the key's last 4 characters. */
  headers: Record<string, string>;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: unknown;
  /** Arrival time on the simulator's clock (ms epoch). */
  at: number;
}

export interface SimContext {
  apiKey: string;
  store: TaskStore;
  faults: FaultQueue;
  requests: RecordedRequest[];
  timers: Set<ReturnType<typeof setInterval>>;
  media: MediaCache;
  pollShape: PollShape;
  /** Adds the task's price as `cost` to poll answers (no known gateway documents one). */
  reportCost: boolean;
}

/** Inline images make big bodies; gateways of this kind take a few tens of MB. */
const BODY_LIMIT = 32 * 1024 * 1024;

const CREATE_PATH = '/v1/video/generations';
const POLL_PATH = /^\/v1\/(?:video\/generations|videos)\/([^/]+)$/;
const CDN_PATH = /^\/cdn\/vidu\/(task_[0-9a-f]+)\.mp4$/;

function readBody(req: IncomingMessage): Promise<{ raw: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve({ raw: Buffer.concat(chunks), tooLarge: size > BODY_LIMIT }));
    req.on('error', reject);
  });
}

function faultTarget(method: string, path: string): Exclude<FaultTarget, 'any'> | undefined {
  if (path.startsWith('/cdn/')) return 'cdn';
  if (method === 'POST' && path === CREATE_PATH) return 'submit';
  if (method === 'GET' && POLL_PATH.test(path)) return 'poll';
  return undefined;
}

function redact(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(', ') : value;
    out[name] = name === 'authorization' ? `Bearer ****${v.slice(-4)}` : v;
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

function apiError(status: number, message: string, code: string, headers: Record<string, string> = {}) {
  return json(
    status,
    errorBody(message, code, status >= 500 ? 'server_error' : 'invalid_request_error'),
    headers,
  );
}

const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>
`;

/** The response a fault gives instead of the real one, or undefined for faults that damage delivery. */
function replacementFor(rule: FaultRule): SimResponse | undefined {
  switch (rule.kind) {
    case 'status500':
      return apiError(500, 'The upstream service failed to process the request.', 'upstream_error');
    case 'status502':
      return apiError(502, 'Bad gateway: the upstream service did not answer.', 'bad_gateway');
    case 'status503':
      return apiError(503, 'No channel is available for this model right now.', 'service_unavailable');
    case 'rate429':
      return apiError(429, 'Rate limit reached: too many requests.', 'rate_limit_exceeded');
    case 'rate429RetryAfter':
      return apiError(429, 'Rate limit reached: too many requests.', 'rate_limit_exceeded', {
        'retry-after': String(rule.retryAfterSec ?? 1),
      });
    case 'html200':
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: Buffer.from(HTML_ERROR_PAGE),
      };
    case 'malformedJson':
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(
          rule.malformed === 'missingJobId'
            ? JSON.stringify({ ok: true, result: { state: 'done', video: null } })
            : '{"id":"task_3f9a","task_id":"task_3f9a","stat',
        ),
      };
    default:
      return undefined;
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
      deliver(
        req,
        res,
        apiError(500, `The simulator failed: ${message}`, 'sim_error'),
        undefined,
        ctx.timers,
      );
    });
  };
}

async function handle(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://simulator.invalid').pathname;
  const { raw, tooLarge } = await readBody(req);
  const body = parseJson(raw);
  ctx.requests.push({ method, path, headers: redact(req.headers), body, at: ctx.store.now() });

  const target = faultTarget(method, path);
  const fault = ctx.faults.take(target, path);
  if (fault) {
    const replacement = replacementFor(fault);
    if (replacement) {
      deliver(req, res, replacement, undefined, ctx.timers);
      return;
    }
    if (fault.kind === 'reset' && target !== 'cdn') {
      // A dropped connection before the gateway saw the request.
      req.socket.resetAndDestroy();
      return;
    }
  }

  let response: SimResponse;
  try {
    response = path.startsWith('/cdn/')
      ? await cdn(ctx, method, path, req.headers.range)
      : api(ctx, method, path, req.headers.authorization, raw, body, tooLarge);
  } catch (err) {
    if (!(err instanceof ViduSimError)) throw err;
    response = json(err.status, err.body(), err.headers);
  }
  deliver(req, res, response, fault, ctx.timers);
}

// ───────────────────────────── API ─────────────────────────────

function methodNotAllowed(method: string, path: string, allow: string): never {
  throw new ViduSimError(405, `Method ${method} is not allowed on ${path}.`, {
    code: 'method_not_allowed',
    headers: { allow },
  });
}

function api(
  ctx: SimContext,
  method: string,
  path: string,
  authorization: string | undefined,
  raw: Buffer,
  body: unknown,
  tooLarge: boolean,
): SimResponse {
  const isCreate = path === CREATE_PATH;
  const pollId = POLL_PATH.exec(path)?.[1];
  if (!isCreate && pollId === undefined) {
    throw new ViduSimError(404, `Invalid URL (${method} ${path}).`, { code: 'not_found' });
  }
  if (authorization !== `Bearer ${ctx.apiKey}`) {
    throw new ViduSimError(401, AUTH_FAILED_MESSAGE, { code: 'invalid_api_key', type: 'new_api_error' });
  }
  const { store } = ctx;

  if (pollId !== undefined) {
    if (method !== 'GET') methodNotAllowed(method, path, 'GET');
    const id = decodeURIComponent(pollId);
    const task = store.get(id);
    if (!task || task.apiKey !== ctx.apiKey) {
      throw new ViduSimError(404, `Task ${id} does not exist.`, { code: 'task_not_exist' });
    }
    return json(200, pollView(ctx, task));
  }

  if (method !== 'POST') methodNotAllowed(method, path, 'POST');
  if (tooLarge) {
    throw new ViduSimError(413, 'The request body is too large.', { code: 'request_too_large' });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ViduSimError(
      400,
      raw.length === 0 ? 'The request body is empty.' : 'The request body is not a JSON object.',
      {
        code: 'invalid_request',
      },
    );
  }
  const task = store.submit(validateCreate(body as Record<string, unknown>), ctx.apiKey);
  return json(200, createView(task));
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The documented create answer. */
function createView(task: SimTask): unknown {
  return {
    id: task.id,
    task_id: task.id,
    object: 'video.generation.job',
    model: task.spec.model,
    status: 'queued',
    progress: 0,
    created_at: seconds(task.createdAt),
  };
}

/** The task as a poll shows it, in its own shape or the simulator's. */
export function pollView(ctx: SimContext, task: SimTask): unknown {
  return (task.pollShape ?? ctx.pollShape) === 'data' ? dataView(ctx, task) : flatView(ctx, task);
}

const DATA_STATUS = { completed: 'SUCCESS', failed: 'FAILURE', processing: 'IN_PROGRESS' } as const;

/** `{code, message, data:{…}}`: the task record of a one-api style gateway. */
function dataView(ctx: SimContext, task: SimTask): unknown {
  const { store } = ctx;
  const now = store.now();
  const status = store.statusAt(task, now);
  const ended = status === 'completed' || status === 'failed';
  const word =
    status === 'pending'
      ? // Not yet handed to the upstream for the first half of the wait, then queued there.
        now < task.createdAt + (task.processingAt - task.createdAt) / 2
        ? 'NOT_START'
        : 'QUEUED'
      : DATA_STATUS[status];
  return {
    code: 'success',
    message: '',
    data: {
      task_id: task.id,
      platform: 'vidu',
      action: task.spec.mode,
      status: word,
      fail_reason: status === 'failed' ? task.failReason : '',
      submit_time: seconds(task.createdAt),
      start_time: status === 'pending' ? 0 : seconds(task.processingAt),
      finish_time: ended ? seconds(task.endAt) : 0,
      progress: `${store.progressAt(task, now)}%`,
      result_url: status === 'completed' ? store.videoUrl(task) : '',
      ...(ctx.reportCost ? { cost: task.cost } : {}),
    },
  };
}

const FLAT_STATUS = {
  pending: 'queued',
  processing: 'in_progress',
  completed: 'completed',
  failed: 'failed',
} as const;

/** `{id, status, progress, metadata:{url}, error}`: an OpenAI-style video object. */
function flatView(ctx: SimContext, task: SimTask): unknown {
  const { store } = ctx;
  const now = store.now();
  const status = store.statusAt(task, now);
  return {
    id: task.id,
    task_id: task.id,
    object: 'video',
    model: task.spec.model,
    status: FLAT_STATUS[status],
    progress: store.progressAt(task, now),
    created_at: seconds(task.createdAt),
    ...(status === 'completed' || status === 'failed' ? { completed_at: seconds(task.endAt) } : {}),
    seconds: String(task.spec.duration),
    ...(status === 'completed' ? { metadata: { url: store.videoUrl(task) } } : {}),
    error: status === 'failed' ? { code: 'generation_failed', message: task.failReason } : null,
    ...(ctx.reportCost ? { cost: task.cost } : {}),
  };
}

// ───────────────────────────── CDN ─────────────────────────────

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
 * Results of completed tasks, until `CDN_RETENTION_MS` after the task ended (sim clock); then, as for
 * anything unknown, 404. Supports HEAD and single byte ranges.
 */
async function cdn(
  ctx: SimContext,
  method: string,
  path: string,
  range: string | undefined,
): Promise<SimResponse> {
  if (method !== 'GET' && method !== 'HEAD') methodNotAllowed(method, path, 'GET, HEAD');
  const id = CDN_PATH.exec(path)?.[1];
  const task = id === undefined ? undefined : ctx.store.get(id);
  const now = ctx.store.now();
  if (!task || ctx.store.statusAt(task, now) !== 'completed' || now - task.endAt >= CDN_RETENTION_MS) {
    throw new ViduSimError(404, 'The requested file does not exist.', { code: 'not_found' });
  }
  const bytes = await ctx.media.get(`vidu:${task.id}`, () => renderVideo(task.id, 0));
  const headers = {
    'content-type': 'video/mp4',
    'accept-ranges': 'bytes',
    etag: etagOf(bytes),
    'last-modified': new Date(task.endAt).toUTCString(),
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
