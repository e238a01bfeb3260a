/**
 * Small HTTP helpers for the simulator's own tests: real requests over 127.0.0.1 with undici.
 */
import { request } from 'undici';
import type { LegnextSim } from './legnext/index';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

export interface JobJson {
  job_id: string;
  task_type: string;
  status: string;
  config: { service_mode: string; webhook_config: { endpoint: string; secret: string } };
  output: {
    image_url?: string;
    image_urls?: string[] | null;
    video_urls?: string[] | null;
    seed?: string;
    available_actions?: Record<string, number[] | boolean>;
    promptEn?: string;
    description?: string;
    finalPrompt?: string;
    prompts?: string[];
  };
  meta: {
    created_at: string;
    started_at: string;
    ended_at: string;
    usage: { type: string; frozen: number; consume: number };
  };
  error: { code: number; message: string; raw_message: string; detail: unknown };
}

export interface ErrorJson {
  code: number;
  message: string;
  raw_message: string;
  detail: unknown;
}

export async function call(
  sim: LegnextSim,
  method: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE',
  path: string,
  init: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? sim.apiKey : init.key;
  if (key !== null) headers['x-api-key'] = key;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${sim.url}${path}`, { method, headers, body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function post(sim: LegnextSim, endpoint: string, body: unknown, key?: string | null): Promise<Reply> {
  return call(sim, 'POST', `/api/v1/${endpoint}`, { body, key });
}

export async function getJob(sim: LegnextSim, id: string): Promise<JobJson> {
  const r = await call(sim, 'GET', `/api/v1/job/${id}`);
  if (r.status !== 200) throw new Error(`GET job ${id} answered ${r.status}: ${r.text}`);
  return r.json as JobJson;
}

/** Submits, expecting acceptance; returns the POST response body. */
export async function submit(sim: LegnextSim, endpoint: string, body: unknown): Promise<JobJson> {
  const r = await post(sim, endpoint, body);
  if (r.status !== 200) throw new Error(`POST ${endpoint} answered ${r.status}: ${r.text}`);
  return r.json as JobJson;
}

/** Longer than any phase the tests configure, far shorter than the 3-day follow-up window. */
export const FINISH_MS = 10 * 60 * 1000;

/** Submits, moves the sim clock past the job's end, and returns the finished job. */
export async function finished(sim: LegnextSim, endpoint: string, body: unknown): Promise<JobJson> {
  const accepted = await submit(sim, endpoint, body);
  sim.clock.advance(FINISH_MS);
  return getJob(sim, accepted.job_id);
}

export async function fetchBytes(
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'HEAD' = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  const res = await request(url, { method, headers });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, bytes };
}

/** Phases long enough that wall-clock time never moves a job on its own during a test. */
export const FROZEN_DURATIONS = { pending: 60_000, staged: 60_000, processing: 60_000 };
