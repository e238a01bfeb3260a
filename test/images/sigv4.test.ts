/**
 * Signature V4 against the examples AWS publishes for S3 ("Signature Calculations for the Authorization
 * Header" and "Authenticating Requests: Using Query Parameters"): same inputs, same signatures. Both the
 * client's signer and the test gate's independent verifier are held to them, so neither can agree with
 * the other on a mistake.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SHA256,
  S3Client,
  amzDate,
  encodeKey,
  presignUrl,
  sha256Hex,
  signRequest,
} from '../../src/main/core/images';
import { gateCanonicalRequest, gateSignature } from './s3-gate';

const AWS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const NOW = Date.UTC(2013, 4, 24, 0, 0, 0);
const DATE = '20130524T000000Z';
const HOST = 'examplebucket.s3.amazonaws.com';
const WELCOME = 'Welcome to Amazon S3.';

const signatureIn = (authorization: string): string | undefined =>
  /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];

describe('the client signer reproduces AWS examples', () => {
  it('GET Object with a Range header', () => {
    const headers = signRequest({
      method: 'GET',
      url: new URL(`https://${HOST}/test.txt`),
      headers: { Range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials: AWS,
      now: NOW,
    });
    expect(headers['x-amz-date']).toBe(DATE);
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('PUT Object with a body, a key needing encoding and extra headers', () => {
    expect(sha256Hex(WELCOME)).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const headers = signRequest({
      method: 'PUT',
      url: new URL(`https://${HOST}/${encodeKey('test$file.text')}`),
      headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      payloadHash: sha256Hex(WELCOME),
      region: 'us-east-1',
      credentials: AWS,
      now: NOW,
    });
    expect(headers.authorization).toContain(
      'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,',
    );
    expect(signatureIn(headers.authorization!)).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });

  it('GET with query parameters: an empty subresource, and parameters given out of order', () => {
    const sign = (url: string) =>
      signatureIn(
        signRequest({
          method: 'GET',
          url: new URL(url),
          payloadHash: EMPTY_SHA256,
          region: 'us-east-1',
          credentials: AWS,
          now: NOW,
        }).authorization!,
      );
    expect(sign(`https://${HOST}/?lifecycle`)).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
    expect(sign(`https://${HOST}/?prefix=J&max-keys=2`)).toBe(
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    );
  });

  it('a presigned GET URL, exactly as AWS prints it', () => {
    expect(
      presignUrl({
        method: 'GET',
        url: new URL(`https://${HOST}/test.txt`),
        region: 'us-east-1',
        credentials: AWS,
        now: NOW,
        expiresSeconds: 86_400,
      }),
    ).toBe(
      `https://${HOST}/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256` +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('the S3 client presigns the same URL from an image host config (virtual-hosted, minutes → seconds)', () => {
    const client = new S3Client({
      config: {
        endpoint: 'https://s3.amazonaws.com',
        region: 'us-east-1',
        bucket: 'examplebucket',
        accessKeyId: AWS.accessKeyId,
        pathStyle: false,
        prefix: '',
        urlMinutes: 24 * 60,
      },
      secretAccessKey: AWS.secretAccessKey,
      now: () => NOW,
    });
    const url = new URL(client.presignGet('test.txt'));
    expect(url.host).toBe(HOST);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('86400');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('keys are encoded per segment with their slashes kept, and dates in the basic ISO form', () => {
    expect(encodeKey("genvault/a b/é(1)!*'.png")).toBe('genvault/a%20b/%C3%A9%281%29%21%2A%27.png');
    expect(amzDate(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('20260102T030405Z');
  });
});

describe("the test gate's verifier reproduces the same examples", () => {
  const canonicalGet = (query: Array<[string, string]>, extra: Array<[string, string]> = []) =>
    gateCanonicalRequest({
      method: 'GET',
      rawPath: query.length ? '/' : '/test.txt',
      query,
      signedHeaders: [['host', HOST], ...extra, ['x-amz-content-sha256', EMPTY_SHA256], ['x-amz-date', DATE]],
      payloadHash: EMPTY_SHA256,
    });

  it('header-signed requests', () => {
    const secret = AWS.secretAccessKey;
    expect(gateSignature(canonicalGet([], [['range', 'bytes=0-9']]), DATE, 'us-east-1', secret)).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(gateSignature(canonicalGet([['lifecycle', '']]), DATE, 'us-east-1', secret)).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
    expect(
      gateSignature(
        canonicalGet([
          ['prefix', 'J'],
          ['max-keys', '2'],
        ]),
        DATE,
        'us-east-1',
        secret,
      ),
    ).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
    const put = gateCanonicalRequest({
      method: 'PUT',
      rawPath: '/test%24file.text',
      query: [],
      signedHeaders: [
        ['date', 'Fri, 24 May 2013 00:00:00 GMT'],
        ['host', HOST],
        ['x-amz-content-sha256', sha256Hex(WELCOME)],
        ['x-amz-date', DATE],
        ['x-amz-storage-class', 'REDUCED_REDUNDANCY'],
      ],
      payloadHash: sha256Hex(WELCOME),
    });
    expect(gateSignature(put, DATE, 'us-east-1', secret)).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });

  it('a presigned URL', () => {
    const canonical = gateCanonicalRequest({
      method: 'GET',
      rawPath: '/test.txt',
      query: [
        ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
        ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'],
        ['X-Amz-Date', DATE],
        ['X-Amz-Expires', '86400'],
        ['X-Amz-SignedHeaders', 'host'],
      ],
      signedHeaders: [['host', HOST]],
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    expect(gateSignature(canonical, DATE, 'us-east-1', AWS.secretAccessKey)).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });
});
