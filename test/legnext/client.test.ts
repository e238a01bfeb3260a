import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, InvalidInputError, NetworkError, ProtocolError } from '../../src/main/core/errors';
import { LegnextClient } from '../../src/main/core/providers/legnext/client';
import { parseRetryAfter } from '../../src/main/core/providers/legnext/errors';
import { buildLegnextRequest } from '../../src/main/core/providers/legnext/requests';
import { parseLegnextJob } from '../../src/main/core/providers/legnext/schemas';
import { ACTIVE_TASKS, BALANCE, COMPLETED_DIFFUSION, errorBody, POST_EXAMPLES } from './fixtures';
import { sendJson, sendText, startScriptedServer } from './server';
import type { ScriptedServer } from './server';
import { VALID } from './valid-inputs';

const KEY = 'lgx-test-key-0123456789';

let agent: Agent;
let server: ScriptedServer;
let key: string | null;

function client(opts: { timeoutMs?: number; baseUrl?: string } = {}): LegnextClient {
  return new LegnextClient({
    baseUrl: opts.baseUrl ?? server.url,
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

beforeAll(() => {
  agent = new Agent({ keepAliveTimeout: 1000 });
});
afterAll(async () => {
  await agent.close();
});
beforeEach(async () => {
  key = KEY;
  server = await startScriptedServer();
});
afterEach(async () => {
  await server.close();
});

describe('LegnextClient: requests', () => {
  it('submit POSTs the built body to /api/v1/{op} with the key and JSON headers', async () => {
    const [, response] = POST_EXAMPLES.find(([op]) => op === 'diffusion')!;
    server.handler = (_req, res) => sendJson(res, 200, response);
    const req = buildLegnextRequest(VALID.diffusion.input);
    const snap = await client().submit(req);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/v1/diffusion');
    expect(sent.headers['x-api-key']).toBe(KEY);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual(VALID.diffusion.body);
    expect(snap).toEqual(parseLegnextJob(response));
    expect(snap.status).toBe('queued');
  });

  it.each(POST_EXAMPLES)('submit parses the documented %s response', async (op, response) => {
    server.handler = (_req, res) => sendJson(res, 200, response);
    const snap = await client().submit({ provider: 'legnext', op, body: {} });
    expect(server.requests[0]!.url).toBe(`/api/v1/${op}`);
    expect(snap).toEqual(parseLegnextJob(response));
  });

  it('submit fills a missing task_type from the op', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { job_id: 'j1', status: 'pending' });
    expect((await client().submit({ provider: 'legnext', op: 'video-diffusion', body: {} })).taskType).toBe(
      'video_diffusion',
    );
  });

  it('poll GETs /api/v1/job/{id} and parses the completed example', async () => {
    server.handler = (_req, res) => sendJson(res, 200, COMPLETED_DIFFUSION);
    const snap = await client().poll('a616de55-6130-4e1f-b8cd-531ed0599353');
    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      url: '/api/v1/job/a616de55-6130-4e1f-b8cd-531ed0599353',
    });
    expect(server.requests[0]!.headers['x-api-key']).toBe(KEY);
    expect(snap.status).toBe('completed');
    expect(snap.outputs).toHaveLength(5);
  });

  it('poll escapes the id into one path segment', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { job_id: 'a/b', status: 'pending' });
    await client().poll('a/b?x=1');
    expect(server.requests[0]!.url).toBe('/api/v1/job/a%2Fb%3Fx%3D1');
  });

  it('balance reads the documented example', async () => {
    server.handler = (_req, res) => sendJson(res, 200, BALANCE);
    expect(await client().balance()).toEqual({
      accountId: 1,
      balanceUsd: 72.048,
      credits: 71000,
      points: 1048,
      lowBalance: false,
    });
    expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/api/account/balance' });
  });

  it('balance tolerates missing fields but not a missing data object', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { code: 200, data: { available_points: 5 } });
    expect(await client().balance()).toEqual({
      accountId: null,
      balanceUsd: null,
      credits: 0,
      points: 5,
      lowBalance: false,
    });
    server.handler = (_req, res) => sendJson(res, 200, { code: 200, message: 'success' });
    expect(await rejection(client().balance())).toBeInstanceOf(ProtocolError);
  });

  it('activeTasks reads the contract shape, bare or wrapped in data', async () => {
    const expected = [
      {
        remoteId: '789320d3-4b20-46d3-a804-6165a079176a',
        taskType: 'diffusion',
        status: 'running',
        createdAt: '2025-12-17T11:08:36.000Z',
      },
      {
        remoteId: 'd55cb628-3f71-4be8-bea1-4e01319b6589',
        taskType: 'video_diffusion',
        status: 'queued',
        createdAt: '2025-12-17T11:09:00.000Z',
      },
    ];
    server.handler = (_req, res) => sendJson(res, 200, ACTIVE_TASKS);
    expect(await client().activeTasks()).toEqual(expected);
    expect(server.requests[0]!.url).toBe('/api/account/active_tasks');
    server.handler = (_req, res) => sendJson(res, 200, { code: 200, message: 'success', data: ACTIVE_TASKS });
    expect(await client().activeTasks()).toEqual(expected);
    server.handler = (_req, res) => sendJson(res, 200, { code: 200, data: { total_active: 0 } });
    expect(await rejection(client().activeTasks())).toBeInstanceOf(ProtocolError);
  });

  it('asks for the key on every request, so a new key applies at once', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { job_id: 'j1', status: 'pending' });
    const c = client();
    await c.poll('j1');
    key = 'lgx-second-key';
    await c.poll('j1');
    expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual([KEY, 'lgx-second-key']);
  });

  it('accepts a base URL with the documented /api suffix or a trailing slash', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { job_id: 'j1', status: 'pending' });
    await client({ baseUrl: `${server.url}/api/` }).poll('j1');
    await client({ baseUrl: `${server.url}/` }).poll('j1');
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v1/job/j1', '/api/v1/job/j1']);
  });

  it('defaults the base URL from LEGNEXT_BASE_URL, else the production API', () => {
    const saved = process.env.LEGNEXT_BASE_URL;
    try {
      process.env.LEGNEXT_BASE_URL = 'http://127.0.0.1:8787';
      expect(new LegnextClient({ apiKey: async () => KEY }).baseUrl).toBe('http://127.0.0.1:8787');
      delete process.env.LEGNEXT_BASE_URL;
      expect(new LegnextClient({ apiKey: async () => KEY }).baseUrl).toBe('https://api.legnext.ai');
    } finally {
      if (saved === undefined) delete process.env.LEGNEXT_BASE_URL;
      else process.env.LEGNEXT_BASE_URL = saved;
    }
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new LegnextClient({ baseUrl: 'ftp://example.com', apiKey: async () => KEY })).toThrow(
      InvalidInputError,
    );
    expect(() => new LegnextClient({ baseUrl: 'not a url', apiKey: async () => KEY })).toThrow(
      InvalidInputError,
    );
  });
});

describe('LegnextClient: nothing is sent when it cannot succeed', () => {
  it.each([null, '', '   '])('no key (%j) → a clear InvalidInputError before sending', async (missing) => {
    key = missing;
    const err = await rejection(client().submit(buildLegnextRequest(VALID.reroll.input)));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/^No Legnext API key is set; add it in Settings/);
    expect(server.requests).toHaveLength(0);
  });

  it('a key with spaces or control characters is refused before sending', async () => {
    key = 'lgx key\nwith newline';
    expect(await rejection(client().poll('j1'))).toBeInstanceOf(InvalidInputError);
    expect(server.requests).toHaveLength(0);
  });

  it("an op that is not Legnext's, or an empty job id, is refused before sending", async () => {
    expect(await rejection(client().submit({ provider: 'legnext', op: 'imagine', body: {} }))).toBeInstanceOf(
      InvalidInputError,
    );
    expect(await rejection(client().submit({ provider: 'vidu', op: 'diffusion', body: {} }))).toBeInstanceOf(
      InvalidInputError,
    );
    expect(await rejection(client().poll('  '))).toBeInstanceOf(InvalidInputError);
    expect(server.requests).toHaveLength(0);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(client().poll('j1', controller.signal));
    expect((err as Error).name).toBe('AbortError');
    expect(server.requests).toHaveLength(0);
  });
});

describe('LegnextClient: error statuses', () => {
  it.each([
    [
      400,
      'Invalid imageNo',
      'rejected',
      false,
      'Legnext rejected the request as invalid: "Invalid imageNo".',
    ],
    [
      422,
      'scale out of range.',
      'rejected',
      false,
      'Legnext rejected the request as invalid: "scale out of range".',
    ],
    [
      401,
      'Failed to verify api key',
      'rejected',
      false,
      'Legnext did not accept the API key; replace it in Settings (or with `genvault key set`).',
    ],
    [
      402,
      'insufficient credits',
      'rejected',
      false,
      'Your Legnext account is out of credits; top it up at legnext.ai to continue.',
    ],
    [
      403,
      'Sensitive content detected',
      'rejected',
      false,
      'Legnext refused the request (content policy or permission): "Sensitive content detected".',
    ],
    [413, 'file too large', 'rejected', false, 'The request is too large for Legnext; use a smaller image.'],
    [
      429,
      'Too many requests',
      'unavailable',
      true,
      'Legnext is rate limiting requests (too many at once); GenVault will try again shortly.',
    ],
    [
      500,
      'internal error',
      'unavailable',
      true,
      'Legnext is unavailable right now (HTTP 500); GenVault will try again.',
    ],
    [
      502,
      'bad gateway',
      'unavailable',
      true,
      'Legnext is unavailable right now (HTTP 502); GenVault will try again.',
    ],
    [
      503,
      'maintenance',
      'unavailable',
      true,
      'Legnext is unavailable right now (HTTP 503); GenVault will try again.',
    ],
    [409, 'conflict', 'rejected', false, 'Legnext rejected the request (HTTP 409): "conflict".'],
  ] as const)('%i → ApiError (%s)', async (status, apiMessage, kind, retryable, message) => {
    server.handler = (_req, res) => sendJson(res, status, errorBody(status, apiMessage));
    const err = await rejection(client().submit(buildLegnextRequest(VALID.upscale.input)));
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(status);
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.apiMessage).toBe(apiMessage);
    expect(e.message).toBe(message);
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.pausesQueue).toBe(status === 401 || status === 402);
    expect(server.requests).toHaveLength(1);
  });

  it('404 on a poll names the job', async () => {
    server.handler = (_req, res) => sendJson(res, 404, errorBody(404, 'job not found'));
    const err = (await rejection(client().poll('nope-123'))) as ApiError;
    expect(err.message).toBe('Legnext has no job nope-123 for this API key.');
    expect(err.apiMessage).toBe('job not found');
  });

  it('404 on a submit quotes the API', async () => {
    server.handler = (_req, res) => sendJson(res, 404, errorBody(404, 'parent job not found'));
    const err = (await rejection(client().submit(buildLegnextRequest(VALID.reroll.input)))) as ApiError;
    expect(err.message).toBe('Legnext could not find what the request refers to: "parent job not found".');
  });

  it("falls back to raw_message, and reads the contract's nested {error: {...}} shape", async () => {
    server.handler = (_req, res) => sendJson(res, 400, errorBody(400, '', 'field imageNo invalid'));
    expect(((await rejection(client().poll('j1'))) as ApiError).apiMessage).toBe('field imageNo invalid');
    server.handler = (_req, res) =>
      sendJson(res, 400, { error: { code: 400, message: '--turbo is not supported' } });
    expect(((await rejection(client().poll('j1'))) as ApiError).apiMessage).toBe('--turbo is not supported');
  });

  it('an HTML 502 page still maps by status, with no API message', async () => {
    server.handler = (_req, res) =>
      sendText(res, 502, 'text/html', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
    const err = (await rejection(client().poll('j1'))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.retryable).toBe(true);
    expect(err.apiMessage).toBe('');
  });

  it('a plain-text error body is kept as the API message', async () => {
    server.handler = (_req, res) => sendText(res, 400, 'text/plain', 'bad json');
    expect(((await rejection(client().poll('j1'))) as ApiError).apiMessage).toBe('bad json');
  });

  it('an error reported inside a 200 body is still an ApiError', async () => {
    server.handler = (_req, res) => sendJson(res, 200, errorBody(401, 'Failed to verify api key'));
    const err = (await rejection(client().poll('j1'))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
  });

  it('makes exactly one attempt: no retry on 500 or 429', async () => {
    server.handler = (_req, res) => sendJson(res, 500, errorBody(500, 'boom'));
    await rejection(client().submit(buildLegnextRequest(VALID.diffusion.input)));
    server.handler = (_req, res) => sendJson(res, 429, errorBody(429, 'slow down'), { 'retry-after': '0' });
    await rejection(client().poll('j1'));
    expect(server.requests).toHaveLength(2);
  });
});

describe('LegnextClient: Retry-After', () => {
  it('seconds → ms', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 429, errorBody(429, 'rate limited'), { 'retry-after': '7' });
    expect(((await rejection(client().poll('j1'))) as ApiError).retryAfterMs).toBe(7000);
  });

  it('an HTTP date → ms until then', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    server.handler = (_req, res) => sendJson(res, 503, errorBody(503, 'maintenance'), { 'retry-after': at });
    const ms = ((await rejection(client().poll('j1'))) as ApiError).retryAfterMs!;
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('an unreadable value is ignored', async () => {
    server.handler = (_req, res) => sendJson(res, 429, errorBody(429, 'x'), { 'retry-after': 'soon' });
    expect(((await rejection(client().poll('j1'))) as ApiError).retryAfterMs).toBeUndefined();
  });

  it('parseRetryAfter handles seconds, fractions, dates in the past and junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(['5', '9'], now)).toBe(5000);
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('LegnextClient: transport failures and bad bodies', () => {
  it('a connection reset is a NetworkError after one attempt', async () => {
    server.handler = (req) => req.socket.destroy();
    const err = await rejection(client().submit(buildLegnextRequest(VALID.diffusion.input)));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/^Could not reach Legnext: /);
    expect(server.requests).toHaveLength(1);
  });

  it('a refused connection is a NetworkError', async () => {
    const closed = await startScriptedServer();
    await closed.close();
    const err = await rejection(client({ baseUrl: closed.url }).poll('j1'));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('Could not reach Legnext: the connection was refused.');
  });

  it('no answer within the request timeout is a NetworkError', async () => {
    server.handler = () => undefined;
    const err = await rejection(client({ timeoutMs: 300 }).poll('j1'));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('Legnext did not answer within 300 ms.');
    expect(server.requests).toHaveLength(1);
  });

  it('a body that stops half-way is a NetworkError', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"job_id": "j1", "sta');
      setImmediate(() => res.socket?.destroy());
    };
    expect(await rejection(client().poll('j1'))).toBeInstanceOf(NetworkError);
  });

  it('the caller aborting is an AbortError, not a NetworkError', async () => {
    const controller = new AbortController();
    server.handler = () => controller.abort();
    const err = await rejection(client().poll('j1', controller.signal));
    expect(err).not.toBeInstanceOf(NetworkError);
    expect((err as Error).name).toBe('AbortError');
  });

  it('an HTML page with 200 is a ProtocolError', async () => {
    server.handler = (_req, res) =>
      sendText(res, 200, 'text/html', '<html><body>Login required</body></html>');
    const err = await rejection(client().poll('j1'));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toBe(
      'Legnext sent a response GenVault cannot read (text/html, not JSON).',
    );
  });

  it.each([
    ['malformed JSON', '{"job_id": "j1", "status": '],
    ['JSON without job_id', '{"status": "pending"}'],
    ['JSON without status', '{"job_id": "j1"}'],
    ['an empty body', ''],
    ['a JSON list', '[]'],
  ])('%s with 200 is a ProtocolError', async (_label, text) => {
    server.handler = (_req, res) => sendText(res, 200, 'application/json', text);
    expect(await rejection(client().poll('j1'))).toBeInstanceOf(ProtocolError);
  });
});

describe('LegnextClient: the API key never leaks', () => {
  it('an error message that echoes the key is scrubbed', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 401, errorBody(401, `Invalid api key ${KEY}`, `key=${KEY}`));
    const err = (await rejection(client().poll('j1'))) as ApiError;
    expect(err.apiMessage).toBe('Invalid api key [api key]');
    expect(`${err.message} ${err.apiMessage} ${JSON.stringify(err)} ${String(err.stack)}`).not.toContain(KEY);
  });

  it('a response that echoes the key is scrubbed from raw', async () => {
    server.handler = (_req, res) =>
      sendJson(res, 200, { job_id: 'j1', status: 'pending', input: { key: KEY } });
    const snap = await client().poll('j1');
    expect(JSON.stringify(snap.raw)).not.toContain(KEY);
  });

  it('transport errors do not carry the key', async () => {
    server.handler = (req) => req.socket.destroy();
    const err = (await rejection(client().poll('j1'))) as NetworkError;
    expect(
      `${err.message} ${String(err.stack)} ${String((err.cause as Error | undefined)?.message)}`,
    ).not.toContain(KEY);
  });
});
