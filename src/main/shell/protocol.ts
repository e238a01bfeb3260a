/**
 * The `genvault://` protocol of the Electron window: `genvault://app/…` is the built renderer,
 * `genvault://media/…` a file of the library's media folders or of `inputs/` (images the person
 * dropped or pasted, shown in the Blend and Describe slots) — the same checks as the web bridge's
 * `/media/` route, through `resolveInside`. Nothing else is reachable through it. Plain Web
 * Request → Response, so it is tested without Electron.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  SERVED_FOLDERS,
  appTypeOf,
  mediaTypeOf,
  parseRange,
  rendererCsp,
  resolveInside,
} from '../core/api/paths';
import { ELECTRON_MEDIA_ORIGIN } from '../../shared/media';

export const SCHEME = 'genvault';
export const APP_HOST = 'app';
export const MEDIA_HOST = 'media';
export const APP_URL = `${SCHEME}://${APP_HOST}/index.html`;

/** `standard` gives the scheme real origins and relative URLs; `secure` makes it a secure context. */
export const SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  stream: true,
} as const;

/** The window's CSP: the bridge's policy, with library media from `genvault://media` and no sockets. */
export const APP_CSP = rendererCsp({ mediaSources: [ELECTRON_MEDIA_ORIGIN] });

const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff' };

function status(code: 400 | 403 | 404 | 405 | 416, extra: Record<string, string> = {}): Response {
  return new Response(null, { status: code, headers: { ...BASE_HEADERS, ...extra } });
}

function fileResponse(
  request: Request,
  file: { file: string; size: number },
  headers: Record<string, string>,
): Response {
  const range = parseRange(request.headers.get('range') ?? undefined, file.size);
  if (range === 'unsatisfiable') return status(416, { 'Content-Range': `bytes */${file.size}` });
  const start = range?.start ?? 0;
  const end = range?.end ?? file.size - 1;
  const length = file.size === 0 ? 0 : end - start + 1;
  const all = {
    ...BASE_HEADERS,
    ...headers,
    'Accept-Ranges': 'bytes',
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
  };
  if (request.method === 'HEAD' || length === 0)
    return new Response(null, { status: range ? 206 : 200, headers: all });
  const body = Readable.toWeb(createReadStream(file.file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status: range ? 206 : 200, headers: all });
}

export function createProtocolHandler(opts: {
  /** The built renderer folder. */
  appDir: string;
  libraryRoot: string;
}): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return status(405, { Allow: 'GET, HEAD' });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return status(400);
    }
    if (url.protocol !== `${SCHEME}:`) return status(404);
    // The path as written (still percent-encoded), without the leading slash.
    const encoded = url.pathname.replace(/^\//, '');

    if (url.host === MEDIA_HOST) {
      const found = await resolveInside(opts.libraryRoot, encoded, SERVED_FOLDERS);
      if (!found.ok) return status(found.status);
      const type = mediaTypeOf(found.file);
      if (type === null) return status(404);
      return fileResponse(request, found, {
        'Content-Type': type,
        'Cache-Control': 'private, max-age=31536000, immutable',
      });
    }

    if (url.host === APP_HOST) {
      const found = await resolveInside(opts.appDir, encoded === '' ? 'index.html' : encoded);
      if (!found.ok) return status(found.status);
      return fileResponse(request, found, {
        'Content-Type': appTypeOf(found.file),
        'Content-Security-Policy': APP_CSP,
        'Cache-Control': 'no-cache',
      });
    }
    return status(404);
  };
}
