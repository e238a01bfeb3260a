/**
 * A CDN stand-in for the archiver benchmark, run in its own process (see lib/child.ts) so serving never
 * competes with the downloader for the event loop. Files are held in memory and served as a CDN does:
 * Content-Length, a strong ETag, Accept-Ranges and single byte ranges, keep-alive connections.
 *
 * Unlimited, it sends as fast as loopback goes (over 1 GB/s). Throttled, every response shares one link
 * of a fixed rate, as a user's downlink from a CDN would: bodies go out in 64 KiB chunks, each waiting
 * for its turn on the link, so parallel downloads split the rate between them.
 *
 * Calls: `start({ dir, names })` → `{ port }`; `throttle({ bytesPerSecond })` (null: unlimited); `close()`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serveCalls } from '../lib/child';

interface Served {
  body: Buffer;
  type: string;
  etag: string;
}

const files = new Map<string, Served>();
let server: Server | undefined;

const CHUNK_BYTES = 64 * 1024;
/** Lateness of a timer that the link makes up for, so timer granularity does not lower the rate. */
const CATCH_UP_MS = 5;

/** One shared link: chunks are given send times one after another at `bytesPerSecond`. */
class Link {
  private nextFree = 0;
  constructor(private readonly bytesPerSecond: number) {}

  /** Resolves when `bytes` may be sent. */
  take(bytes: number): Promise<void> {
    const now = performance.now();
    const at = Math.max(this.nextFree, now - CATCH_UP_MS);
    this.nextFree = at + (bytes / this.bytesPerSecond) * 1000;
    return at <= now ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, at - now));
  }
}

let link: Link | null = null;

async function sendThrottled(res: ServerResponse, body: Buffer, through: Link): Promise<void> {
  for (let offset = 0; offset < body.length && !res.destroyed; offset += CHUNK_BYTES) {
    const chunk = body.subarray(offset, offset + CHUNK_BYTES);
    await through.take(chunk.length);
    // A client that goes away never drains; its close ends the wait (and the loop) too.
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.once('drain', done).once('close', done);
      });
    }
  }
  res.end();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const name = decodeURIComponent(
    new URL(req.url ?? '/', 'http://cdn.invalid').pathname.replace(/^\/files\//, ''),
  );
  const file = files.get(name);
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const size = file.body.length;
  const headers: Record<string, string | number> = {
    'content-type': file.type,
    'accept-ranges': 'bytes',
    etag: file.etag,
    'cache-control': 'public, max-age=2592000',
  };
  let start = 0;
  let end = size - 1;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['content-length'] = end - start + 1;
  res.writeHead(range ? 206 : 200, headers);
  const body = file.body.subarray(start, end + 1);
  if (req.method === 'HEAD') res.end();
  else if (link === null) res.end(body);
  else void sendThrottled(res, body, link);
}

serveCalls({
  async start(params: { dir: string; names: string[] }) {
    for (const name of params.names) {
      const body = readFileSync(path.join(params.dir, name));
      const type = name.endsWith('.mp4') ? 'video/mp4' : 'image/png';
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      files.set(name, { body, type, etag });
    }
    const s = createServer({ keepAliveTimeout: 30_000 }, handle);
    server = s;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve());
    });
    return { port: (s.address() as AddressInfo).port };
  },
  throttle(params: { bytesPerSecond: number | null }) {
    link = params.bytesPerSecond === null ? null : new Link(params.bytesPerSecond);
  },
  async close() {
    const s = server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  },
});
