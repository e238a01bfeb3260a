/**
 * The UniAll (Vidu) HTTP client: one request per call, JSON in and out, typed errors. Retries, backoff
 * and rate-limit pauses belong to the queue, which reads `ApiError.retryable` / `retryAfterMs`.
 *
 * UniAll is reached through the user's own gateway URL, so there is no default base URL: a client
 * without one can be constructed (the app builds every provider at start) but refuses every call with
 * an `InvalidInputError` that says where to set it.
 */
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { InvalidInputError, ProtocolError } from '../../errors';
import type { ProviderClient, RemoteJobSnapshot, SubmitRequest } from '../types';
import { BaseUrl, type BaseUrlRules, type BaseUrlSource } from '../base-url';
import {
  apiErrorFromResponse,
  embeddedErrorStatus,
  missingBaseUrlError,
  missingKeyError,
  networkErrorFrom,
  scrubKey,
  timeoutError,
} from './errors';
import type { ErrorContext } from './errors';
import { isViduTaskType } from './models';
import { parseViduJob } from './schemas';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const VIDU_GENERATIONS_PATH = '/v1/video/generations';
/** What a poll reports as the task type when this client did not submit the job itself. */
export const UNKNOWN_VIDU_TASK_TYPE = 'unknown';

export interface ViduClientOptions {
  /**
   * The gateway's origin, e.g. `https://gateway.example` (a trailing `/v1` is tolerated). Empty or
   * absent: `UNIALL_BASE_URL`. There is no default. A base URL given here or by the environment is
   * fixed: `applySettingsBaseUrl` does not replace it.
   */
  baseUrl?: string | null;
  /** Asked on every request, so a key change applies at once. */
  apiKey: () => Promise<string | null>;
  dispatcher?: Dispatcher;
  /** Whole request, headers and body; default 30 s. */
  requestTimeoutMs?: number;
}

/** Printable ASCII only: anything else cannot travel in an HTTP header (and is surely a paste error). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** How many submitted tasks' types are remembered so polls can report them. */
const REMEMBERED_TASKS = 1000;

const BASE_URL_RULES: BaseUrlRules = {
  service: 'UniAll',
  envVar: 'UNIALL_BASE_URL',
  defaultUrl: null,
  // OpenAI-style gateways are often given as https://host/v1; GenVault's paths include /v1 themselves.
  dropSuffix: /\/v1$/,
  missing: missingBaseUrlError,
};

export class ViduClient implements ProviderClient {
  readonly provider = 'vidu' as const;
  private readonly endpoint: BaseUrl;
  private readonly apiKey: () => Promise<string | null>;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;
  /** remoteId → task type of jobs submitted through this client (the poll answers do not say). */
  private readonly taskTypes = new Map<string, string>();

  constructor(opts: ViduClientOptions) {
    // Kept lazily: a missing or wrong gateway URL is said on the first Vidu request, not at start-up.
    this.endpoint = new BaseUrl(BASE_URL_RULES, opts.baseUrl);
    this.apiKey = opts.apiKey;
    this.dispatcher = opts.dispatcher;
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** The resolved base URL, or null while none (or an invalid one) is configured. */
  get baseUrl(): string | null {
    return this.endpoint.current;
  }

  get baseUrlSource(): BaseUrlSource {
    return this.endpoint.source;
  }

  /** The gateway URL from Settings (null: none); the environment's, when set, wins. */
  applySettingsBaseUrl(url: string | null): void {
    this.endpoint.applySetting(url);
  }

  /** `POST /v1/video/generations` with the body `buildViduRequest` made; `op` is the task type. */
  async submit(req: SubmitRequest, signal?: AbortSignal): Promise<RemoteJobSnapshot> {
    if (req.provider !== 'vidu' || !isViduTaskType(req.op)) {
      throw new InvalidInputError(`"${req.op}" is not a Vidu video mode.`, 'op');
    }
    const json = await this.call('POST', VIDU_GENERATIONS_PATH, {}, req.body, signal);
    const snap = parseViduJob(json, { taskType: req.op });
    this.remember(snap.remoteId, req.op);
    return snap;
  }

  /** `GET /v1/video/generations/{task_id}`. */
  async poll(remoteId: string, signal?: AbortSignal): Promise<RemoteJobSnapshot> {
    const id = remoteId.trim();
    if (id === '') throw new InvalidInputError('A UniAll task id is needed to check on a video.', 'remoteId');
    const json = await this.call(
      'GET',
      `${VIDU_GENERATIONS_PATH}/${encodeURIComponent(id)}`,
      { remoteId: id },
      undefined,
      signal,
    );
    return parseViduJob(json, { taskType: this.taskTypes.get(id) ?? UNKNOWN_VIDU_TASK_TYPE, remoteId: id });
  }

  private remember(remoteId: string, taskType: string): void {
    this.taskTypes.delete(remoteId);
    this.taskTypes.set(remoteId, taskType);
    if (this.taskTypes.size > REMEMBERED_TASKS) {
      const oldest = this.taskTypes.keys().next().value;
      if (oldest !== undefined) this.taskTypes.delete(oldest);
    }
  }

  private async key(): Promise<string> {
    const key = (await this.apiKey())?.trim();
    if (!key) throw missingKeyError();
    if (!HEADER_SAFE.test(key)) {
      throw new InvalidInputError(
        'The UniAll API key contains spaces or characters an API key cannot have; set it again.',
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
    const base = this.endpoint.url;
    const apiKey = await this.key();
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(`${base}${path}`, {
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
      throw new ProtocolError(`UniAll sent a response GenVault cannot read (${contentType}, not JSON).`, {
        cause: err,
      });
    }
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
