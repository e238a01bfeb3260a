/**
 * The loopback web bridge (`genvault serve`): the built renderer, the library's media and the whole
 * contract over a WebSocket, so the real renderer and the real core run together in a browser.
 *
 * Security model, for a server any local web page could try to reach:
 *  - it listens on 127.0.0.1 only, and answers only requests whose Host is 127.0.0.1:PORT or
 *    localhost:PORT (421 otherwise), which defeats DNS rebinding;
 *  - a random token is required on every request: the first page load brings it as `?token=`, which is
 *    traded for an HttpOnly SameSite=Strict cookie and a redirect to the clean URL;
 *  - the WebSocket accepts only our own Origin, with the cookie;
 *  - media are files inside the library's media folders and imported images (`inputs/`) only
 *    (`resolveInside`), and the page runs under the same strict CSP as the Electron window.
 */
import { createReadStream, existsSync } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { CallResult } from '../../shared/contract';
import { bindEvents, createHandlers, dispatch } from '../core/api/handlers';
import {
  SERVED_FOLDERS,
  appTypeOf,
  mediaTypeOf,
  parseRange,
  rendererCsp,
  resolveInside,
} from '../core/api/paths';
import type { Vault } from '../core/vault';

export interface BridgeOptions {
  vault: Vault;
  /** The built renderer (`out/renderer`, with its index.html). */
  rendererDir: string;
  host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Random 32 bytes (hex) by default. */
  token?: string;
  /** Shown with the key status when keys are kept in an encrypted file instead of the OS keychain. */
  keyNote?: string | null;
}

export interface BridgeHandle {
  /** Open this in a browser: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  token: string;
  /** Closes every WebSocket and connection, stops forwarding events; leaves the Vault open. */
  close(): Promise<void>;
}

/**
 * Larger messages close the socket (code 1009). The largest call is `files.import`: an image of up to
 * 30 MB as base64 (the contract's 41,000,000 characters) plus its envelope.
 */
export const MAX_MESSAGE_BYTES = 42 * 1024 * 1024;
/** A client this far behind loses download progress events (state events are always sent). */
const SLOW_CLIENT_BYTES = 1024 * 1024;

const messageSchema = z.object({
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  request: z.unknown(),
});

const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const STATUS_TEXT = { 400: 'Bad request.', 403: 'Forbidden.', 404: 'Not found.' } as const;

function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function invalid(message: string): CallResult<never> {
  return { ok: false, error: { kind: 'invalid', message } };
}

export async function startBridge(opts: BridgeOptions): Promise<BridgeHandle> {
  const { vault, rendererDir } = opts;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(32).toString('hex');
  const handlers = createHandlers({ vault, keyNote: opts.keyNote ?? null });

  // Filled in once the port is known (listen happens before any request can arrive).
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let cookieName = 'genvault_token';
  let csp = '';

  const send = (
    res: ServerResponse,
    status: number,
    text: string,
    headers: OutgoingHttpHeaders = {},
  ): void => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(text);
  };

  const authorised = (req: IncomingMessage, url: URL): boolean =>
    sameSecret(cookieValue(req.headers.cookie, cookieName), token) ||
    sameSecret(url.searchParams.get('token'), token);

  const serveFile = (
    req: IncomingMessage,
    res: ServerResponse,
    file: { file: string; size: number; mtimeMs: number },
    headers: OutgoingHttpHeaders,
  ): void => {
    const etag = `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
    const base = { ...SECURITY_HEADERS, ...headers, ETag: etag, 'Accept-Ranges': 'bytes' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, base);
      res.end();
      return;
    }
    const range = parseRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...base, 'Content-Range': `bytes */${file.size}` });
      res.end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? file.size - 1;
    const length = file.size === 0 ? 0 : end - start + 1;
    res.writeHead(range ? 206 : 200, {
      ...base,
      'Content-Length': length,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
    });
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    const stream = createReadStream(file.file, { start, end });
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };

  // Imported images (dropped into Blend or Describe) are previewed like archived outputs.
  const serveMedia = async (req: IncomingMessage, res: ServerResponse, encoded: string): Promise<void> => {
    const found = await resolveInside(vault.library.root, encoded, SERVED_FOLDERS);
    const type = found.ok ? mediaTypeOf(found.file) : null;
    if (!found.ok || type === null) {
      const status = found.ok ? 404 : found.status;
      send(res, status, STATUS_TEXT[status]);
      return;
    }
    // Archived files are written once and never change: the browser may keep them for good.
    serveFile(req, res, found, {
      'Content-Type': type,
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  };

  const serveApp = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const wanted = pathname === '/' ? 'index.html' : pathname.slice(1);
    let found = await resolveInside(rendererDir, wanted);
    // Client-side routes (no file extension) get the app shell.
    if (!found.ok && found.status === 404 && !/\.[a-z0-9]+$/i.test(pathname)) {
      found = await resolveInside(rendererDir, 'index.html');
    }
    if (!found.ok) {
      if (found.status === 404 && !(await resolveInside(rendererDir, 'index.html')).ok) {
        send(res, 503, 'The GenVault renderer is not built yet: run `npx electron-vite build`, then reload.');
      } else {
        send(res, found.status, STATUS_TEXT[found.status]);
      }
      return;
    }
    const isHashedAsset = pathname.startsWith('/assets/');
    serveFile(req, res, found, {
      'Content-Type': appTypeOf(found.file),
      'Content-Security-Policy': csp,
      'Cache-Control': isHashedAsset ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      send(res, 421, 'This server only answers requests addressed to 127.0.0.1 or localhost.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.searchParams.has('token')) {
      if (!sameSecret(url.searchParams.get('token'), token)) {
        send(res, 401, 'This link has an invalid token: open the link printed by `genvault serve`.');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (!authorised(req, url)) {
      send(
        res,
        401,
        'Open GenVault with the link printed by `genvault serve` (it carries the access token).',
      );
      return;
    }
    // The raw path, not the URL parser's normalised one: `/media/../x` must be seen, and refused.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (!rawPath.startsWith('/')) {
      send(res, 400, STATUS_TEXT[400]);
      return;
    }
    if (rawPath.startsWith('/media/')) {
      await serveMedia(req, res, rawPath.slice('/media/'.length));
    } else if (url.pathname === '/ws') {
      send(res, 426, 'This address only takes WebSocket connections.', { Upgrade: 'websocket' });
    } else {
      await serveApp(req, res, rawPath);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('genvault: bridge request failed:', err);
      if (!res.headersSent) send(res, 500, 'GenVault could not answer this request.');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const refuseUpgrade = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!allowedHosts.has(req.headers.host ?? '')) return refuseUpgrade(socket, 421, 'Misdirected Request');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    if (!allowedOrigins.has(req.headers.origin ?? '')) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!authorised(req, url)) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const reply = (ws: WebSocket, id: number | null, result: CallResult<unknown>): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
  };

  const onMessage = async (ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) return reply(ws, null, invalid('Messages must be JSON text.'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return reply(ws, null, invalid('The message is not JSON.'));
    }
    const message = messageSchema.safeParse(parsed);
    if (!message.success) {
      const id = (parsed as { id?: unknown } | null)?.id;
      const knownId = typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
      return reply(ws, knownId, invalid('A message must be {"id": number, "name": string, "request": …}.'));
    }
    const { id, name, request } = message.data;
    reply(ws, id, await dispatch(handlers, name, request));
  };

  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      onMessage(ws, data, isBinary).catch((err: unknown) => {
        console.error('genvault: bridge message failed:', err);
      });
    });
  });

  const unbindEvents = bindEvents(vault, (event, payload) => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify({ event, payload });
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (event === 'download' && ws.bufferedAmount > SLOW_CLIENT_BYTES) continue;
      ws.send(text);
    }
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    unbindEvents();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  // Cookies are shared by every port of a host: the port in the name keeps two bridges apart.
  cookieName = `genvault_token_${port}`;
  csp = rendererCsp({ connectSources: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });

  const origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close() {
      closing ??= (async () => {
        unbindEvents();
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

/**
 * The renderer built by `electron-vite build`: `out/renderer` of the checkout this code runs from,
 * found by walking up to its package.json (the same from the sources and from the CLI's bundle).
 */
export function defaultRendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'out', 'renderer');
}

/**
 * `genvault serve`: starts the queue, then the bridge over it. Closing the handle stops the bridge;
 * the caller still owns (and closes) the Vault.
 */
export async function serve(
  vault: Vault,
  opts: { port?: number; rendererDir?: string; token?: string } = {},
): Promise<BridgeHandle> {
  await vault.start();
  return startBridge({
    vault,
    rendererDir: opts.rendererDir ?? defaultRendererDir(),
    port: opts.port,
    token: opts.token,
  });
}
