/**
 * Importing images into `<library>/inputs/`: decided by the bytes (not the name), stored once per
 * content, measured with sharp, and refused plainly when they are not PNG/JPEG/WebP/GIF, too large,
 * damaged or not base64 at all.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageSourceSchema } from '../../src/shared/contract';
import { InvalidInputError } from '../../src/main/core/errors';
import {
  MAX_IMPORT_BYTES,
  adoptFile,
  importImage,
  importImageFile,
  inputFileOfRef,
  inputPathOfRef,
  sha256Hex,
} from '../../src/main/core/images';
import { noiseImage } from '../archive/fixtures';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'genvault-inputs-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const inputs = () => (existsSync(path.join(root, 'inputs')) ? readdirSync(path.join(root, 'inputs')) : []);

async function refused(work: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidInputError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message.split('\n')).toHaveLength(1);
}

describe('files.import', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
    ['gif', 'image/gif'],
  ] as const)('stores a %s under inputs/<sha256>.<ext> with its size', async (format, mime) => {
    const bytes = await noiseImage(40, 30, format);
    const ext = format === 'jpeg' ? 'jpg' : format;
    const view = await importImage(root, `dropped.${format}`, bytes.toString('base64'));

    const sha = sha256Hex(bytes);
    expect(view).toEqual({
      ref: `genvault-file:${sha}.${ext}`,
      path: `inputs/${sha}.${ext}`,
      name: `dropped.${format}`,
      mime,
      bytes: bytes.length,
      width: 40,
      height: 30,
    });
    expect(imageSourceSchema.parse({ kind: 'file', ref: view.ref })).toEqual({ kind: 'file', ref: view.ref });
    expect(readFileSync(path.join(root, view.path))).toEqual(bytes);
    expect(inputPathOfRef(view.ref)).toBe(view.path);
    expect(inputFileOfRef(root, view.ref)).toBe(path.join(root, 'inputs', `${sha}.${ext}`));
  });

  it('goes by the bytes, takes a whole data URI, and keeps one file per content', async () => {
    const jpeg = await noiseImage(20, 20, 'jpeg');
    const first = await importImage(root, 'photo.png', `data:image/png;base64,${jpeg.toString('base64')}`);
    expect(first.mime).toBe('image/jpeg');
    expect(first.path).toMatch(/\.jpg$/);
    const again = await importImage(root, 'copy.jpg', jpeg.toString('base64'));
    expect(again.ref).toBe(first.ref);
    expect(inputs()).toEqual([path.basename(first.path)]);
  });

  it('refuses something that is not an image, writing nothing', async () => {
    const text = Buffer.from('just some notes, not a picture at all').toString('base64');
    await refused(
      importImage(root, 'notes.png', text),
      /^"notes\.png" must be a PNG, JPEG, WebP or GIF image\.$/,
    );
    expect(inputs()).toEqual([]);
  });

  it('refuses more than 30 MB before decoding it', async () => {
    const tooBig = 'A'.repeat(Math.ceil(((MAX_IMPORT_BYTES + 3) * 4) / 3));
    await refused(
      importImage(root, 'huge.png', tooBig),
      /is 30\.0 MB; GenVault takes images of at most 30\.0 MB/,
    );
    expect(inputs()).toEqual([]);
  });

  it('refuses a damaged image and text that is not base64', async () => {
    const png = await noiseImage(30, 30, 'png');
    const damaged = Buffer.concat([png.subarray(0, 16), Buffer.alloc(40, 7)]);
    await refused(importImage(root, 'broken.png', damaged.toString('base64')), /cannot be read/);
    await refused(importImage(root, 'x.png', 'this is *not* base64!'), /did not arrive as base64/);
    expect(inputs()).toEqual([]);
  });

  it('names a malformed reference plainly', () => {
    expect(() => inputPathOfRef('genvault-file:../../etc/passwd')).toThrow(InvalidInputError);
    expect(() => inputFileOfRef(root, `genvault-file:${'b'.repeat(64)}.png`)).toThrow(
      /no longer in the library/,
    );
  });
});

describe('files from disk', () => {
  it('imports a file named on the command line, and refuses one over 30 MB without reading it', async () => {
    const png = await noiseImage(16, 12, 'png');
    const file = path.join(root, 'from-disk.png');
    writeFileSync(file, png);
    const view = await importImageFile(root, file);
    expect(view).toMatchObject({ name: 'from-disk.png', width: 16, height: 12, bytes: png.length });

    const big = path.join(root, 'big.png');
    writeFileSync(big, png);
    await truncate(big, MAX_IMPORT_BYTES + 1);
    await refused(importImageFile(root, big), /at most 30\.0 MB/);
    await refused(importImageFile(root, path.join(root, 'missing.png')), /could not be read/);
  });

  it('adopts PNG, JPEG or WebP for the video providers, and nothing else', async () => {
    const webp = await noiseImage(10, 10, 'webp');
    const file = path.join(root, 'frame.bin');
    writeFileSync(file, webp);
    const rel = await adoptFile(root, file, 'from');
    expect(rel).toBe(`inputs/${sha256Hex(webp)}.webp`);
    expect(readFileSync(path.join(root, rel))).toEqual(webp);

    const gif = path.join(root, 'anim.gif');
    writeFileSync(gif, await noiseImage(10, 10, 'gif'));
    await refused(adoptFile(root, gif, 'from'), /^from must be a PNG, JPEG or WebP image\.$/);
  });
});
