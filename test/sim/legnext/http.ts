/**
 * HTTP plumbing shared by the API and CDN halves: buffered responses, byte ranges, and delivering a
 * response intact or damaged the way an injected fault asks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_SLOW_BYTES_PER_SEC, type FaultRule } from './faults';
import { errorBody } from './errors';

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

export function apiError(status: number, message: string, headers: Record<string, string> = {}): SimResponse {
  return json(status, errorBody(status, message), headers);
}

export const BODY_LIMIT = 1024 * 1024;

/** The whole request body, or `tooLarge` once it passes the limit (the rest is drained, not kept). */
export function readBody(req: IncomingMessage): Promise<{ raw: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ raw: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

export type ByteRange = { start: number; end: number };

/**
 * A single `bytes=` range (`a-b`, `a-`, `-n`). Undefined means "serve the whole file" (no header, or
 * a form such as multiple ranges the simulator does not split); `unsatisfiable` means 416.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The origin server did not answer in time. Please try again.</p></body></html>
`;

const FAULT_MESSAGES = {
  500: 'Internal server error: the request could not be processed.',
  502: 'Bad gateway: the upstream service did not answer.',
  503: 'Service unavailable: please retry shortly.',
  429: 'Rate limit exceeded: too many requests, please slow down.',
} as const;

/** The response a fault gives instead of the real one, or undefined for faults that damage delivery. */
export function replacementFor(rule: FaultRule): SimResponse | undefined {
  switch (rule.kind) {
    case 'status500':
      return apiError(500, FAULT_MESSAGES[500]);
    case 'status502':
      return apiError(502, FAULT_MESSAGES[502]);
    case 'status503':
      return apiError(503, FAULT_MESSAGES[503]);
    case 'rate429':
      return apiError(429, FAULT_MESSAGES[429]);
    case 'rate429RetryAfter':
      return apiError(429, FAULT_MESSAGES[429], { 'retry-after': String(rule.retryAfterSec ?? 1) });
    case 'html200':
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: Buffer.from(HTML_ERROR_PAGE),
      };
    case 'malformedJson':
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(
          rule.malformed === 'missingJobId'
            ? JSON.stringify({ model: 'midjourney', status: 'pending', output: null, meta: null })
            : '{"job_id":"5dd94ec3-7282-4f04-9445-59e8',
        ),
      };
    default:
      return undefined;
  }
}

/** Bytes sent before a `truncate` or `reset` cuts the body: half of it, at least one byte short. */
function partial(body: Buffer): Buffer {
  return body.subarray(0, Math.floor(body.length / 2));
}

/**
 * Sends `r`, intact or as `damage` asks: `slow` drips the body, `truncate` sends the full
 * Content-Length but half the body and then closes, `reset` sends half and then resets the TCP
 * connection. Timers live in `timers` so closing the simulator can stop every drip.
 */
export function deliver(
  req: IncomingMessage,
  res: ServerResponse,
  r: SimResponse,
  damage: FaultRule | undefined,
  timers: Set<ReturnType<typeof setInterval>>,
): void {
  if (res.destroyed) return;
  const head = req.method === 'HEAD';
  res.writeHead(r.status, { ...r.headers, 'content-length': String(r.body.length) });
  const kind = damage?.kind;
  if (kind !== 'slow' && kind !== 'truncate' && kind !== 'reset') {
    res.end(head ? undefined : r.body);
    return;
  }
  const socket = res.socket;
  if (kind === 'truncate' || kind === 'reset') {
    const cut = (): void => {
      if (kind === 'reset') socket?.resetAndDestroy();
      else socket?.end();
    };
    const part = head ? Buffer.alloc(0) : partial(r.body);
    if (part.length === 0) {
      res.flushHeaders();
      setImmediate(cut);
    } else {
      res.write(part, cut);
    }
    return;
  }
  if (head) {
    res.end();
    return;
  }
  const rate = damage?.slowBytesPerSec ?? DEFAULT_SLOW_BYTES_PER_SEC;
  const tickMs = 50;
  const chunk = Math.max(1, Math.round((rate * tickMs) / 1000));
  let offset = 0;
  res.flushHeaders();
  const timer = setInterval(() => {
    if (res.destroyed) {
      stop();
      return;
    }
    const next = r.body.subarray(offset, offset + chunk);
    offset += next.length;
    if (offset >= r.body.length) {
      stop();
      res.end(next);
    } else {
      res.write(next);
    }
  }, tickMs);
  const stop = (): void => {
    clearInterval(timer);
    timers.delete(timer);
  };
  timers.add(timer);
  res.on('close', stop);
}
