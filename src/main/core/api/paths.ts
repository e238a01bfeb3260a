/**
 * The one check between a URL path and a file on disk, shared by the web bridge (`/media/…`, the built
 * renderer) and Electron's `genvault://` protocol. A request names a file relative to a root folder;
 * it is served only if, after decoding and resolving every symlink, it is a regular file inside that
 * root. Anything that tries to leave (`..`, an absolute path, a backslash, NUL, a symlink pointing out)
 * is refused before the disk is touched beyond `realpath`/`stat`.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { INPUTS_DIR } from '../images/inputs';
import { MEDIA_DIR, THUMBS_DIR } from '../library';

export type ResolvedFile =
  { ok: true; file: string; size: number; mtimeMs: number } | { ok: false; status: 400 | 403 | 404 };

/** Library folders that hold outputs: archived files and their thumbnails (drag out, export, copy). */
export const MEDIA_FOLDERS: readonly string[] = [MEDIA_DIR, THUMBS_DIR];

/**
 * Library folders the renderer may read, over the bridge and `genvault://` alike: the outputs and the
 * images the person imported (`inputs/`, shown in Blend, Describe and Animate slots). Nothing else.
 */
export const SERVED_FOLDERS: readonly string[] = [...MEDIA_FOLDERS, INPUTS_DIR];

/**
 * `encodedPath` is the part of the URL after the route prefix, still percent-encoded
 * (`media/2025/01/<id>/0.png`). `folders`, when given, are the only top-level folders allowed.
 */
export async function resolveInside(
  root: string,
  encodedPath: string,
  folders?: readonly string[],
): Promise<ResolvedFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 };
  // An absolute path (`/etc/passwd`, `C:/…`) or any dot segment is an attempt to leave the root.
  if (decoded.startsWith('/') || path.isAbsolute(decoded) || /^[a-zA-Z]:/.test(decoded)) {
    return { ok: false, status: 403 };
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '.' || s === '..' || s.includes(':'))) return { ok: false, status: 403 };
  const parts = segments.filter((s) => s !== '');
  if (parts.length === 0) return { ok: false, status: 404 };
  if (folders && !folders.includes(parts[0]!)) return { ok: false, status: 404 };

  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(path.join(realRoot, ...parts));
  } catch {
    return { ok: false, status: 404 };
  }
  const relative = path.relative(realRoot, real);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
    return { ok: false, status: 403 };
  if (folders && !folders.includes(relative.split(path.sep)[0]!)) return { ok: false, status: 403 };
  try {
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, status: 404 };
    return { ok: true, file: real, size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return { ok: false, status: 404 };
  }
}

const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
};

const APP_TYPES: Record<string, string> = {
  ...MEDIA_TYPES,
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The type of a library media file; null for anything that is not an image or video (never served). */
export function mediaTypeOf(file: string): string | null {
  return MEDIA_TYPES[path.extname(file).toLowerCase()] ?? null;
}

/** The type of a file of the built renderer. */
export function appTypeOf(file: string): string {
  return APP_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type ByteRange = { start: number; end: number };

/**
 * A single `bytes=` range of a file of `size` bytes (end inclusive): null when there is no usable
 * Range header (serve the whole file), `'unsatisfiable'` for a range past the end (416).
 * Multi-range requests are answered with the whole file, which RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, from, to] = m;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * The Content-Security-Policy of the renderer. `mediaSources` are origins of library media besides the
 * page's own (Electron's `genvault://media`); `connectSources` the WebSocket origins of the bridge.
 */
export function rendererCsp(
  opts: { mediaSources?: readonly string[]; connectSources?: readonly string[] } = {},
): string {
  const media = (opts.mediaSources ?? []).join(' ');
  const connect = ["'self'", ...(opts.connectSources ?? [])].join(' ');
  const withMedia = (base: string) => (media ? `${base} ${media}` : base);
  return [
    "default-src 'self'",
    `img-src ${withMedia("'self'")} blob: data:`,
    `media-src ${withMedia("'self'")} blob:`,
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
