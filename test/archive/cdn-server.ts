/**
 * A small CDN on 127.0.0.1 for the archiver tests: serves real bytes with or without Range support and
 * injects the faults a real CDN shows (reset, early close, idle gap, ignored Range, error statuses).
 * Faults are consumed one per request, in order, so a test scripts "break the first try, serve the second".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Send `afterBytes` of the body, wait for `gate` when given, then reset the TCP connection. */
  | { type: 'reset'; afterBytes: number; gate?: Promise<void> }
  /** Announce the full length, send `afterBytes`, then close the connection cleanly. */
  | { type: 'truncate'; afterBytes: number }
  /** Send `afterBytes`, go quiet for `ms`, then send the rest (if the client is still there). */
  | { type: 'stall'; afterBytes: number; ms: number }
  /** Answer 200 with the whole body even to a Range request. */
  | { type: 'ignoreRange' }
  /** Answer a Range request with 206 but a Content-Range that starts at 0. */
  | { type: 'wrongRangeStart' }
  | { type: 'status'; status: number; body?: string; headers?: Record<string, string> };

export interface Resource {
  body: Buffer;
  /** Default application/octet-stream; null sends none. */
  contentType?: string | null;
  /** Honour Range and announce `Accept-Ranges: bytes`; default true. */
  ranges?: boolean;
  /** Send no Content-Length (chunked encoding). */
  chunked?: boolean;
  etag?: string;
  faults?: Fault[];
}

export interface RecordedRequest {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
}

type Route = { resource: Resource } | { redirectTo: string };

const CHUNK = 16 * 1024;

export class CdnServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly origin: string,
  ) {}

  static async start(): Promise<CdnServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const cdn = new CdnServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      cdn.handle(req, res).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
    return cdn;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  serve(path: string, resource: Resource): void {
    this.routes.set(path, { resource });
  }

  redirect(path: string, to: string): void {
    this.routes.set(path, { redirectTo: to });
  }

  requestsFor(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const record: RecordedRequest = {
      path,
      range: req.headers.range,
      ifRange: firstValue(req.headers['if-range']),
      status: 0,
    };
    this.requests.push(record);
    const route = this.routes.get(path);
    if (!route) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if ('redirectTo' in route) {
      record.status = 302;
      res.writeHead(302, { location: route.redirectTo }).end();
      return;
    }
    const resource = route.resource;
    const fault = resource.faults?.shift();
    if (fault?.type === 'status') {
      record.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end(fault.body ?? '');
      return;
    }

    const full = resource.body;
    const headers: Record<string, string> = {};
    if (resource.contentType !== null)
      headers['content-type'] = resource.contentType ?? 'application/octet-stream';
    const ranges = resource.ranges ?? true;
    if (ranges) headers['accept-ranges'] = 'bytes';
    if (resource.etag) headers.etag = resource.etag;

    let status = 200;
    let start = 0;
    const range = ranges && fault?.type !== 'ignoreRange' ? parseRange(req.headers.range) : null;
    const validatorMatches = record.ifRange === undefined || record.ifRange === resource.etag;
    if (range !== null && validatorMatches) {
      if (range >= full.length) {
        record.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${full.length}` }).end();
        return;
      }
      status = 206;
      start = fault?.type === 'wrongRangeStart' ? 0 : range;
      headers['content-range'] = `bytes ${start}-${full.length - 1}/${full.length}`;
    }
    const body = full.subarray(start);
    if (!resource.chunked) headers['content-length'] = String(body.length);
    record.status = status;
    res.writeHead(status, headers);
    await this.sendBody(res, body, fault);
  }

  private async sendBody(res: ServerResponse, body: Buffer, fault: Fault | undefined): Promise<void> {
    const stopAt =
      fault?.type === 'reset' || fault?.type === 'truncate' || fault?.type === 'stall'
        ? Math.min(fault.afterBytes, body.length)
        : body.length;
    for (let offset = 0; offset < stopAt; offset += CHUNK) {
      await write(res, body.subarray(offset, Math.min(offset + CHUNK, stopAt)));
    }
    if (fault?.type === 'reset') {
      if (fault.gate) await fault.gate;
      res.socket?.resetAndDestroy();
      return;
    }
    if (fault?.type === 'truncate') {
      res.socket?.end();
      return;
    }
    if (fault?.type === 'stall') {
      const resumed = await this.pause(res, fault.ms);
      if (!resumed) return;
      await write(res, body.subarray(stopAt));
    }
    res.end();
  }

  /** Waits `ms` unless the client goes away first; resolves whether the response is still wanted. */
  private pause(res: ServerResponse, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.off('close', onClose);
        resolve(!res.destroyed);
      }, ms);
      const onClose = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      this.timers.add(timer);
      res.once('close', onClose);
    });
  }
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    res.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

/** The start of `bytes=<start>-` (the only form the archiver sends); null when absent or another form. */
function parseRange(value: string | undefined): number | null {
  const match = /^bytes=(\d+)-$/.exec(value ?? '');
  return match ? Number(match[1]) : null;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
