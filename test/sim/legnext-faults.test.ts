import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLegnextSim, type FaultKind, type LegnextSim } from './legnext/index';
import { call, fetchBytes, finished, getJob, post, submit, type ErrorJson, type JobJson } from './support';

let sim: LegnextSim;
let grid: JobJson;
let gridBytes: Buffer;

beforeAll(async () => {
  sim = await startLegnextSim({ durations: { pending: 0, staged: 0, processing: 1000 }, maxConcurrent: 100 });
  grid = await finished(sim, 'diffusion', { text: 'a weathervane' });
  gridBytes = (await fetchBytes(grid.output.image_url ?? '')).bytes;
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.faults.clear();
});

/** Reads a response as far as it gets: status and headers if they arrive, the bytes, and how it ended. */
async function download(
  url: string,
  method: 'GET' | 'POST' = 'GET',
  body?: unknown,
): Promise<{
  status?: number;
  headers?: Record<string, unknown>;
  bytes: Buffer;
  chunks: number;
  error?: unknown;
}> {
  const parts: Buffer[] = [];
  let status: number | undefined;
  let headers: Record<string, unknown> | undefined;
  try {
    const res = await request(url, {
      method,
      headers: { 'x-api-key': sim.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    status = res.statusCode;
    headers = res.headers;
    for await (const chunk of res.body) parts.push(Buffer.from(chunk as Uint8Array));
    return { status, headers, bytes: Buffer.concat(parts), chunks: parts.length };
  } catch (error) {
    return { status, headers, bytes: Buffer.concat(parts), chunks: parts.length, error };
  }
}

describe('replacing faults on API routes', () => {
  it.each<[FaultKind, number]>([
    ['status500', 500],
    ['status502', 502],
    ['status503', 503],
  ])('%s answers %i with the documented error body and creates no job', async (kind, status) => {
    const before = sim.credits();
    sim.faults.add({ target: 'submit', kind, times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await post(sim, 'diffusion', { text: 'will not run' });
      expect(r.status).toBe(status);
      expect(r.json).toMatchObject({ code: status, raw_message: '', detail: null });
      expect((r.json as ErrorJson).message).not.toBe('');
    }
    expect(sim.credits()).toBe(before);
    expect(sim.faults.pending()).toBe(0);
    expect((await post(sim, 'diffusion', { text: 'runs now' })).status).toBe(200);
  });

  it('rate429 sends no Retry-After, rate429RetryAfter sends the configured seconds', async () => {
    sim.faults.add({ target: 'poll', kind: 'rate429' });
    sim.faults.add({ target: 'poll', kind: 'rate429RetryAfter', retryAfterSec: 7 });
    sim.faults.add({ target: 'poll', kind: 'rate429RetryAfter' });
    const path = `/api/v1/job/${grid.job_id}`;
    const plain = await call(sim, 'GET', path);
    expect(plain.status).toBe(429);
    expect(plain.headers['retry-after']).toBeUndefined();
    expect(plain.json).toMatchObject({ code: 429 });
    const seven = await call(sim, 'GET', path);
    expect([seven.status, seven.headers['retry-after']]).toEqual([429, '7']);
    const one = await call(sim, 'GET', path);
    expect([one.status, one.headers['retry-after']]).toEqual([429, '1']);
    expect((await call(sim, 'GET', path)).status).toBe(200);
  });

  it('html200 answers 200 with an HTML page', async () => {
    sim.faults.add({ target: 'balance', kind: 'html200' });
    const r = await call(sim, 'GET', '/api/account/balance');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toMatch(/^<!DOCTYPE html>/);
    expect(r.json).toBeUndefined();
  });

  it('malformedJson answers 200 with a body that is not JSON, or JSON without job_id', async () => {
    sim.faults.add({ target: 'poll', kind: 'malformedJson' });
    sim.faults.add({ target: 'poll', kind: 'malformedJson', malformed: 'missingJobId' });
    const broken = await call(sim, 'GET', `/api/v1/job/${grid.job_id}`);
    expect(broken.status).toBe(200);
    expect(broken.headers['content-type']).toMatch(/^application\/json/);
    expect(() => JSON.parse(broken.text) as unknown).toThrow();
    const missing = await call(sim, 'GET', `/api/v1/job/${grid.job_id}`);
    expect(missing.status).toBe(200);
    expect(missing.json).toBeTypeOf('object');
    expect(missing.json).not.toHaveProperty('job_id');
  });

  it('reset drops the connection without an answer and the submit is not processed', async () => {
    const before = sim.credits();
    const posts = sim.requests.length;
    sim.faults.add({ target: 'submit', kind: 'reset' });
    const r = await download(`${sim.url}/api/v1/diffusion`, 'POST', { text: 'lost' });
    expect(r.error).toBeDefined();
    expect(r.status).toBeUndefined();
    expect(sim.credits()).toBe(before);
    expect(sim.requests.length).toBe(posts + 1);
  });
});

describe('damaging faults on API routes', () => {
  it('truncate processes the submit but cuts its answer short', async () => {
    const before = sim.credits();
    sim.faults.add({ target: 'submit', kind: 'truncate' });
    const r = await download(`${sim.url}/api/v1/diffusion`, 'POST', { text: 'answer lost' });
    expect(r.status).toBe(200);
    expect(r.bytes.length).toBeLessThan(Number(r.headers?.['content-length']));
    expect(r.error).toBeDefined();
    expect(sim.credits()).toBe(before - 80);
  });

  it('slow drips the real answer', async () => {
    sim.faults.add({ target: 'poll', kind: 'slow', slowBytesPerSec: 4000 });
    const r = await download(`${sim.url}/api/v1/job/${grid.job_id}`);
    expect(r.error).toBeUndefined();
    expect(r.chunks).toBeGreaterThan(1);
    expect((JSON.parse(r.bytes.toString()) as JobJson).job_id).toBe(grid.job_id);
  });
});

describe('faults on the CDN', () => {
  it('reset sends headers and part of the file, then resets the connection', async () => {
    sim.faults.add({ target: 'cdn', kind: 'reset' });
    const r = await download(grid.output.image_url ?? '');
    expect(r.status).toBe(200);
    expect(Number(r.headers?.['content-length'])).toBe(gridBytes.length);
    expect(r.error).toBeDefined();
    expect(r.bytes.length).toBeLessThan(gridBytes.length);
    expect(gridBytes.subarray(0, r.bytes.length).equals(r.bytes)).toBe(true);
  });

  it('truncate announces the full length, sends part, then closes', async () => {
    sim.faults.add({ target: 'cdn', kind: 'truncate' });
    const r = await download(grid.output.image_url ?? '');
    expect(r.status).toBe(200);
    expect(Number(r.headers?.['content-length'])).toBe(gridBytes.length);
    expect(r.error).toBeDefined();
    expect(r.bytes.length).toBe(Math.floor(gridBytes.length / 2));
    expect(gridBytes.subarray(0, r.bytes.length).equals(r.bytes)).toBe(true);
  });

  it('a truncated download resumes with a range request', async () => {
    sim.faults.add({ target: 'cdn', kind: 'truncate' });
    const cut = await download(grid.output.image_url ?? '');
    const rest = await fetchBytes(grid.output.image_url ?? '', { range: `bytes=${cut.bytes.length}-` });
    expect(rest.status).toBe(206);
    expect(Buffer.concat([cut.bytes, rest.bytes]).equals(gridBytes)).toBe(true);
  });

  it('slow drips the whole file intact', async () => {
    const url = grid.output.image_urls?.[0] ?? '';
    const expected = (await fetchBytes(url)).bytes;
    sim.faults.add({ target: 'cdn', kind: 'slow', slowBytesPerSec: 400_000 });
    const r = await download(url);
    expect(r.error).toBeUndefined();
    expect(r.chunks).toBeGreaterThan(1);
    expect(r.bytes.equals(expected)).toBe(true);
  });

  it('status faults replace the file with a JSON error', async () => {
    sim.faults.add({ target: 'cdn', kind: 'status503' });
    const r = await fetchBytes(grid.output.image_url ?? '');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.bytes.toString())).toMatchObject({ code: 503 });
  });
});

describe('fault matching', () => {
  it('pathIncludes narrows a rule to matching paths', async () => {
    sim.faults.add({ target: 'cdn', kind: 'status500', pathIncludes: '_1.png' });
    expect((await fetchBytes(grid.output.image_urls?.[0] ?? '')).status).toBe(200);
    expect((await fetchBytes(grid.output.image_urls?.[1] ?? '')).status).toBe(500);
    expect((await fetchBytes(grid.output.image_urls?.[1] ?? '')).status).toBe(200);
  });

  it('targets leave other routes alone, and any matches the next request of any kind', async () => {
    sim.faults.add({ target: 'poll', kind: 'status502' });
    expect((await post(sim, 'describe', { imgUrl: 'https://img.test/a.png' })).status).toBe(200);
    expect((await call(sim, 'GET', '/api/account/balance')).status).toBe(200);
    expect((await fetchBytes(grid.output.image_url ?? '')).status).toBe(200);
    expect((await call(sim, 'GET', `/api/v1/job/${grid.job_id}`)).status).toBe(502);

    sim.faults.add({ target: 'any', kind: 'status500' });
    expect((await call(sim, 'GET', '/api/account/info')).status).toBe(500);
    expect((await call(sim, 'GET', '/api/account/info')).status).toBe(200);
  });

  it('clear drops every queued rule; bad rules are refused', async () => {
    sim.faults.add({ target: 'any', kind: 'status500', times: 3 });
    sim.faults.add({ target: 'cdn', kind: 'reset' });
    expect(sim.faults.pending()).toBe(4);
    sim.faults.clear();
    expect(sim.faults.pending()).toBe(0);
    const job = await submit(sim, 'diffusion', { text: 'untouched' });
    expect((await getJob(sim, job.job_id)).job_id).toBe(job.job_id);
    expect(() => sim.faults.add({ target: 'any', kind: 'status500', times: 0 })).toThrow();
    expect(() => sim.faults.add({ target: 'any', kind: 'explode' as FaultKind })).toThrow();
  });
});
