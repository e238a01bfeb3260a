/**
 * Mask images (white = repaint, black = keep) through the real core: masks made with sharp and
 * written to disk, the Legnext simulator and a real S3-compatible server (s3rver behind the
 * signature-checking gate) on 127.0.0.1, a real library folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSource } from '../../src/shared/contract';
import type { Size } from '../../src/shared/geometry';
import { InvalidInputError } from '../../src/main/core/errors';
import {
  MAX_GREY_SHARE,
  importImage,
  inspectMask,
  maskProblem,
  sha256Hex,
  uploadRef,
} from '../../src/main/core/images';
import { imagined, settled, useHarness, type Harness } from '../core/harness';
import { S3_SECRET, startS3Gate, type S3Gate } from './s3-gate';

/** A black mask of `size` with a white rectangle over the left `share` of its width. */
async function leftShareMask(size: Size, share: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const white = Math.round(size.width * share);
  const base = sharp({ create: { width: size.width, height: size.height, channels: 3, background: '#000' } });
  const composed =
    white === 0
      ? base
      : base.composite([
          {
            input: {
              create: { width: white, height: size.height, channels: 3, background: '#fff' },
            },
            left: 0,
            top: 0,
          },
        ]);
  return format === 'png' ? composed.png().toBuffer() : composed.jpeg({ quality: 95 }).toBuffer();
}

/** A smooth left-to-right grey ramp: a picture, not a mask. */
async function ramp(size: Size): Promise<Buffer> {
  const raw = Buffer.alloc(size.width * size.height);
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) raw[y * size.width + x] = Math.round((x / (size.width - 1)) * 255);
  }
  return sharp(raw, { raw: { width: size.width, height: size.height, channels: 1 } })
    .png()
    .toBuffer();
}

describe('inspectMask', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'genvault-mask-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('measures the white share of a mask of the image shape and finds nothing wrong', async () => {
    const view = await inspectMask(
      file('quarter.png', await leftShareMask({ width: 800, height: 1200 }, 0.25)),
      {
        width: 896,
        height: 1344,
      },
    );
    expect(view).toMatchObject({ width: 800, height: 1200, problem: null });
    expect(view.whiteShare).toBeCloseTo(0.25, 2);
    expect(view.greyShare).toBe(0);
  });

  it('refuses a mask of another shape, naming both sizes', async () => {
    const view = await inspectMask(
      file('square.png', await leftShareMask({ width: 600, height: 600 }, 0.5)),
      {
        width: 896,
        height: 1344,
      },
    );
    expect(view.problem).toBe(
      "The mask is 600 × 600 and the image is 896 × 1344: a mask must have the image's shape.",
    );
  });

  it('refuses an all-black, an all-white and a grey picture; a JPEG mask with soft edges passes', async () => {
    const size = { width: 640, height: 640 };
    const black = await inspectMask(file('black.png', await leftShareMask(size, 0)), size);
    expect(black.problem).toMatch(/^The mask is all black/);
    const white = await inspectMask(file('white.png', await leftShareMask(size, 1)), size);
    expect(white.problem).toMatch(/^The mask is all white/);
    const grey = await inspectMask(file('ramp.png', await ramp(size)), size);
    expect(grey.greyShare).toBeGreaterThan(MAX_GREY_SHARE);
    expect(grey.problem).toMatch(/^This is not a black-and-white mask: \d+ % of it is grey\./);
    const jpeg = await inspectMask(file('soft.jpg', await leftShareMask(size, 0.4, 'jpeg')), size);
    expect(jpeg.problem).toBeNull();
    expect(jpeg.whiteShare).toBeCloseTo(0.4, 1);
  });

  it('reads transparency as black: a transparent PNG with a white shape masks only the shape', async () => {
    const size = { width: 600, height: 400 };
    const shape = await sharp({
      create: {
        width: size.width,
        height: size.height,
        channels: 4,
        background: { r: 0, g: 0, b: 0, alpha: 0 },
      },
    })
      .composite([
        {
          input: { create: { width: 300, height: 200, channels: 4, background: '#ffffffff' } },
          left: 150,
          top: 100,
        },
      ])
      .png()
      .toBuffer();
    const view = await inspectMask(file('alpha.png', shape), size);
    expect(view.whiteShare).toBeCloseTo(0.25, 2);
    expect(view.problem).toBeNull();
  });

  it('says plainly when the file is not an image', async () => {
    const caught = await inspectMask(file('notes.png', Buffer.from('not an image')), null).catch(
      (e: unknown) => e,
    );
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).field).toBe('maskImage');
  });

  it('maskProblem checks the shape only when the image size is known', () => {
    const mask = { width: 100, height: 100, whiteShare: 0.3, greyShare: 0.01 };
    expect(maskProblem(mask, null)).toBeNull();
    expect(maskProblem(mask, { width: 1000, height: 1005 })).toBeNull();
    expect(maskProblem(mask, { width: 1000, height: 1100 })).toMatch(/must have the image's shape/);
  });
});

describe('a mask image in a follow-up', () => {
  const harness = useHarness();
  let gate: S3Gate;
  beforeAll(async () => {
    gate = await startS3Gate();
  });
  afterAll(async () => {
    await gate.close();
  });

  async function imported(h: Harness, bytes: Buffer, name: string): Promise<ImageSource> {
    const view = await importImage(h.dir, name, bytes.toString('base64'));
    return { kind: 'file', ref: view.ref };
  }

  it('vary region: checked against the image, uploaded, sent as mask.url; the library keeps a reference', async () => {
    const h = await harness.start();
    await h.vault.images.set(gate.config(), S3_SECRET);
    await h.vault.start();
    const grid = await imagined(h, 'a paper boat on a rainy street');
    const subject: ImageSource = { kind: 'output', jobId: grid.id, index: 1 };
    const size = (await h.vault.imageSize(subject))!;
    expect(size.width).toBeGreaterThan(0);

    // The wrong shape is refused before anything is uploaded or sent.
    const square = await imported(h, await leftShareMask({ width: 300, height: 300 * 3 }, 0.5), 'tall.png');
    const posts = h.posts().length;
    const puts = gate.requests.filter((r) => r.method === 'PUT').length;
    const refused = await h.vault
      .prepareImages('inpaint', subject, { maskImage: square })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).field).toBe('maskImage');
    expect((refused as Error).message).toMatch(/^The mask is 300 × 900 and the image is/);
    expect(gate.requests.filter((r) => r.method === 'PUT')).toHaveLength(puts);

    const maskBytes = await leftShareMask(size, 0.3);
    const mask = await imported(h, maskBytes, 'mask.png');
    expect((await h.vault.inspectMaskImage(mask, size)).whiteShare).toBeCloseTo(0.3, 2);
    const options = { maskImage: mask, remixPrompt: 'a red paper boat' };
    await h.vault.prepareImages('inpaint', subject, options);
    const job = h.vault.followUp('inpaint', { ref: grid.id, index: 1 }, options);
    const done = await settled(h.vault, job.id);
    expect(done.status).toBe('completed');
    expect(h.posts().length).toBeGreaterThan(posts);

    const sent = h.posts('inpaint').at(-1)!.body as { mask: { url: string; areas?: unknown } };
    expect(sent.mask.areas).toBeUndefined();
    expect(
      sent.mask.url.startsWith(`${gate.endpoint}/genvault-test/genvault/${sha256Hex(maskBytes)}.png?`),
    ).toBe(true);
    const fetched = await request(sent.mask.url);
    expect(Buffer.from(await fetched.body.arrayBuffer())).toEqual(maskBytes);
    expect(h.vault.library.getJob(done.id)!.request!.body).toMatchObject({
      mask: { url: uploadRef(`inputs/${sha256Hex(maskBytes)}.png`) },
    });
    // The mask is no parent: the repainted image descends from the grid alone.
    expect(h.vault.library.parents(done.id).map((p) => p.parentId)).toEqual([grid.id]);
  });

  it('refuses a mask on an operation without one, and drawn regions together with a mask image', async () => {
    const h = await harness.start();
    await h.vault.images.set(gate.config(), S3_SECRET);
    await h.vault.start();
    const grid = await imagined(h, 'a lighthouse at dusk');
    const mask = await imported(h, await leftShareMask({ width: 64, height: 64 }, 0.5), 'm.png');
    const attempt = (op: 'variation' | 'inpaint', options: Record<string, unknown>) => {
      try {
        h.vault.followUp(op, { ref: grid.id, index: 0 }, options);
      } catch (err) {
        return err as InvalidInputError;
      }
      throw new Error('expected a refusal');
    };
    expect(attempt('variation', { type: 'subtle', maskImage: mask }).message).toBe('Vary takes no mask.');
    const both = attempt('inpaint', {
      maskImage: mask,
      mask: { areas: [{ width: 1024, height: 1024, points: [0, 0, 10, 0, 10, 10] }] },
    });
    expect(both.message).toBe('Give the mask either as drawn regions or as a mask image, not both.');
    expect(both.field).toBe('maskImage');
    expect(h.posts('inpaint')).toHaveLength(0);
  });
});
