/**
 * The URL resolution rules as a pure decision over a fake clock: a library image inside its 30 days
 * goes by its CDN URL, past them by an upload of the archived file, and with no archived copy or no
 * image host configured the error says why and what to do.
 */
import { describe, expect, it } from 'vitest';
import { CDN_RETENTION_MS, DAY_MS } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import { NO_IMAGE_HOST_MESSAGE, checkUpload, planImage, type ImageFacts } from '../../src/main/core/images';

const CREATED = Date.UTC(2025, 0, 10, 12, 0, 0);
const CDN = 'https://cdn.legnext.ai/mj/abc_2.png';
const ARCHIVED = 'media/2025/01/job-1/2.png';

const output = (over: Partial<Extract<ImageFacts, { kind: 'output' }>> = {}): ImageFacts => ({
  kind: 'output',
  jobId: 'job-1',
  index: 2,
  createdAt: CREATED,
  url: CDN,
  archivedPath: ARCHIVED,
  ...over,
});

function refused(work: () => unknown): InvalidInputError {
  let caught: unknown;
  try {
    work();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  return caught as InvalidInputError;
}

describe('a library image', () => {
  it('inside its 30 days goes by its CDN URL and becomes the lineage parent, host or not', () => {
    for (const now of [CREATED, CREATED + 29 * DAY_MS, CREATED + CDN_RETENTION_MS - 1]) {
      for (const host of [true, false]) {
        expect(planImage(output(), host, now)).toEqual({
          kind: 'remote',
          url: CDN,
          parent: { jobId: 'job-1', index: 2 },
        });
      }
    }
  });

  it('from the 30th day on is uploaded from the archive, still a lineage parent', () => {
    for (const now of [CREATED + CDN_RETENTION_MS, CREATED + 400 * DAY_MS]) {
      expect(planImage(output(), true, now)).toEqual({
        kind: 'upload',
        path: ARCHIVED,
        parent: { jobId: 'job-1', index: 2 },
      });
    }
  });

  it('past 30 days without an image host: the message says what to set up', () => {
    const err = refused(() => planImage(output(), false, CREATED + 31 * DAY_MS));
    expect(err.message).toBe(NO_IMAGE_HOST_MESSAGE);
    expect(err.message).toBe(
      'Set up an image host in Settings → Image host (any S3-compatible bucket) to use images from your computer or library images older than 30 days.',
    );
    expect(err.field).toBe('imageHost');
  });

  it('past 30 days and never archived: no copy is left, with or without a host', () => {
    for (const host of [true, false]) {
      const err = refused(() => planImage(output({ archivedPath: null }), host, CREATED + 31 * DAY_MS));
      expect(err.message).toBe(
        'Image job-1:2 is older than 30 days and was never archived, so no copy of it is left to send.',
      );
    }
  });

  it('inside its 30 days but not finished yet has nothing to send', () => {
    const err = refused(() => planImage(output({ url: null, archivedPath: null }), true, CREATED + DAY_MS));
    expect(err.message).toMatch(/has no file yet/);
  });

  it('inside its 30 days without a CDN URL but archived is uploaded', () => {
    expect(planImage(output({ url: null }), true, CREATED + DAY_MS)).toMatchObject({
      kind: 'upload',
      path: ARCHIVED,
    });
  });
});

describe('URLs and imported files', () => {
  it('a URL is sent as it is, with no lineage and no host needed', () => {
    const url = 'https://images.example.com/a.png';
    expect(planImage({ kind: 'url', url }, false, CREATED)).toEqual({ kind: 'remote', url, parent: null });
  });

  it('an imported file is always uploaded; without a host the message says what to set up', () => {
    const file: ImageFacts = { kind: 'file', path: `inputs/${'a'.repeat(64)}.png`, present: true };
    expect(planImage(file, true, CREATED)).toEqual({ kind: 'upload', path: file.path, parent: null });
    expect(refused(() => planImage(file, false, CREATED)).message).toBe(NO_IMAGE_HOST_MESSAGE);
  });

  it('an imported file that was removed from the library folder', () => {
    const file: ImageFacts = { kind: 'file', path: `inputs/${'a'.repeat(64)}.png`, present: false };
    expect(refused(() => planImage(file, true, CREATED)).message).toMatch(/no longer in the library folder/);
  });
});

describe('documented limits of uploaded files', () => {
  it('retexture takes PNG, JPEG or WebP up to 10 MB', () => {
    expect(() => checkUpload('retexture', 'webp', 10_000_000)).not.toThrow();
    expect(refused(() => checkUpload('retexture', 'gif', 1000)).message).toBe(
      'Retexture takes PNG, JPEG or WebP images, not GIF.',
    );
    expect(refused(() => checkUpload('retexture', 'png', 10_000_001)).message).toMatch(/at most 10 MB/);
  });

  it('Topaz takes PNG or JPEG; blend and describe take any imported image', () => {
    expect(refused(() => checkUpload('enhance-upscale', 'webp', 1000)).message).toBe(
      'Topaz upscale takes PNG or JPEG images, not WebP.',
    );
    expect(() => checkUpload('enhance-upscale', 'jpg', 50_000_000)).not.toThrow();
    expect(() => checkUpload('blend', 'gif', 29_000_000)).not.toThrow();
    expect(() => checkUpload('describe', 'webp', 29_000_000)).not.toThrow();
  });
});
