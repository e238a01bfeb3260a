/**
 * Shared pieces of the Leonardo tests: raw HTTP calls to the simulator (for what the client would never
 * send), small real images to upload, and a bounded wait for a generation to finish.
 */
import sharp from 'sharp';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { LeonardoClient } from '../../src/main/core/providers/leonardo/client';
import type { RemoteJobSnapshot } from '../../src/main/core/providers/types';
import type { LeonardoSim } from '../sim/leonardo/index';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

/** A call to the simulated API under `/api/rest/v1`; `key: null` sends no Authorization header. */
export async function call(
  sim: LeonardoSim,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  init: { body?: unknown; rawBody?: string; key?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? sim.apiKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${sim.baseUrl}${path}`, { method, headers, body });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function clientFor(
  sim: LeonardoSim,
  opts: { key?: string | null; dispatcher?: Dispatcher; timeoutMs?: number; baseUrl?: string } = {},
): LeonardoClient {
  const key = opts.key === undefined ? sim.apiKey : opts.key;
  return new LeonardoClient({
    baseUrl: opts.baseUrl ?? sim.baseUrl,
    apiKey: async () => key,
    dispatcher: opts.dispatcher,
    requestTimeoutMs: opts.timeoutMs,
  });
}

/** A small real image, as a photo a person would animate. */
export async function testImage(format: 'png' | 'jpeg' | 'webp', width = 96, height = 64): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i += 3) {
    const px = i / 3;
    raw[i] = (px % width) * 2;
    raw[i + 1] = Math.floor(px / width) * 3;
    raw[i + 2] = 128;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** Longer than any phase the tests configure: moving the sim clock by this finishes every generation. */
export const FINISH_MS = 10 * 60 * 1000;

/** Polls until the generation is finished, moving the sim clock forward between polls; bounded. */
export async function pollUntilDone(
  sim: LeonardoSim,
  client: LeonardoClient,
  remoteId: string,
  stepMs = 50,
): Promise<RemoteJobSnapshot[]> {
  const seen: RemoteJobSnapshot[] = [];
  for (let i = 0; i < 200; i++) {
    const snap = await client.poll(remoteId);
    seen.push(snap);
    if (snap.status === 'completed' || snap.status === 'failed') return seen;
    sim.clock.advance(stepMs);
  }
  throw new Error(`generation ${remoteId} did not finish within 200 polls`);
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
