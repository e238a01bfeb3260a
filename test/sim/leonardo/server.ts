/**
 * Request routing: `/api/rest/v1/...` is Leonardo's REST API, `/upload/<id>` the presigned-POST storage
 * the init-image flow uploads to, `/cdn/...` the generated files. Every request is recorded, then
 * checked against the fault queue, then answered.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FaultQueue, FaultRule, FaultTarget } from '../legnext/faults';
import { deliver, json, parseRange, type SimResponse } from '../legnext/http';
import { renderImage, renderVideo, type MediaCache } from '../legnext/media';
import { INIT_IMAGE_EXTENSIONS } from './catalog';
import {
  AUTH_FAILED_MESSAGE,
  LeonardoSimError,
  StorageError,
  storageErrorResponse,
  validationFailed,
} from './errors';
import { MAX_UPLOAD_BYTES, type Durations, type LeonardoStore } from './store';
import { validateGeneration } from './validation';

export const API_PREFIX = '/api/rest/v1';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` is redacted to its scheme plus `****` and the last 4 characters. */
  headers: Record<string, string>;
  /**
   * The parsed JSON body; for an upload, `{fields, files}` in the order sent; null when there was none
   * or it could not be read.
   */
  body: unknown;
  /** Arrival time on the simulator's clock (ms epoch). */
  at: number;
}

export interface UploadRecord {
  /** Every non-file form field, in the order sent. */
  fields: Array<[string, string]>;
  files: Array<{ field: string; filename: string; type: string; size: number }>;
}

export interface SimContext {
  apiKey: string;
  store: LeonardoStore;
  faults: FaultQueue;
  requests: RecordedRequest[];
  timers: Set<ReturnType<typeof setInterval>>;
  media: MediaCache;
  durations: Durations;
}

/** What an incoming request is, for fault matching and for fault replacement bodies. */
type Route = 'submit' | 'init-image' | 'poll' | 'me' | 'upload' | 'cdn' | 'other';

function routeOf(method: string, path: string): Route {
  if (path.startsWith('/cdn/')) return 'cdn';
  if (path.startsWith('/upload/')) return 'upload';
  if (method === 'POST' && path === `${API_PREFIX}/generations-image-to-video`) return 'submit';
  if (method === 'POST' && path === `${API_PREFIX}/init-image`) return 'init-image';
  if (method === 'GET' && path.startsWith(`${API_PREFIX}/generations/`)) return 'poll';
  if (method === 'GET' && path === `${API_PREFIX}/me`) return 'me';
  return 'other';
}

/**
 * Fault targets: `submit` is any POST to the API (generation or init image; narrow with
 * `pathIncludes`), `poll` is GET /generations/{id}, `balance` is GET /me, `cdn` the files; uploads
 * match only `any` rules (narrow with `pathIncludes: '/upload/'`).
 */
function faultTarget(route: Route): Exclude<FaultTarget, 'any'> | undefined {
  switch (route) {
    case 'submit':
    case 'init-image':
      return 'submit';
    case 'poll':
      return 'poll';
    case 'me':
      return 'balance';
    case 'cdn':
      return 'cdn';
    default:
      return undefined;
  }
}

function redact(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const v = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') {
      const [scheme = '', ...rest] = v.split(' ');
      out[name] = rest.length > 0 ? `${scheme} ****${rest.join(' ').slice(-4)}` : `****${v.slice(-4)}`;
    } else {
      out[name] = v;
    }
  }
  return out;
}

/** Room for the largest accepted upload plus its multipart envelope. */
const BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024;

function readBody(req: IncomingMessage): Promise<{ raw: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve({
        raw: size > BODY_LIMIT ? Buffer.alloc(0) : Buffer.concat(chunks),
        tooLarge: size > BODY_LIMIT,
      }),
    );
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** A multipart body parsed by the platform's own form-data parser, entries in the order sent. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<Array<[string, string | File]>> {
  const form = await new Request('http://upload.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(raw),
  }).formData();
  return [...form.entries()];
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
      const failure = new LeonardoSimError(500, `The simulator failed: ${message}`);
      deliver(req, res, json(500, failure.body()), undefined, ctx.timers);
    });
  };
}

async function handle(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const path = url.pathname;
  const route = routeOf(method, path);
  const { raw, tooLarge } = await readBody(req);
  const contentType = req.headers['content-type'] ?? '';
  let entries: Array<[string, string | File]> | undefined;
  if (route === 'upload' && contentType.startsWith('multipart/form-data') && !tooLarge) {
    entries = await parseMultipart(raw, contentType).catch(() => undefined);
  }
  ctx.requests.push({
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    headers: redact(req.headers),
    body: entries ? uploadRecord(entries) : parseJson(raw),
    at: ctx.store.now(),
  });

  const fault = ctx.faults.take(faultTarget(route), path);
  if (fault) {
    const replacement = replacementFor(fault, route);
    if (replacement) {
      deliver(req, res, replacement, undefined, ctx.timers);
      return;
    }
    if (fault.kind === 'reset' && route !== 'cdn') {
      // A dropped connection before the service saw the request.
      req.socket.resetAndDestroy();
      return;
    }
  }

  let response: SimResponse;
  if (route === 'cdn') {
    response = await cdn(ctx, method, path, req.headers.range);
  } else if (route === 'upload') {
    response = await upload(ctx, req.headers, path, entries, contentType, tooLarge);
  } else {
    try {
      response = api(ctx, route, method, path, req.headers.authorization, raw, tooLarge);
    } catch (err) {
      if (!(err instanceof LeonardoSimError)) throw err;
      response = json(err.status, err.body(), err.headers);
    }
  }
  deliver(req, res, response, fault, ctx.timers);
}

function uploadRecord(entries: Array<[string, string | File]>): UploadRecord {
  const record: UploadRecord = { fields: [], files: [] };
  for (const [name, value] of entries) {
    if (typeof value === 'string') record.fields.push([name, value]);
    else record.files.push({ field: name, filename: value.name, type: value.type, size: value.size });
  }
  return record;
}

// ───────────────────────────── faults ─────────────────────────────

const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The origin server did not answer in time. Please try again.</p></body></html>
`;

/** JSON that parses but lacks what the route must return (no generation id, no status, no upload form). */
const WITHOUT_ID: Record<string, unknown> = {
  submit: { motionVideoGenerationJob: { apiCreditCost: 25 } },
  'init-image': { uploadInitImage: { url: 'https://storage.invalid/', fields: '{}' } },
  poll: { generations_by_pk: { generated_images: [] } },
  me: { user_details: [] },
};

const TRUNCATED_JSON: Record<string, string> = {
  submit: '{"motionVideoGenerationJob":{"generationId":"8f0c2a4e-',
  'init-image': '{"uploadInitImage":{"id":"',
  poll: '{"generations_by_pk":{"id":"8f0c2a4e-3b1d-4c6e',
};

function apiFault(status: number, message: string, headers: Record<string, string> = {}): SimResponse {
  return json(status, new LeonardoSimError(status, message).body(), headers);
}

/** The response a fault gives instead of the real one, or undefined for faults that damage delivery. */
function replacementFor(rule: FaultRule, route: Route): SimResponse | undefined {
  const retryAfter: Record<string, string> =
    rule.kind === 'rate429RetryAfter' ? { 'retry-after': String(rule.retryAfterSec ?? 1) } : {};
  if (route === 'upload' || route === 'cdn') {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    switch (rule.kind) {
      case 'status500':
        return storageErrorResponse(
          500,
          'InternalError',
          'We encountered an internal error. Please try again.',
          requestId,
        );
      case 'status502':
      case 'status503':
        return storageErrorResponse(
          503,
          'ServiceUnavailable',
          'Service is unable to handle request.',
          requestId,
        );
      case 'rate429':
      case 'rate429RetryAfter':
        // Object storage signals throttling as 503 SlowDown rather than 429.
        return storageErrorResponse(
          503,
          'SlowDown',
          'Please reduce your request rate.',
          requestId,
          retryAfter,
        );
      case 'html200':
        return {
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: Buffer.from(HTML_ERROR_PAGE),
        };
      default:
        return undefined;
    }
  }
  switch (rule.kind) {
    case 'status500':
      return apiFault(500, 'Internal server error: the request could not be processed.');
    case 'status502':
      return apiFault(502, 'Bad gateway: the upstream service did not answer.');
    case 'status503':
      return apiFault(503, 'Service unavailable: please retry shortly.');
    case 'rate429':
    case 'rate429RetryAfter':
      return apiFault(429, 'Too many requests: please slow down.', retryAfter);
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
            ? JSON.stringify(WITHOUT_ID[route] ?? {})
            : (TRUNCATED_JSON[route] ?? '{"data":'),
        ),
      };
    default:
      return undefined;
  }
}

// ───────────────────────────── API ─────────────────────────────

function methodNotAllowed(method: string, path: string): never {
  throw new LeonardoSimError(405, `Method ${method} is not allowed on ${path}.`, {
    code: 'method-not-allowed',
  });
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

function jsonObject(raw: Buffer, tooLarge: boolean): Record<string, unknown> {
  if (tooLarge) {
    throw new LeonardoSimError(413, 'The request body is too large.', { code: 'payload-too-large' });
  }
  if (raw.length === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new LeonardoSimError(400, 'Error in $: Failed reading: not a valid json value', {
      code: 'invalid-json',
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LeonardoSimError(400, 'expected an object for the request body', { code: 'validation-failed' });
  }
  return body as Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function api(
  ctx: SimContext,
  route: Route,
  method: string,
  path: string,
  authorization: string | undefined,
  raw: Buffer,
  tooLarge: boolean,
): SimResponse {
  if (!path.startsWith(`${API_PREFIX}/`)) {
    throw new LeonardoSimError(404, 'Endpoint not found', { code: 'not-found' });
  }
  if (bearer(authorization) !== ctx.apiKey) {
    throw new LeonardoSimError(401, AUTH_FAILED_MESSAGE, { code: 'access-denied' });
  }
  const { store } = ctx;
  const key = ctx.apiKey;
  const endpoint = path.slice(API_PREFIX.length);

  if (route === 'submit') {
    const spec = validateGeneration(jsonObject(raw, tooLarge));
    return json(200, store.submitView(store.submit(spec, key, ctx.durations)));
  }
  if (route === 'poll') {
    const id = decodeURIComponent(endpoint.slice('/generations/'.length));
    if (!UUID.test(id)) {
      throw new LeonardoSimError(400, `invalid input syntax for type uuid: "${id}"`, {
        code: 'data-exception',
      });
    }
    const gen = store.get(id);
    return json(200, { generations_by_pk: gen && gen.apiKey === key ? store.view(gen) : null });
  }
  if (route === 'init-image') {
    const body = jsonObject(raw, tooLarge);
    const extension = body.extension;
    if (typeof extension !== 'string') {
      throw validationFailed('extension', 'missing required field "extension"');
    }
    if (!(INIT_IMAGE_EXTENSIONS as readonly string[]).includes(extension)) {
      throw new LeonardoSimError(400, 'invalid file extension');
    }
    const image = store.createInitImage(key, extension);
    return json(200, {
      uploadInitImage: {
        id: image.id,
        url: `${store.origin}/upload/${image.id}`,
        fields: JSON.stringify(image.fields),
        key: image.fields.key,
        __typename: 'InitImageUploadOutput',
      },
    });
  }
  if (route === 'me') {
    return json(200, {
      user_details: [
        {
          user: { id: store.userIdOf(key), username: 'genvault-sim' },
          tokenRenewalDate: null,
          subscriptionTokens: 0,
          subscriptionGptTokens: 0,
          subscriptionModelTokens: 0,
          apiConcurrencySlots: 10,
          apiPaidTokens: store.credits(),
          apiSubscriptionTokens: 0,
          apiPlanTokenRenewalDate: null,
        },
      ],
    });
  }
  const known = ['/generations-image-to-video', '/init-image', '/me'];
  if (known.includes(endpoint) || endpoint.startsWith('/generations/')) methodNotAllowed(method, path);
  throw new LeonardoSimError(404, 'Endpoint not found', { code: 'not-found' });
}

// ───────────────────────────── presigned upload ─────────────────────────────

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  webp: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};

/**
 * A presigned POST as S3 handles it: no credentials other than the signed policy (an Authorization
 * header is refused), every issued field present and unchanged, fields after the file ignored, the
 * policy not expired and the file within its size range. Success is 204 No Content.
 */
async function upload(
  ctx: SimContext,
  headers: IncomingHttpHeaders,
  path: string,
  entries: Array<[string, string | File]> | undefined,
  contentType: string,
  tooLarge: boolean,
): Promise<SimResponse> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  try {
    return await storeUpload(ctx, headers, path, entries, contentType, tooLarge);
  } catch (err) {
    if (err instanceof StorageError) return err.response(requestId);
    throw err;
  }
}

async function storeUpload(
  ctx: SimContext,
  headers: IncomingHttpHeaders,
  path: string,
  entries: Array<[string, string | File]> | undefined,
  contentType: string,
  tooLarge: boolean,
): Promise<SimResponse> {
  if (headers.authorization !== undefined) {
    throw new StorageError(400, 'InvalidArgument', 'Unsupported Authorization Type');
  }
  const image = ctx.store.initImage(decodeURIComponent(path.slice('/upload/'.length)));
  if (!image) throw new StorageError(403, 'AccessDenied', 'Access Denied');
  if (!contentType.startsWith('multipart/form-data')) {
    throw new StorageError(
      412,
      'PreconditionFailed',
      'Bucket POST must be of the enclosure-type multipart/form-data',
    );
  }
  if (tooLarge) {
    throw new StorageError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }
  if (!entries) {
    throw new StorageError(
      400,
      'MalformedPOSTRequest',
      'The body of your POST request is not well-formed multipart/form-data.',
    );
  }

  const fields = new Map<string, string>();
  let file: File | undefined;
  for (const [name, value] of entries) {
    if (typeof value !== 'string') {
      file = value;
      break;
    }
    fields.set(name.toLowerCase(), value);
  }
  if (!file) {
    throw new StorageError(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
  }
  if (!fields.has('key')) {
    throw new StorageError(
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    );
  }
  if (!fields.has('policy')) {
    throw new StorageError(403, 'AccessDenied', 'Bucket POST must contain a field named Policy.');
  }
  if (fields.get('x-amz-signature') !== image.fields['X-Amz-Signature']) {
    throw new StorageError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  if (ctx.store.now() > image.expiresAt) {
    throw new StorageError(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  }
  for (const [name, issued] of Object.entries(image.fields)) {
    if (fields.get(name.toLowerCase()) !== issued) {
      throw new StorageError(
        403,
        'AccessDenied',
        `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${issued}"]`,
      );
    }
  }
  if (file.size === 0) {
    throw new StorageError(
      400,
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
    );
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new StorageError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  image.uploaded = true;
  image.bytes = bytes;
  image.usable = MAGIC[image.extension]?.(bytes) ?? false;
  return {
    status: 204,
    headers: {
      etag: `"${randomBytes(16).toString('hex')}"`,
      location: `${ctx.store.origin}/upload/${image.id}`,
    },
    body: Buffer.alloc(0),
  };
}

// ───────────────────────────── CDN ─────────────────────────────

const CDN_PATH = /^\/cdn\/users\/([0-9a-f-]{36})\/generations\/([0-9a-f-]{36})\/(motion\.mp4|poster\.png)$/;

/** Files of completed generations; anything else is S3's NoSuchKey. Supports HEAD and single byte ranges. */
async function cdn(
  ctx: SimContext,
  method: string,
  path: string,
  range: string | undefined,
): Promise<SimResponse> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    return storageErrorResponse(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      requestId,
    );
  }
  const m = CDN_PATH.exec(path);
  const gen = m ? ctx.store.get(m[2] ?? '') : undefined;
  if (!m || !gen || ctx.store.userIdOf(gen.apiKey) !== m[1] || ctx.store.statusAt(gen) !== 'COMPLETE') {
    return storageErrorResponse(404, 'NoSuchKey', 'The specified key does not exist.', requestId);
  }
  const video = m[3] === 'motion.mp4';
  const bytes = await ctx.media.get(`${gen.id}:${m[3]}`, () =>
    video ? renderVideo(gen.id, 0) : renderImage({ jobId: gen.id, width: 320, height: 320, alpha: false }, 0),
  );
  const headers = {
    'content-type': video ? 'video/mp4' : 'image/png',
    'accept-ranges': 'bytes',
    'last-modified': new Date(gen.endAt).toUTCString(),
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
