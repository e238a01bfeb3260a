/**
 * Contract tests: the real ViduClient against the UniAll simulator over HTTP on 127.0.0.1 — every
 * mode's body, submit → poll to completion in both poll shapes, the MP4 on the CDN, and every fault
 * and error status mapped to its typed error.
 */
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, InvalidInputError, NetworkError, ProtocolError } from '../../src/main/core/errors';
import {
  buildViduRequest,
  MISSING_BASE_URL_MESSAGE,
  MISSING_KEY_MESSAGE,
  VIDU_MODEL_IDS,
  VIDU_TASK_TYPES,
  ViduClient,
} from '../../src/main/core/providers/vidu';
import type { RemoteJobSnapshot } from '../../src/main/core/providers/types';
import { sendJson, startScriptedServer } from '../legnext/server';
import type { ScriptedServer } from '../legnext/server';
import { FAIL_MARKER, FORBIDDEN_MARKER, priceOf, startViduSim } from '../sim/vidu';
import type { FaultKind, ViduSim } from '../sim/vidu';
import { VALID } from './valid-inputs';

/** Phases far longer than a test, so only `clock.advance` moves a task. */
const PHASE_MS = 60_000;

let agent: Agent;
let sim: ViduSim;
let key: string | null;

function client(opts: { baseUrl?: string | null; timeoutMs?: number } = {}): ViduClient {
  return new ViduClient({
    baseUrl: opts.baseUrl === undefined ? sim.url : opts.baseUrl,
    apiKey: async () => key,
    dispatcher: agent,
    requestTimeoutMs: opts.timeoutMs,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

async function download(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { headers, dispatcher: agent });
  return { status: res.statusCode, headers: res.headers, bytes: Buffer.from(await res.body.arrayBuffer()) };
}

const TEXT = buildViduRequest(VALID.text_to_video.input);

beforeAll(() => {
  agent = new Agent({ keepAliveTimeout: 1000 });
});
afterAll(async () => {
  await agent.close();
});
beforeEach(async () => {
  key = 'test-uniall-key';
  sim = await startViduSim({ durations: { pending: PHASE_MS, processing: PHASE_MS } });
});
afterEach(async () => {
  await sim.close();
});

describe('ViduClient: submit', () => {
  it.each(VIDU_TASK_TYPES)(
    '%s: POSTs the built body with the Bearer key and reads the queued task',
    async (mode) => {
      const req = buildViduRequest(VALID[mode].input);
      const snap = await client().submit(req);

      expect(sim.requests).toHaveLength(1);
      const sent = sim.requests[0]!;
      expect(sent.method).toBe('POST');
      expect(sent.path).toBe('/v1/video/generations');
      expect(sent.headers.authorization).toBe('Bearer ****-key');
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.body).toEqual(VALID[mode].body);

      expect(snap).toMatchObject({
        provider: 'vidu',
        taskType: mode,
        status: 'queued',
        outputs: [],
        progress: 0,
        error: null,
        cost: { frozen: 0, consumed: 0 },
      });
      expect(snap.remoteId).toMatch(/^task_[0-9a-f]+$/);
      expect(Date.parse(snap.createdAt!)).toBeLessThanOrEqual(sim.clock.now());
      expect(snap.raw).toMatchObject({ object: 'video.generation.job', task_id: snap.remoteId });
    },
  );

  it('the gateway accepts every model of the table in every mode (and charges for it)', async () => {
    const before = sim.credits();
    let charged = 0;
    for (const model of VIDU_MODEL_IDS) {
      for (const mode of VIDU_TASK_TYPES) {
        const req = buildViduRequest({ ...VALID[mode].input, model });
        await client().submit(req);
        const [, resolution, offpeak] = model.split('-');
        charged += priceOf({
          tier: model.startsWith('viduq3p') ? 'pro' : 'turbo',
          resolution: resolution as '540p' | '720p' | '1080p',
          offpeak: offpeak === 'offpeak',
          duration: req.body.duration as number,
        });
      }
    }
    expect(sim.credits()).toBe(before - charged);
  });

  it('a base URL given with a trailing /v1 or slash reaches the same endpoint', async () => {
    for (const base of [`${sim.url}/v1`, `${sim.url}/v1/`, `${sim.url}/`]) {
      await client({ baseUrl: base }).submit(TEXT);
    }
    expect(sim.requests.map((r) => r.path)).toEqual(Array(3).fill('/v1/video/generations'));
  });
});

describe('ViduClient: poll to completion', () => {
  async function lifecycle(
    c: ViduClient,
    remoteId: string,
    setShape?: () => void,
  ): Promise<[RemoteJobSnapshot, RemoteJobSnapshot, RemoteJobSnapshot, RemoteJobSnapshot]> {
    setShape?.();
    const first = await c.poll(remoteId);
    sim.clock.advance(PHASE_MS / 2 + 1);
    const second = await c.poll(remoteId);
    sim.clock.advance(PHASE_MS / 2 + PHASE_MS / 4);
    const third = await c.poll(remoteId);
    sim.clock.advance(PHASE_MS);
    return [first, second, third, await c.poll(remoteId)];
  }

  it('data shape: NOT_START → QUEUED → IN_PROGRESS → SUCCESS with result_url', async () => {
    const c = client();
    const { remoteId } = await c.submit(buildViduRequest(VALID.start_end_to_video.input));
    const [notStarted, queued, running, done] = await lifecycle(c, remoteId);

    expect(notStarted).toMatchObject({
      status: 'queued',
      progress: 0,
      raw: { data: { status: 'NOT_START' } },
    });
    expect(queued).toMatchObject({ status: 'queued', raw: { data: { status: 'QUEUED' } } });
    expect(running).toMatchObject({ status: 'running', raw: { data: { status: 'IN_PROGRESS' } } });
    expect(running.progress).toBeGreaterThan(0);
    expect(running.progress).toBeLessThan(100);
    expect(running.startedAt).not.toBeNull();
    expect(done).toMatchObject({
      remoteId,
      taskType: 'start_end_to_video',
      status: 'completed',
      progress: 100,
      error: null,
      outputs: [{ kind: 'video', index: 0, url: `${sim.url}/cdn/vidu/${remoteId}.mp4` }],
    });
    expect(Date.parse(done.endedAt!)).toBeGreaterThan(Date.parse(done.createdAt!));
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/video/generations/${remoteId}` });
  });

  it('flat shape (per-task override): queued → in_progress → completed with metadata.url', async () => {
    const c = client();
    const { remoteId } = await c.submit(TEXT);
    const [first, second, running, done] = await lifecycle(c, remoteId, () =>
      sim.setPollShape(remoteId, 'flat'),
    );

    expect(first).toMatchObject({ status: 'queued', raw: { status: 'queued' } });
    expect(second.status).toBe('queued');
    expect(running).toMatchObject({ status: 'running', raw: { status: 'in_progress' } });
    expect(done).toMatchObject({
      status: 'completed',
      taskType: 'text_to_video',
      outputs: [{ kind: 'video', index: 0, url: `${sim.url}/cdn/vidu/${remoteId}.mp4` }],
      raw: { status: 'completed', metadata: { url: `${sim.url}/cdn/vidu/${remoteId}.mp4` } },
    });
  });

  it('flat shape as the simulator default, with the cost reported', async () => {
    await sim.close();
    sim = await startViduSim({
      pollShape: 'flat',
      reportCost: true,
      durations: { pending: 0, processing: PHASE_MS },
    });
    const c = client();
    const req = buildViduRequest(VALID.reference_to_video.input);
    const { remoteId } = await c.submit(req);
    const price = priceOf({ tier: 'pro', resolution: '720p', offpeak: false, duration: 5 });
    expect(await c.poll(remoteId)).toMatchObject({ status: 'running', cost: { frozen: price, consumed: 0 } });
    sim.clock.advance(PHASE_MS);
    expect(await c.poll(remoteId)).toMatchObject({
      status: 'completed',
      taskType: 'reference_to_video',
      cost: { frozen: price, consumed: price },
    });
  });

  it('a failed task: FAILURE / failed with the reason, in both shapes, and the price refunded', async () => {
    const c = client();
    const before = sim.credits();
    const req = buildViduRequest({ ...VALID.image_to_video.input, prompt: `wave ${FAIL_MARKER}` });
    const a = await c.submit(req);
    const b = await c.submit(req);
    sim.setPollShape(b.remoteId, 'flat');
    expect(sim.credits()).toBeLessThan(before);
    sim.clock.advance(2 * PHASE_MS);
    const reason = 'Video generation failed: the output did not pass moderation.';
    expect(await c.poll(a.remoteId)).toMatchObject({
      status: 'failed',
      outputs: [],
      error: { code: 'failed', message: reason },
    });
    expect(await c.poll(b.remoteId)).toMatchObject({
      status: 'failed',
      error: { code: 'generation_failed', message: reason },
    });
    expect(sim.credits()).toBe(before);
  });

  it('a poll from a fresh client (after a restart) still reads the task; its mode is unknown to it', async () => {
    const { remoteId } = await client().submit(TEXT);
    sim.clock.advance(2 * PHASE_MS);
    const snap = await client().poll(remoteId);
    expect(snap).toMatchObject({ status: 'completed', taskType: 'unknown', remoteId });
  });

  it('the video on the CDN is a real MP4 (ftyp box), served whole and by range', async () => {
    const c = client();
    const { remoteId } = await c.submit(TEXT);
    sim.clock.advance(2 * PHASE_MS);
    const url = (await c.poll(remoteId)).outputs[0]!.url;

    const whole = await download(url);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.bytes.length).toBeGreaterThan(1000);
    expect(Number(whole.headers['content-length'])).toBe(whole.bytes.length);
    expect(whole.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // The first box's size covers the ftyp box and the brand that follows is a known MP4 brand.
    expect(whole.bytes.readUInt32BE(0)).toBeGreaterThanOrEqual(16);
    expect(whole.bytes.subarray(8, 12).toString('latin1')).toMatch(/^(isom|mp42|mp41|iso\d|avc1)$/);

    const part = await download(url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${whole.bytes.length}`);
    expect(part.bytes.equals(whole.bytes.subarray(100, 200))).toBe(true);
  });
});

describe('ViduClient: error statuses', () => {
  it('a wrong key is a 401 that pauses the queue, and the key appears nowhere', async () => {
    key = 'sk-wrong-key-0123456789';
    const err = await rejection(client().submit(TEXT));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, pausesQueue: true, retryable: false, kind: 'rejected' });
    expect((err as ApiError).message).toBe(
      'UniAll did not accept the API key; replace it in Settings (or UNIALL_API_KEY).',
    );
    expect(JSON.stringify({ m: (err as ApiError).message, a: (err as ApiError).apiMessage })).not.toContain(
      key,
    );
    expect(sim.requests[0]!.headers.authorization).toBe('Bearer ****6789');
  });

  it('an empty balance (403 insufficient_user_quota) is a 402 that pauses the queue', async () => {
    sim.setCredits(10);
    const err = await rejection(client().submit(TEXT));
    expect(err).toMatchObject({ status: 402, pausesQueue: true, retryable: false });
    expect((err as ApiError).apiMessage).toMatch(/Insufficient user quota/);
    expect(sim.credits()).toBe(10);
  });

  it('a gateway that answers 402 itself gives the same error', async () => {
    await sim.close();
    sim = await startViduSim({ quotaStatus: 402, credits: 0 });
    expect(await rejection(client().submit(TEXT))).toMatchObject({ status: 402, pausesQueue: true });
  });

  it('a content-policy refusal is a final 403 with the gateway words kept', async () => {
    const req = buildViduRequest({ ...VALID.text_to_video.input, prompt: `a scene ${FORBIDDEN_MARKER}` });
    const err = await rejection(client().submit(req));
    expect(err).toMatchObject({ status: 403, retryable: false });
    expect((err as ApiError).message).toBe(
      'UniAll refused the request (content policy or permission): "The prompt or an image was rejected by the content policy".',
    );
  });

  it("the gateway's own validation (a body the builders would never send) is a 400 naming the problem", async () => {
    const err = await rejection(
      client().submit({
        provider: 'vidu',
        op: 'text_to_video',
        body: { model: 'viduq3p-720p', prompt: 'x', duration: 20 },
      }),
    );
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect((err as ApiError).message).toBe(
      'UniAll rejected the video request as invalid: "duration must be a whole number of seconds from 1 to 16".',
    );
  });

  it('an unknown task is a 404 naming it', async () => {
    const err = await rejection(client().poll('task_0000'));
    expect(err).toMatchObject({ status: 404, retryable: false });
    expect((err as ApiError).message).toBe('UniAll has no video task task_0000 for this API key.');
  });

  it('a base URL that is not the gateway is a 404 pointing at Settings', async () => {
    const err = await rejection(client({ baseUrl: `${sim.url}/proxy` }).submit(TEXT));
    expect(err).toMatchObject({ status: 404 });
    expect((err as ApiError).message).toMatch(
      /^UniAll has no video endpoint at this base URL; check the UniAll base URL in Settings/,
    );
  });
});

describe('ViduClient: injected faults', () => {
  it.each<[FaultKind, number]>([
    ['status500', 500],
    ['status502', 502],
    ['status503', 503],
  ])('%s on submit is a retryable ApiError %i and nothing is charged', async (kind, status) => {
    const before = sim.credits();
    sim.faults.add({ target: 'submit', kind });
    const err = await rejection(client().submit(TEXT));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, retryable: true, kind: 'unavailable' });
    expect((err as ApiError).message).toBe(
      `UniAll is unavailable right now (HTTP ${status}); GenVault will try again.`,
    );
    expect(sim.credits()).toBe(before);
  });

  it('rate429 is retryable without a delay hint; rate429RetryAfter carries it', async () => {
    const { remoteId } = await client().submit(TEXT);
    sim.faults.add({ target: 'poll', kind: 'rate429' });
    sim.faults.add({ target: 'poll', kind: 'rate429RetryAfter', retryAfterSec: 7 });
    const plain = await rejection(client().poll(remoteId));
    expect(plain).toMatchObject({ status: 429, retryable: true, retryAfterMs: undefined });
    const hinted = await rejection(client().poll(remoteId));
    expect(hinted).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
    expect((await client().poll(remoteId)).status).toBe('queued');
  });

  it.each(['submit', 'poll'] as const)('reset on %s is a NetworkError', async (target) => {
    const { remoteId } = await client().submit(TEXT);
    sim.faults.add({ target, kind: 'reset' });
    const err = await rejection(target === 'submit' ? client().submit(TEXT) : client().poll(remoteId));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/^Could not reach UniAll: the connection (was reset|was closed)/);
  });

  it.each(['submit', 'poll'] as const)(
    'html200 on %s is a ProtocolError naming the content type',
    async (target) => {
      const { remoteId } = await client().submit(TEXT);
      sim.faults.add({ target, kind: 'html200' });
      const err = await rejection(target === 'submit' ? client().submit(TEXT) : client().poll(remoteId));
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as Error).message).toBe(
        'UniAll sent a response GenVault cannot read (text/html, not JSON).',
      );
    },
  );

  it.each(['submit', 'poll'] as const)('malformed JSON on %s is a ProtocolError', async (target) => {
    const { remoteId } = await client().submit(TEXT);
    sim.faults.add({ target, kind: 'malformedJson' });
    const err = await rejection(target === 'submit' ? client().submit(TEXT) : client().poll(remoteId));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toBe(
      'UniAll sent a response GenVault cannot read (application/json, not JSON).',
    );
  });

  it.each(['submit', 'poll'] as const)(
    'valid JSON of an unknown shape on %s quotes its keys',
    async (target) => {
      const { remoteId } = await client().submit(TEXT);
      sim.faults.add({ target, kind: 'malformedJson', malformed: 'missingJobId' });
      const err = await rejection(target === 'submit' ? client().submit(TEXT) : client().poll(remoteId));
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as Error).message).toBe(
        'UniAll answered with a video task shape GenVault does not know (top-level keys: ok, result).',
      );
    },
  );

  it('no answer within the request timeout is a NetworkError', async () => {
    const { remoteId } = await client().submit(TEXT);
    sim.faults.add({ target: 'poll', kind: 'slow', slowBytesPerSec: 1 });
    const err = await rejection(client({ timeoutMs: 300 }).poll(remoteId));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('UniAll did not answer within 300 ms.');
  });

  it('a slow answer that arrives in time is read normally', async () => {
    const { remoteId } = await client().submit(TEXT);
    sim.faults.add({ target: 'poll', kind: 'slow', slowBytesPerSec: 100_000 });
    expect((await client().poll(remoteId)).status).toBe('queued');
  });

  it('truncate and slow on the CDN damage or delay the file; the next fetch is whole', async () => {
    const c = client();
    const { remoteId } = await c.submit(TEXT);
    sim.clock.advance(2 * PHASE_MS);
    const url = (await c.poll(remoteId)).outputs[0]!.url;
    const whole = await download(url);

    sim.faults.add({ target: 'cdn', kind: 'truncate' });
    const cut = await rejection(download(url));
    expect(cut).toBeInstanceOf(Error);

    sim.faults.add({ target: 'cdn', kind: 'slow', slowBytesPerSec: 400_000 });
    const slow = await download(url);
    expect(slow.bytes.equals(whole.bytes)).toBe(true);
    expect((await download(url)).bytes.equals(whole.bytes)).toBe(true);
  });

  it('a refused connection is a NetworkError', async () => {
    const url = sim.url;
    await sim.close();
    const err = await rejection(client({ baseUrl: url }).submit(TEXT));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('Could not reach UniAll: the connection was refused.');
    sim = await startViduSim();
  });
});

describe('ViduClient: refused before sending', () => {
  it('no base URL (and no UNIALL_BASE_URL) is an InvalidInputError saying where to set it', async () => {
    const saved = process.env.UNIALL_BASE_URL;
    delete process.env.UNIALL_BASE_URL;
    try {
      const c = client({ baseUrl: '  ' });
      expect(c.baseUrl).toBeNull();
      for (const call of [c.submit(TEXT), c.poll('task_1')]) {
        const err = await rejection(call);
        expect(err).toBeInstanceOf(InvalidInputError);
        expect(err).toMatchObject({ message: MISSING_BASE_URL_MESSAGE, field: 'baseUrl', exitCode: 2 });
      }
      expect(sim.requests).toHaveLength(0);
    } finally {
      if (saved !== undefined) process.env.UNIALL_BASE_URL = saved;
    }
  });

  it('UNIALL_BASE_URL is used when no base URL is configured', async () => {
    const saved = process.env.UNIALL_BASE_URL;
    process.env.UNIALL_BASE_URL = `${sim.url}/v1`;
    try {
      const c = client({ baseUrl: null });
      expect(c.baseUrl).toBe(sim.url);
      await c.submit(TEXT);
      expect(sim.requests).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.UNIALL_BASE_URL;
      else process.env.UNIALL_BASE_URL = saved;
    }
  });

  it('an invalid base URL is named', async () => {
    for (const [base, message] of [
      ['gateway.example', /"gateway.example" is not a valid URL/],
      ['ftp://gateway.example', /must start with http:\/\/ or https:\/\//],
    ] as const) {
      const err = await rejection(client({ baseUrl: base }).submit(TEXT));
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('no key, or a key with spaces, is refused without a request', async () => {
    key = null;
    expect(await rejection(client().submit(TEXT))).toMatchObject({
      message: MISSING_KEY_MESSAGE,
      field: 'apiKey',
    });
    key = 'sk-abc def';
    expect(await rejection(client().poll('task_1'))).toMatchObject({ field: 'apiKey' });
    expect(sim.requests).toHaveLength(0);
  });

  it('a request that is not a Vidu mode, or an empty task id, is refused', async () => {
    expect(
      await rejection(client().submit({ provider: 'legnext', op: 'diffusion', body: {} })),
    ).toBeInstanceOf(InvalidInputError);
    expect(await rejection(client().submit({ provider: 'vidu', op: 'diffusion', body: {} }))).toMatchObject({
      field: 'op',
    });
    expect(await rejection(client().poll('  '))).toMatchObject({ field: 'remoteId' });
    expect(sim.requests).toHaveLength(0);
  });

  it('an already aborted signal sends nothing and rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopping'));
    expect(await rejection(client().submit(TEXT, controller.signal))).toMatchObject({ message: 'stopping' });
    expect(sim.requests).toHaveLength(0);
  });
});

describe('ViduClient: answers the simulator never gives (scripted gateway)', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const scripted = () => client({ baseUrl: server.url });

  it('poll escapes the id into one path segment', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { task_id: 'a/b', status: 'queued' });
    const snap = await scripted().poll('a/b?x=1');
    expect(server.requests[0]!.url).toBe('/v1/video/generations/a%2Fb%3Fx%3D1');
    expect(snap.remoteId).toBe('a/b?x=1');
  });

  it.each<[string, unknown, RegExp]>([
    ['data without a status', { code: 'success', data: { state: 'done' } }, /top-level keys: code, data/],
    ['an unknown status word', { code: 'success', data: { status: 'UNKNOWN' } }, /"UNKNOWN"/],
    ['finished without a URL', { status: 'completed', metadata: {} }, /finished but gave no video URL/],
    ['an array', [], /a JSON array/],
  ])('%s is a ProtocolError', async (_name, body, message) => {
    server.handler = (_req, res) => sendJson(res, 200, body);
    const err = await rejection(scripted().poll('task_1'));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toMatch(message);
  });

  it('errors reported inside a 200 become the ApiError they stand for', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 200, { code: 'task_not_exist', message: 'task_not_exist', data: null });
    expect(await rejection(scripted().poll('task_9'))).toMatchObject({
      status: 404,
      message: 'UniAll has no video task task_9 for this API key.',
    });
    server.handler = (_req, res) =>
      sendJson(res, 200, { error: { message: 'insufficient quota', code: 'x' } });
    expect(await rejection(scripted().submit(TEXT))).toMatchObject({ status: 402, pausesQueue: true });
  });

  it('a key echoed back by the gateway is scrubbed from the kept response and message', async () => {
    server.handler = (_req, res) => sendJson(res, 400, { error: { message: `bad request from ${key}` } });
    const err = (await rejection(scripted().submit(TEXT))) as ApiError;
    expect(err.apiMessage).toBe('bad request from [api key]');
    server.handler = (_req, res) =>
      sendJson(res, 200, { task_id: 't1', status: 'queued', note: `key ${key}` });
    const snap = await scripted().submit(TEXT);
    expect(JSON.stringify(snap.raw)).not.toContain(key!);
  });

  it('Retry-After on a 503 is kept for the queue', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 503, { error: { message: 'busy' } }, { 'retry-after': '3' });
    expect(await rejection(scripted().poll('t1'))).toMatchObject({
      status: 503,
      retryAfterMs: 3000,
      retryable: true,
    });
  });
});
