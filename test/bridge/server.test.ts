/**
 * The loopback web bridge, for real: a bridge on 127.0.0.1 port 0 over a real Vault and the Legnext
 * simulator, spoken to with raw HTTP (node:http, so paths reach the server exactly as written) and real
 * WebSockets (the `ws` client, which lets a test choose the Origin a browser would send).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBridge, type BridgeClient } from '../../src/shared/bridge-client';
import type { CallResult, EventMap } from '../../src/shared/contract';
import { mediaUrl } from '../../src/shared/media';
import { MAX_MESSAGE_BYTES, startBridge, type BridgeHandle } from '../../src/main/bridge/server';
import { openTestVault, type TestVault } from '../api/support';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn();
  cleanups.length = 0;
});

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head></html>';

async function fakeRenderer(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-renderer-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), INDEX_HTML);
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log("GenVault");');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface Setup {
  t: TestVault;
  bridge: BridgeHandle;
  port: number;
  cookie: string;
  rendererDir: string;
}

async function setup(opts: { start?: boolean; rendererDir?: string } = {}): Promise<Setup> {
  const t = await openTestVault();
  cleanups.push(() => t.close());
  if (opts.start !== false) await t.vault.start();
  const rendererDir = opts.rendererDir ?? (await fakeRenderer());
  const bridge = await startBridge({ vault: t.vault, rendererDir });
  cleanups.push(() => bridge.close());
  const port = Number(new URL(bridge.origin).port);
  return { t, bridge, port, cookie: `genvault_token_${port}=${bridge.token}`, rendererDir };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(
  port: number,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: rawPath, method, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket as a browser page would; resolves once open, rejects with the refusal status. */
function openSocket(port: number, headers: Record<string, string>, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, origin });
    ws.once('open', () => {
      cleanups.push(async () => ws.terminate());
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, match: (m: Record<string, unknown>) => boolean = () => true) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error('no matching message within 10 s'));
    }, 10_000);
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!match(m)) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
  });
}

/** A `ws` client class that sends what a browser on the bridge's page would: its Origin and cookie. */
function browserLikeSocket(origin: string, cookie: string): typeof globalThis.WebSocket {
  class BrowserLike extends WebSocket {
    constructor(url: string) {
      super(url, { origin, headers: { cookie } });
    }
  }
  return BrowserLike as unknown as typeof globalThis.WebSocket;
}

function connectionLost(api: BridgeClient): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = api.onConnectionChange((connected) => {
      if (connected) return;
      off();
      resolve();
    });
  });
}

describe('access', () => {
  it('trades the link token for an HttpOnly cookie and refuses requests without it', async () => {
    const s = await setup({ start: false });
    expect(s.bridge.url).toBe(`http://127.0.0.1:${s.port}/?token=${s.bridge.token}`);
    expect(s.bridge.token).toMatch(/^[0-9a-f]{64}$/);

    expect((await get(s.port, '/')).status).toBe(401);
    expect((await get(s.port, '/assets/app.js')).status).toBe(401);
    expect((await get(s.port, `/?token=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await get(s.port, '/', { cookie: `genvault_token_${s.port}=${'f'.repeat(64)}` })).status).toBe(
      401,
    );

    const entry = await get(s.port, `/?token=${s.bridge.token}`);
    expect(entry.status).toBe(303);
    expect(entry.headers.location).toBe('/');
    expect(entry.headers['set-cookie']).toEqual([
      `genvault_token_${s.port}=${s.bridge.token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);

    const page = await get(s.port, '/', { cookie: s.cookie });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
        `script-src 'self'; connect-src 'self' ws://127.0.0.1:${s.port} ws://localhost:${s.port}; ` +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    const script = await get(s.port, '/assets/app.js', { cookie: s.cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');

    // A client-side route gets the app shell; a missing asset does not.
    expect((await get(s.port, '/library/detail', { cookie: s.cookie })).body.toString()).toBe(INDEX_HTML);
    expect((await get(s.port, '/assets/missing.js', { cookie: s.cookie })).status).toBe(404);
    expect((await get(s.port, '/', { cookie: s.cookie }, 'POST')).status).toBe(405);
  });

  it('answers only requests addressed to 127.0.0.1 or localhost on its own port', async () => {
    const s = await setup({ start: false });
    const asHost = (host: string) => get(s.port, '/', { host, cookie: s.cookie });
    expect((await asHost(`localhost:${s.port}`)).status).toBe(200);
    expect((await asHost(`evil.example:${s.port}`)).status).toBe(421);
    expect((await asHost(`127.0.0.1:${s.port + 1}`)).status).toBe(421);
    expect((await asHost('127.0.0.1')).status).toBe(421);
  });

  it('says how to build the renderer when it is missing', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'genvault-empty-'));
    cleanups.push(() => rm(empty, { recursive: true, force: true }));
    const s = await setup({ start: false, rendererDir: empty });
    const page = await get(s.port, '/', { cookie: s.cookie });
    expect(page.status).toBe(503);
    expect(page.body.toString()).toMatch(/electron-vite build/);
  });

  it('accepts a WebSocket only from its own origin and with the token', async () => {
    const s = await setup({ start: false });
    await expect(openSocket(s.port, { cookie: s.cookie }, 'http://evil.example')).rejects.toThrow(
      'refused with 403',
    );
    await expect(openSocket(s.port, { cookie: s.cookie }, `http://127.0.0.1:${s.port + 1}`)).rejects.toThrow(
      'refused with 403',
    );
    await expect(openSocket(s.port, { cookie: s.cookie })).rejects.toThrow('refused with 403');
    await expect(openSocket(s.port, {}, s.bridge.origin)).rejects.toThrow('refused with 401');
    await expect(
      openSocket(s.port, { cookie: s.cookie, host: `evil.example:${s.port}` }, s.bridge.origin),
    ).rejects.toThrow('refused with 421');
    const ws = await openSocket(s.port, { cookie: s.cookie }, s.bridge.origin);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const viaLocalhost = await openSocket(s.port, { cookie: s.cookie }, `http://localhost:${s.port}`);
    expect(viaLocalhost.readyState).toBe(WebSocket.OPEN);
  });
});

describe('media', () => {
  it('serves archived files with ranges and refuses every way out of the media folders', async () => {
    const s = await setup();
    const job = s.t.vault.imagine('a blue heron');
    const done = await s.t.vault.waitFor(job.id);
    const output = done.outputs.find((o) => o.kind === 'image')!;
    const bytes = await readFile(output.path!);
    const relative = path.relative(s.t.dir, output.path!).split(path.sep).join('/');
    const url = mediaUrl(relative);
    expect(url).toBe(`/media/${relative}`);
    const auth = { cookie: s.cookie };

    const whole = await get(s.port, url, auth);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('image/png');
    expect(whole.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(bytes)).toBe(true);

    const first = await get(s.port, url, { ...auth, range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${bytes.length}`);
    expect(first.body.equals(bytes.subarray(0, 100))).toBe(true);
    const tail = await get(s.port, url, { ...auth, range: 'bytes=-10' });
    expect(tail.body.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const open = await get(s.port, url, { ...auth, range: `bytes=${bytes.length - 5}-` });
    expect(open.body.equals(bytes.subarray(bytes.length - 5))).toBe(true);
    const past = await get(s.port, url, { ...auth, range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
    const head = await get(s.port, url, auth, 'HEAD');
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect(head.body.length).toBe(0);
    const again = await get(s.port, url, { ...auth, 'if-none-match': whole.headers.etag! });
    expect(again.status).toBe(304);

    const thumb = done.outputs.find((o) => o.thumbPath !== null)!;
    const thumbUrl = mediaUrl(path.relative(s.t.dir, thumb.thumbPath!).split(path.sep).join('/'));
    expect((await get(s.port, thumbUrl, auth)).headers['content-type']).toBe('image/webp');

    expect((await get(s.port, url)).status).toBe(401);

    const outside = path.join(path.dirname(s.t.dir), `${path.basename(s.t.dir)}-secret.txt`);
    await writeFile(outside, 'not yours');
    cleanups.push(() => rm(outside, { force: true }));
    await symlink(outside, path.join(s.t.dir, 'media', 'escape.png'));
    await symlink(path.join(s.t.dir, 'genvault.db'), path.join(s.t.dir, 'media', 'db.png'));

    const refused: Array<[string, number]> = [
      ['/media/../genvault.db', 403],
      ['/media/%2e%2e/genvault.db', 403],
      ['/media/%2E%2E/%2E%2E/etc/passwd', 403],
      ['/media/media/%2e%2e/%2e%2e/genvault.db', 403],
      ['/media/media%2f..%2f..%2fgenvault.db', 403],
      ['/media/%2fetc%2fpasswd', 403],
      ['/media//etc/passwd', 403],
      ['/media/media\\..\\..\\genvault.db', 400],
      ['/media/media/%00.png', 400],
      ['/media/%E0%A4%A', 400],
      ['/media/genvault.db', 404],
      ['/media/media/escape.png', 403],
      ['/media/media/db.png', 403],
      [`/media/${relative.replace(/\.png$/, '.missing.png')}`, 404],
      [`/media/${path.posix.dirname(relative)}/job.json`, 404],
    ];
    for (const [raw, status] of refused) {
      const reply = await get(s.port, raw, auth);
      expect({ raw, status: reply.status }).toEqual({ raw, status });
      expect(reply.body.includes(Buffer.from('SQLite format'))).toBe(false);
    }
  });
});

describe('contract over the WebSocket', () => {
  it('answers calls, pushes job events and survives malformed messages', async () => {
    const s = await setup();
    const api = connectBridge(`ws://127.0.0.1:${s.port}/ws`, {
      WebSocketImpl: browserLikeSocket(s.bridge.origin, s.cookie),
    });
    cleanups.push(async () => api.close());
    expect(api.transport).toBe('bridge');

    expect(await api.call('settings.get', {})).toEqual({
      theme: 'system',
      notifications: true,
      concurrency: 6,
      baseUrls: { legnext: '', leonardo: '', vidu: '' },
    });
    await expect(api.call('jobs.get', { id: 'nope' })).rejects.toMatchObject({ kind: 'invalid' });

    const seen: Array<EventMap['job']> = [];
    const done = new Promise<EventMap['job']>((resolve) => {
      const off = api.on('job', (job) => {
        seen.push(job);
        if (job.status === 'completed' && job.outputs.every((o) => o.state === 'archived')) {
          off();
          resolve(job);
        }
      });
    });
    const queued = await api.call('jobs.imagine', { prompt: 'a fox in snow' });
    const finished = await done;
    expect(finished.id).toBe(queued.id);
    expect(seen.some((j) => j.status === 'queued' || j.status === 'running')).toBe(true);
    const image = finished.outputs.find((o) => o.kind === 'image')!;
    expect((await get(s.port, mediaUrl(image.path!), { cookie: s.cookie })).status).toBe(200);

    const ws = await openSocket(s.port, { cookie: s.cookie }, s.bridge.origin);
    const invalid = (m: Record<string, unknown>) =>
      (m.result as CallResult<unknown> | undefined)?.ok === false;
    let reply = nextMessage(ws, invalid);
    ws.send('this is not json');
    expect(await reply).toEqual({
      id: null,
      result: { ok: false, error: { kind: 'invalid', message: 'The message is not JSON.' } },
    });
    reply = nextMessage(ws, invalid);
    ws.send(JSON.stringify({ id: 7, name: 42 }));
    expect(await reply).toMatchObject({ id: 7, result: { ok: false, error: { kind: 'invalid' } } });
    reply = nextMessage(ws, invalid);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await reply).toMatchObject({ id: null, result: { ok: false, error: { kind: 'invalid' } } });
    reply = nextMessage(ws, invalid);
    ws.send(JSON.stringify({ id: 8, name: 'jobs.destroyAll', request: {} }));
    expect(await reply).toMatchObject({ id: 8, result: { ok: false, error: { kind: 'invalid' } } });
    reply = nextMessage(ws, invalid);
    ws.send(JSON.stringify({ id: 9, name: 'jobs.imagine', request: { prompt: 5 } }));
    expect(await reply).toMatchObject({
      id: 9,
      result: { ok: false, error: { kind: 'invalid', field: 'prompt' } },
    });

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({
        id: 10,
        name: 'jobs.imagine',
        request: { prompt: 'x'.repeat(MAX_MESSAGE_BYTES + 10) },
      }),
    );
    expect(await closed).toBe(1009);

    // The bridge is unharmed: the client still gets answers.
    expect((await api.call('library.info', {})).jobs).toBe(1);

    // An image far larger than any prompt, as a drop into Blend sends it, still fits in one message.
    const noise = randomBytes(1200 * 1000 * 3);
    const png = await sharp(noise, { raw: { width: 1200, height: 1000, channels: 3 } })
      .png()
      .toBuffer();
    expect(png.length).toBeGreaterThan(2 * 1024 * 1024);
    const imported = await api.call('files.import', {
      name: 'noise.png',
      dataBase64: png.toString('base64'),
    });
    expect(imported).toMatchObject({ mime: 'image/png', bytes: png.length, width: 1200, height: 1000 });
    expect(await readFile(path.join(s.t.dir, imported.path))).toEqual(png);
  });

  it('reconnects after the bridge restarts and fails calls that get no answer', async () => {
    const s = await setup({ start: false });
    const api = connectBridge(`ws://127.0.0.1:${s.port}/ws`, {
      WebSocketImpl: browserLikeSocket(s.bridge.origin, s.cookie),
      reconnectMs: 20,
      maxReconnectMs: 100,
      callTimeoutMs: 1000,
    });
    cleanups.push(async () => api.close());
    expect((await api.call('queue.state', {})).paused).toEqual([]);
    expect(api.connected).toBe(true);

    let lost = connectionLost(api);
    await s.bridge.close();
    await lost;
    expect(api.connected).toBe(false);
    const late = api.call('queue.state', {});
    const again = await startBridge({
      vault: s.t.vault,
      rendererDir: s.rendererDir,
      port: s.port,
      token: s.bridge.token,
    });
    cleanups.push(() => again.close());
    expect((await late).paused).toEqual([]);
    expect(await api.call('settings.get', {})).toMatchObject({ theme: 'system' });

    lost = connectionLost(api);
    await again.close();
    await lost;
    await expect(api.call('queue.state', {})).rejects.toEqual({
      kind: 'unavailable',
      message: 'GenVault did not answer in time; try again.',
    });
  });
});
