/**
 * The Legnext HTTP client: one request per call, JSON in and out, typed errors. Retries, backoff and
 * rate-limit pauses belong to the queue, which reads `ApiError.retryable` / `retryAfterMs`.
 */
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { InvalidInputError, ProtocolError } from '../../errors';
import type { ProviderClient, RemoteJobSnapshot, RemoteStatus, SubmitRequest } from '../types';
import { BaseUrl, type BaseUrlRules, type BaseUrlSource } from '../base-url';
import { apiErrorFromResponse, missingKeyError, networkErrorFrom, scrubKey, timeoutError } from './errors';
import type { ErrorContext } from './errors';
import { isLegnextOp, normaliseTaskType, taskTypeOfOp } from './ops';
import {
  legnextActiveTasksWireSchema,
  legnextBalanceWireSchema,
  normaliseTimestamp,
  parseLegnextJob,
  remoteStatusOf,
} from './schemas';

export const DEFAULT_LEGNEXT_BASE_URL = 'https://api.legnext.ai';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface LegnextClientOptions {
  /** Origin of the API; default `LEGNEXT_BASE_URL`, else https://api.legnext.ai. A trailing `/api` is tolerated. */
  baseUrl?: string;
  /** Asked on every request, so a key change applies at once. */
  apiKey: () => Promise<string | null>;
  dispatcher?: Dispatcher;
  /** Whole request, headers and body; default 30 s. */
  requestTimeoutMs?: number;
}

export interface LegnextBalance {
  accountId: number | null;
  balanceUsd: number | null;
  /** `available_credits`. */
  credits: number;
  /** `available_points`. */
  points: number;
  lowBalance: boolean;
}

export interface LegnextActiveTask {
  remoteId: string;
  taskType: string;
  /** Folded like a job's status (queued/running/…); the API's own word when it is not a documented one. */
  status: RemoteStatus | string;
  createdAt: string | null;
}

/** Printable ASCII only: anything else cannot travel in an HTTP header (and is surely a paste error). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

const BASE_URL_RULES: BaseUrlRules = {
  service: 'Legnext',
  envVar: 'LEGNEXT_BASE_URL',
  defaultUrl: DEFAULT_LEGNEXT_BASE_URL,
  // The docs give the base as https://api.legnext.ai/api; GenVault's paths include /api themselves.
  dropSuffix: /\/api$/,
};

export class LegnextClient implements ProviderClient {
  readonly provider = 'legnext' as const;
  private readonly endpoint: BaseUrl;
  private readonly apiKey: () => Promise<string | null>;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;

  constructor(opts: LegnextClientOptions) {
    this.endpoint = new BaseUrl(BASE_URL_RULES, opts.baseUrl);
    // A wrong LEGNEXT_BASE_URL or constructor value is a configuration error worth stopping for.
    void this.endpoint.url;
    this.apiKey = opts.apiKey;
    this.dispatcher = opts.dispatcher;
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** The API root requests go to now. */
  get baseUrl(): string {
    return this.endpoint.url;
  }

  get baseUrlSource(): BaseUrlSource {
    return this.endpoint.source;
  }

  /** The base URL from Settings (null: the default); the environment's, when set, wins. */
  applySettingsBaseUrl(url: string | null): void {
    this.endpoint.applySetting(url);
  }

  /** `POST /api/v1/{op}` with the body the request builders made. */
  async submit(req: SubmitRequest, signal?: AbortSignal): Promise<RemoteJobSnapshot> {
    if (req.provider !== 'legnext' || !isLegnextOp(req.op)) {
      throw new InvalidInputError(`"${req.op}" is not a Legnext operation.`, 'op');
    }
    const json = await this.call('POST', `/api/v1/${req.op}`, { op: req.op }, req.body, signal);
    return parseLegnextJob(json, taskTypeOfOp(req.op));
  }

  /** `GET /api/v1/job/{id}`. */
  async poll(remoteId: string, signal?: AbortSignal): Promise<RemoteJobSnapshot> {
    const id = remoteId.trim();
    if (id === '') throw new InvalidInputError('A Legnext job id is needed to check on a job.', 'remoteId');
    const json = await this.call(
      'GET',
      `/api/v1/job/${encodeURIComponent(id)}`,
      { remoteId: id },
      undefined,
      signal,
    );
    return parseLegnextJob(json);
  }

  /** `GET /api/account/balance`. */
  async balance(signal?: AbortSignal): Promise<LegnextBalance> {
    const json = await this.call('GET', '/api/account/balance', {}, undefined, signal);
    const parsed = legnextBalanceWireSchema.safeParse(json);
    if (!parsed.success) {
      throw new ProtocolError('Legnext answered the balance request without the balance data.', {
        cause: parsed.error,
      });
    }
    const d = parsed.data.data;
    return {
      accountId: d.account_id ?? null,
      balanceUsd: d.balance_usd ?? null,
      credits: d.available_credits ?? 0,
      points: d.available_points ?? 0,
      lowBalance: d.low_balance_alert ?? false,
    };
  }

  /** `GET /api/account/active_tasks`: jobs in flight for this key (listed by the OpenAPI contract only). */
  async activeTasks(signal?: AbortSignal): Promise<LegnextActiveTask[]> {
    const json = await this.call('GET', '/api/account/active_tasks', {}, undefined, signal);
    const parsed = legnextActiveTasksWireSchema.safeParse(json);
    if (!parsed.success) {
      throw new ProtocolError('Legnext answered the active tasks request without a task list.', {
        cause: parsed.error,
      });
    }
    return parsed.data.tasks.map((t) => ({
      remoteId: t.job_id,
      taskType: normaliseTaskType(t.task_type ?? 'unknown'),
      status: t.status ? (remoteStatusOf(t.status) ?? t.status) : 'unknown',
      createdAt: normaliseTimestamp(t.created_at),
    }));
  }

  private async key(): Promise<string> {
    const key = (await this.apiKey())?.trim();
    if (!key) throw missingKeyError();
    if (!HEADER_SAFE.test(key)) {
      throw new InvalidInputError(
        'The Legnext API key contains spaces or characters an API key cannot have; set it again.',
        'apiKey',
      );
    }
    return key;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    context: ErrorContext,
    body: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const apiKey = await this.key();
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'x-api-key': apiKey, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: combined,
        dispatcher: this.dispatcher,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw timeoutError(this.timeoutMs, err);
      throw networkErrorFrom(err);
    }

    text = scrubKey(text, apiKey);
    if (status < 200 || status >= 300) {
      throw apiErrorFromResponse({
        status,
        bodyText: text,
        retryAfter: responseHeaders['retry-after'],
        apiKey,
        context,
      });
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      const contentType = String(responseHeaders['content-type'] ?? 'unknown type')
        .split(';')[0]!
        .trim();
      throw new ProtocolError(`Legnext sent a response GenVault cannot read (${contentType}, not JSON).`, {
        cause: err,
      });
    }
    // Some gateways answer 200 with the error inside the body; honour the documented error shape there too.
    const embedded = embeddedErrorStatus(json);
    if (embedded !== null) {
      throw apiErrorFromResponse({
        status: embedded,
        bodyText: text,
        retryAfter: undefined,
        apiKey,
        context,
      });
    }
    return json;
  }
}

/** `{code: 4xx|5xx, message}` without a `job_id`/`data`: an error reported inside a 200. */
function embeddedErrorStatus(json: unknown): number | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const obj = json as Record<string, unknown>;
  if ('job_id' in obj || 'data' in obj || 'tasks' in obj) return null;
  const code = typeof obj.code === 'number' ? obj.code : Number.NaN;
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : null;
}
