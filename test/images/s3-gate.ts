/**
 * A real S3-compatible server for the image-host tests: s3rver on 127.0.0.1 (port 0, a temp folder,
 * one bucket), behind a small gate that checks AWS Signature V4 the way S3 does.
 *
 * Why the gate: s3rver 3.7 checks that the access key ID exists but accepts any V4 signature
 * ("Signature version 4 calculation is unimplemented" in its authentication middleware) and serves
 * objects to anonymous requests. Without the gate a wrong secret, a tampered or expired presigned URL
 * or an unsigned request would all pass. The gate's verifier is written here, independently of the
 * client in `src/main/core/images`, and is itself held to AWS's published examples
 * (`sigv4.test.ts`). Requests whose access key ID the gate does not know go to s3rver untouched, so
 * s3rver answers `InvalidAccessKeyId` itself.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account.js';
import type { ImageHostConfig } from '../../src/shared/contract';

/**
 * A key pair registered on s3rver's built-in account next to its default `S3RVER`/`S3RVER`, so the secret
 * is a string that appears nowhere else (tests look for it in files and output).
 */
export const S3_ACCESS_KEY_ID = 'GVTESTACCESSKEY01';
export const S3_SECRET = 'gv-s3-secret-5e8f2a9c71d04b36';
export const S3_BUCKET = 'genvault-test';
export const S3_REGION = 'us-east-1';

export interface GateRequest {
  method: string;
  /** The path and query exactly as received. */
  url: string;
  host: string;
  headers: Record<string, string>;
  bodyBytes: number;
  /** The gate's verdict: `forwarded`, or the S3 error code it answered with. */
  verdict: string;
  status: number;
}

export interface S3Gate {
  /** `http://127.0.0.1:PORT`: the endpoint an image host config names. */
  endpoint: string;
  port: number;
  requests: GateRequest[];
  /** A path-style config of this server, with `overrides`. */
  config(overrides?: Partial<ImageHostConfig>): ImageHostConfig;
  /** The object's bytes straight from s3rver (not through the gate or the client); null when absent. */
  object(key: string): Promise<Buffer | null>;
  close(): Promise<void>;
}

// ── the verifier (independent of the client under test) ────────────────────────────────────────

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** S3's URI encoding: unreserved characters as they are, every other byte as %XX (upper case). */
function uriEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `a=1&b` → [['a','1'],['b','']], decoded. */
function parseQuery(query: string): Array<[string, string]> {
  if (!query) return [];
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    return [decodeURIComponent(k), decodeURIComponent(v)];
  });
}

export interface CanonicalInput {
  method: string;
  /** The request path as sent (percent-encoded). */
  rawPath: string;
  query: Array<[string, string]>;
  /** Lower-case names → values, for exactly the signed headers. */
  signedHeaders: Array<[string, string]>;
  payloadHash: string;
}

export function gateCanonicalRequest(input: CanonicalInput): string {
  const uri = input.rawPath
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join('/');
  const query = input.query
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
    .sort()
    .join('&');
  const headers = input.signedHeaders.map(([k, v]) => `${k}:${v.trim().replace(/\s+/g, ' ')}\n`).join('');
  const names = input.signedHeaders.map(([k]) => k).join(';');
  return [input.method, uri || '/', query, headers, names, input.payloadHash].join('\n');
}

export function gateSignature(canonical: string, amzDate: string, region: string, secret: string): string {
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

type Verdict =
  { ok: true } | { ok: false; status: number; code: string; message: string } | { ok: 'unknown-key' };

const deny = (status: number, code: string, message: string): Verdict => ({
  ok: false,
  status,
  code,
  message,
});

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function verify(req: IncomingMessage, body: Buffer, secrets: Map<string, string>): Verdict {
  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
  const query = parseQuery(rawQuery ?? '');
  const header = (name: string): string => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };
  const auth = header('authorization');
  const presigned = query.some(([k]) => k === 'X-Amz-Algorithm');
  if (!auth && !presigned) return deny(403, 'AccessDenied', 'Anonymous access is not allowed.');

  let accessKeyId: string;
  let region: string;
  let amzDate: string;
  let signedNames: string[];
  let given: string;
  let payloadHash: string;
  let canonicalQuery: Array<[string, string]>;
  if (auth) {
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return deny(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
    [, accessKeyId, , region, , given] = m as unknown as [string, string, string, string, string, string];
    signedNames = m[4]!.split(';');
    amzDate = header('x-amz-date');
    payloadHash = header('x-amz-content-sha256');
    if (!payloadHash) return deny(400, 'InvalidRequest', 'x-amz-content-sha256 is missing.');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) {
      return deny(400, 'XAmzContentSHA256Mismatch', 'The body does not match x-amz-content-sha256.');
    }
    if (m[2] !== amzDate.slice(0, 8)) return deny(403, 'SignatureDoesNotMatch', 'Credential date mismatch.');
    if (Math.abs(Date.now() - parseAmzDate(amzDate)) > 15 * 60_000 || Number.isNaN(parseAmzDate(amzDate))) {
      return deny(403, 'RequestTimeTooSkewed', 'The request time is too far from the server time.');
    }
    canonicalQuery = query;
  } else {
    const q = Object.fromEntries(query);
    const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(q['X-Amz-Credential'] ?? '');
    const expires = Number(q['X-Amz-Expires']);
    amzDate = q['X-Amz-Date'] ?? '';
    if (
      q['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256' ||
      !credential ||
      !q['X-Amz-Signature'] ||
      !q['X-Amz-SignedHeaders'] ||
      !Number.isInteger(expires) ||
      expires < 1 ||
      expires > 604_800 ||
      Number.isNaN(parseAmzDate(amzDate))
    ) {
      return deny(400, 'AuthorizationQueryParametersError', 'The presigned URL is incomplete.');
    }
    if (Date.now() > parseAmzDate(amzDate) + expires * 1000)
      return deny(403, 'AccessDenied', 'Request has expired');
    [, accessKeyId, , region] = credential as unknown as [string, string, string, string];
    signedNames = q['X-Amz-SignedHeaders'].split(';');
    given = q['X-Amz-Signature'];
    payloadHash = 'UNSIGNED-PAYLOAD';
    canonicalQuery = query.filter(([k]) => k !== 'X-Amz-Signature');
  }
  const secret = secrets.get(accessKeyId);
  if (secret === undefined) return { ok: 'unknown-key' };
  if (!signedNames.includes('host')) return deny(403, 'AccessDenied', 'The host header must be signed.');
  const unsignedAmz = Object.keys(req.headers).filter(
    (n) => n.startsWith('x-amz-') && !signedNames.includes(n),
  );
  if (unsignedAmz.length) return deny(403, 'AccessDenied', `Unsigned header: ${unsignedAmz[0]}.`);
  const canonical = gateCanonicalRequest({
    method: req.method ?? 'GET',
    rawPath,
    query: canonicalQuery,
    signedHeaders: signedNames.map((n) => [n, header(n)]),
    payloadHash,
  });
  const expected = gateSignature(canonical, amzDate, region, secret);
  return sameHex(expected, given)
    ? { ok: true }
    : deny(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
}

// ── the server ───────────────────────────────────────────────────────────────────────────────────

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function s3Error(res: ServerResponse, method: string, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(method === 'HEAD' ? undefined : xml);
}

export async function startS3Gate(): Promise<S3Gate> {
  const dir = mkdtempSync(path.join(tmpdir(), 'genvault-s3-'));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    serviceEndpoint: 'localhost',
    configureBuckets: [{ name: S3_BUCKET }],
  });
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(S3_ACCESS_KEY_ID, S3_SECRET);
  const { port: backendPort } = (await s3rver.run()) as AddressInfo;
  const secrets = new Map([
    [S3_ACCESS_KEY_ID, S3_SECRET],
    ['S3RVER', 'S3RVER'],
  ]);
  const requests: GateRequest[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const verdict = verify(req, body, secrets);
      const record: GateRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        host: req.headers.host ?? '',
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
        ),
        bodyBytes: body.length,
        verdict: verdict.ok === false ? verdict.code : 'forwarded',
        status: 0,
      };
      requests.push(record);
      if (verdict.ok === false) {
        record.status = verdict.status;
        s3Error(res, record.method, verdict.status, verdict.code, verdict.message);
        return;
      }
      const upstream = httpRequest(
        { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          record.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    port,
    requests,
    config: (overrides = {}) => ({
      endpoint,
      region: S3_REGION,
      bucket: S3_BUCKET,
      accessKeyId: S3_ACCESS_KEY_ID,
      pathStyle: true,
      prefix: 'genvault/',
      urlMinutes: 60,
      ...overrides,
    }),
    async object(key) {
      const res = await fetch(`http://127.0.0.1:${backendPort}/${S3_BUCKET}/${key}`);
      return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3rver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
