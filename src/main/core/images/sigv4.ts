/**
 * AWS Signature Version 4 as S3 and every S3-compatible store (R2, MinIO, B2) check it, on node:crypto
 * alone: requests signed in the `Authorization` header (the body's SHA-256 in `x-amz-content-sha256`)
 * and presigned URLs (query-string authentication, `UNSIGNED-PAYLOAD`). Pure functions: the clock is
 * a parameter, so AWS's published examples can be reproduced exactly.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SERVICE = 's3';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export const EMPTY_SHA256 = sha256Hex('');

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20130524T000000Z`: the ISO 8601 basic form S3 wants in `x-amz-date` and `X-Amz-Date`. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** RFC 3986 percent-encoding: every byte except A–Z a–z 0–9 - . _ ~ (what S3 signs and expects). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An object key as a URI path: each segment encoded once, the slashes between them kept. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeRfc3986).join('/');
}

/** Query parameters in canonical form: names and values encoded, sorted by name, then value. */
export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * The canonical request: method, encoded path, canonical query, the signed headers (lower-case names,
 * values trimmed with inner runs of spaces folded), their names, and the payload hash.
 */
export function canonicalRequest(parts: {
  method: string;
  path: string;
  query: string;
  headers: Readonly<Record<string, string>>;
  payloadHash: string;
}): { text: string; signedHeaders: string } {
  const names = Object.keys(parts.headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lowered = Object.fromEntries(Object.entries(parts.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const lines = names.map((n) => `${n}:${String(lowered[n]).trim().replace(/ +/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const text = [
    parts.method.toUpperCase(),
    parts.path || '/',
    parts.query,
    lines,
    signedHeaders,
    parts.payloadHash,
  ].join('\n');
  return { text, signedHeaders };
}

/** `<yyyymmdd>/<region>/s3/aws4_request`. */
export function credentialScope(date: string, region: string): string {
  return `${date.slice(0, 8)}/${region}/${SERVICE}/aws4_request`;
}

/** The hex signature of a canonical request made at `date` (`amzDate` form) in `region`. */
export function signCanonical(canonical: string, date: string, region: string, secret: string): string {
  const scope = credentialScope(date, region);
  const stringToSign = [SIGV4_ALGORITHM, date, scope, sha256Hex(canonical)].join('\n');
  const dateKey = hmac(`AWS4${secret}`, date.slice(0, 8));
  const signingKey = hmac(hmac(hmac(dateKey, region), SERVICE), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

export interface SignRequestInput {
  method: string;
  /** Its path must already be encoded exactly as it goes on the wire (`encodeKey`). */
  url: URL;
  /** Headers to sign besides host, x-amz-date and x-amz-content-sha256 (e.g. content-type). */
  headers?: Readonly<Record<string, string>>;
  /** SHA-256 (hex) of the body; `EMPTY_SHA256` for none. */
  payloadHash: string;
  region: string;
  credentials: S3Credentials;
  now: number;
}

/** Every header to send with the request, `authorization` included. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const date = amzDate(input.now);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    host: input.url.host,
    'x-amz-content-sha256': input.payloadHash,
    'x-amz-date': date,
  };
  const query = canonicalQuery([...input.url.searchParams.entries()]);
  const canonical = canonicalRequest({
    method: input.method,
    path: input.url.pathname,
    query,
    headers,
    payloadHash: input.payloadHash,
  });
  const signature = signCanonical(canonical.text, date, input.region, input.credentials.secretAccessKey);
  const credential = `${input.credentials.accessKeyId}/${credentialScope(date, input.region)}`;
  return {
    ...headers,
    authorization: `${SIGV4_ALGORITHM} Credential=${credential}, SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`,
  };
}

export interface PresignInput {
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  /** The object's URL without a query; its path encoded as for `signRequest`. */
  url: URL;
  region: string;
  credentials: S3Credentials;
  now: number;
  expiresSeconds: number;
}

/** A URL anyone can use for `method` until `now + expiresSeconds`; only the host header is signed. */
export function presignUrl(input: PresignInput): string {
  const date = amzDate(input.now);
  const params: Array<[string, string]> = [
    ['X-Amz-Algorithm', SIGV4_ALGORITHM],
    ['X-Amz-Credential', `${input.credentials.accessKeyId}/${credentialScope(date, input.region)}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(input.expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = canonicalQuery(params);
  const canonical = canonicalRequest({
    method: input.method,
    path: input.url.pathname,
    query,
    headers: { host: input.url.host },
    payloadHash: UNSIGNED_PAYLOAD,
  });
  const signature = signCanonical(canonical.text, date, input.region, input.credentials.secretAccessKey);
  return `${input.url.origin}${input.url.pathname}?${query}&X-Amz-Signature=${signature}`;
}
