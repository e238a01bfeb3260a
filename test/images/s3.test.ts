/**
 * The S3 client against a real S3-compatible server (s3rver on 127.0.0.1 behind the signature-checking
 * gate): uploads land byte for byte, presigned URLs work with a plain HTTP client and nothing else
 * does, and every refusal comes back as one plain sentence that never carries the secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { ImageHostError, S3Client } from '../../src/main/core/images';
import { InvalidInputError, NetworkError } from '../../src/main/core/errors';
import type { ImageHostConfig } from '../../src/shared/contract';
import { noiseImage } from '../archive/fixtures';
import { S3_SECRET, startS3Gate, type S3Gate } from './s3-gate';

let gate: S3Gate;
let image: Buffer;
const dispatcher = new Agent({ connections: 8 });

beforeAll(async () => {
  gate = await startS3Gate();
  image = await noiseImage(64, 48, 'png');
});
afterAll(async () => {
  await gate.close();
  await dispatcher.close();
});

const client = (config: ImageHostConfig = gate.config(), secret = S3_SECRET, now?: () => number) =>
  new S3Client({ config, secretAccessKey: secret, dispatcher, now });

async function get(url: string, agent: Agent = dispatcher): Promise<{ status: number; body: Buffer }> {
  const res = await request(url, { dispatcher: agent });
  return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
}

async function refusal(work: Promise<unknown>): Promise<ImageHostError> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageHostError);
  const e = err as ImageHostError;
  expect(e.message.split('\n')).toHaveLength(1);
  expect(e.message).not.toContain(S3_SECRET);
  expect(e.pausesQueue).toBe(false);
  return e;
}

describe('uploads and presigned reads', () => {
  it('puts an object, finds it with HEAD, serves it through a presigned URL and deletes it', async () => {
    const s3 = client();
    const key = 'genvault/round-trip.png';
    expect(await s3.exists(key)).toBe(false);
    await s3.put(key, image, 'image/png');
    expect(await gate.object(key)).toEqual(image);
    expect(await s3.exists(key)).toBe(true);

    const url = s3.presignGet(key);
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/genvault-test\/genvault\/round-trip\.png\?X-Amz-Algorithm=/,
    );
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600');
    const fetched = await get(url);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(image);

    await s3.delete(key);
    expect(await s3.exists(key)).toBe(false);
    expect(await gate.object(key)).toBeNull();
  });

  it('signs keys with spaces, accents and brackets the way the server checks them', async () => {
    const s3 = client();
    const key = "genvault/a folder/été (1)+'x'.png";
    await s3.put(key, image, 'image/png');
    const fetched = await get(s3.presignGet(key));
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(image);
    await s3.delete(key);
  });

  it('works virtual-hosted: the bucket in the host name', async () => {
    // *.localhost names all lead to the gate on 127.0.0.1; s3rver reads the bucket from the Host header.
    const local = new Agent({
      connect: {
        lookup: (_host, opts, cb) =>
          (opts as { all?: boolean }).all
            ? (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
                { address: '127.0.0.1', family: 4 },
              ])
            : (cb as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4),
      },
    });
    try {
      const config = gate.config({ endpoint: `http://s3.localhost:${gate.port}`, pathStyle: false });
      const s3 = new S3Client({ config, secretAccessKey: S3_SECRET, dispatcher: local });
      const key = 'genvault/virtual.png';
      await s3.put(key, image, 'image/png');
      expect(gate.requests.at(-1)).toMatchObject({
        method: 'PUT',
        host: `genvault-test.s3.localhost:${gate.port}`,
        url: '/genvault/virtual.png',
        verdict: 'forwarded',
        status: 200,
      });
      expect(await gate.object(key)).toEqual(image);
      const url = s3.presignGet(key);
      expect(new URL(url).host).toBe(`genvault-test.s3.localhost:${gate.port}`);
      expect((await get(url, local)).body).toEqual(image);
      await s3.delete(key);
    } finally {
      await local.close();
    }
  });

  it('needs path-style for an IP address endpoint', () => {
    expect(() => client(gate.config({ pathStyle: false }))).toThrow(InvalidInputError);
    expect(() => client(gate.config({ pathStyle: false }))).toThrow(/path-style/);
  });
});

describe('what the server refuses', () => {
  it('a wrong secret: the signature is checked, nothing is stored', async () => {
    const key = 'genvault/wrong-secret.png';
    const e = await refusal(client(gate.config(), 'not-the-secret-key').put(key, image, 'image/png'));
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/did not accept the secret access key/);
    expect(e.apiMessage).toMatch(/^SignatureDoesNotMatch/);
    expect(gate.requests.at(-1)!.verdict).toBe('SignatureDoesNotMatch');
    expect(await gate.object(key)).toBeNull();
  });

  it('a HEAD refused with 403 means "not known to exist" (S3 answers so for keys that may not list)', async () => {
    const key = 'genvault/head-403.png';
    await client().put(key, image, 'image/png');
    try {
      expect(await client(gate.config(), 'not-the-secret-key').exists(key)).toBe(false);
      expect(gate.requests.at(-1)).toMatchObject({ method: 'HEAD', status: 403 });
    } finally {
      await client().delete(key);
    }
  });

  it('a presigned URL signed with a wrong secret, tampered with, expired, or no signature at all', async () => {
    const s3 = client();
    const key = 'genvault/guarded.png';
    await s3.put(key, image, 'image/png');
    try {
      expect((await get(client(gate.config(), 'not-the-secret-key').presignGet(key))).status).toBe(403);

      const good = s3.presignGet(key);
      expect((await get(good.replace('guarded.png', 'other.png'))).status).toBe(403);
      expect((await get(good.replace('X-Amz-Expires=3600', 'X-Amz-Expires=7200'))).status).toBe(403);

      const twoHoursAgo = () => Date.now() - 2 * 3600_000;
      const expired = await get(client(gate.config(), S3_SECRET, twoHoursAgo).presignGet(key));
      expect(expired.status).toBe(403);
      expect(expired.body.toString()).toMatch(/expired/);

      expect((await get(`${gate.endpoint}/genvault-test/${key}`)).status).toBe(403);
      expect((await get(good)).status).toBe(200);
    } finally {
      await s3.delete(key);
    }
  });

  it('an access key ID the server does not know (s3rver answers this itself)', async () => {
    const e = await refusal(
      client(gate.config({ accessKeyId: 'AKIAUNKNOWN' })).put('genvault/x.png', image, 'image/png'),
    );
    expect(e.status).toBe(403);
    expect(e.message).toBe(
      'The image host does not know the access key ID "AKIAUNKNOWN"; check it in the image host settings.',
    );
  });

  it('a bucket that does not exist', async () => {
    const e = await refusal(
      client(gate.config({ bucket: 'no-such-bucket' })).put('genvault/x.png', image, 'image/png'),
    );
    expect(e.status).toBe(404);
    expect(e.message).toBe(
      'The bucket "no-such-bucket" does not exist on the image host; create it or correct its name.',
    );
  });

  it('a host nobody answers on is a network error naming the image host', async () => {
    const closed = await startS3Gate();
    const config = closed.config();
    await closed.close();
    const err = await client(config)
      .exists('genvault/x.png')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe('Could not reach the image host: the connection was refused.');
  });
});
