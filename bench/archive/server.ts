/**
 * A CDN stand-in for the archiver benchmark, run in its own process (see lib/child.ts) so serving never
 * competes with the downloader for the event loop. Files are held in memory and served as a CDN does:
 * Content-Length, a strong ETag, Accept-Ranges and single byte ranges, keep-alive connections.
 *
 * Calls: `start({ dir, names })` → `{ port }`; `close()`.
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
  if (req.method === 'HEAD') res.end();
  else res.end(file.body.subarray(start, end + 1));
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
  async close() {
    const s = server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  },
});
