/**
 * Images brought into the library from outside (dropped, pasted, named on the command line): stored
 * once per content under `<library>/inputs/<sha256>.<ext>`, so a job's inputs stay with the library
 * even when the original file moves, and the same image dropped twice is one file (and one upload).
 * A stored image is named by `genvault-file:<sha256>.<ext>` (an `ImageSource` of kind `file`).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ImportedFileView } from '../../../shared/contract';
import { writeFileAtomic } from '../archive/atomic';
import { sniffMedia } from '../archive/sniff';
import { InvalidInputError } from '../errors';
import { toAbsolute } from '../library/paths';

export const INPUTS_DIR = 'inputs';
export const FILE_REF_PREFIX = 'genvault-file:';
/** The largest image `files.import` takes (what the contract's base64 limit can carry). */
export const MAX_IMPORT_BYTES = 30_000_000;

export type ImageFormat = 'png' | 'jpg' | 'webp' | 'gif';
export const IMPORT_FORMATS: readonly ImageFormat[] = ['png', 'jpg', 'webp', 'gif'];
/** What the video providers take (Vidu inlines PNG, JPEG or WebP; Leonardo the same). */
const VIDEO_INPUT_FORMATS: readonly ImageFormat[] = ['png', 'jpg', 'webp'];

const FORMAT_NAMES: Record<ImageFormat, string> = { png: 'PNG', jpg: 'JPEG', webp: 'WebP', gif: 'GIF' };
const REF = /^genvault-file:([a-f0-9]{64})\.([a-z0-9]{1,5})$/;

/** "PNG, JPEG or WebP". */
export function formatList(formats: readonly ImageFormat[]): string {
  const names = formats.map((f) => FORMAT_NAMES[f]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

/** The image format announced by the first bytes, among PNG, JPEG, WebP and GIF; null otherwise. */
export function sniffImage(bytes: Uint8Array): { ext: ImageFormat; mime: string } | null {
  const media = sniffMedia(bytes.subarray(0, 64));
  if (media?.kind !== 'image' || !IMPORT_FORMATS.includes(media.ext as ImageFormat)) return null;
  return { ext: media.ext as ImageFormat, mime: media.mime };
}

/** `genvault-file:<sha256>.<ext>` → `inputs/<sha256>.<ext>`. */
export function inputPathOfRef(ref: string): string {
  const m = REF.exec(ref);
  if (!m) throw new InvalidInputError(`"${ref}" is not a reference to an imported image.`, 'ref');
  return `${INPUTS_DIR}/${m[1]}.${m[2]}`;
}

/** The absolute path of an imported image, checked to still be in the library folder. */
export function inputFileOfRef(root: string, ref: string): string {
  const file = toAbsolute(root, inputPathOfRef(ref));
  if (!existsSync(file)) {
    throw new InvalidInputError(
      'This imported image is no longer in the library folder; add it again.',
      'ref',
    );
  }
  return file;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Writes `bytes` to `inputs/<sha256>.<ext>` unless that file is already there; returns the relative path. */
async function storeInput(root: string, bytes: Buffer, ext: ImageFormat): Promise<string> {
  const rel = `${INPUTS_DIR}/${createHash('sha256').update(bytes).digest('hex')}.${ext}`;
  const dest = toAbsolute(root, rel);
  if (!existsSync(dest)) await writeFileAtomic(dest, bytes);
  return rel;
}

/** Format and size checks; the sniffed format. */
function checkImage(
  bytes: Buffer,
  opts: { label: string; field: string; formats: readonly ImageFormat[]; maxBytes?: number },
): { ext: ImageFormat; mime: string } {
  if (opts.maxBytes !== undefined && bytes.length > opts.maxBytes) {
    throw new InvalidInputError(
      `${opts.label} is ${mb(bytes.length)}; GenVault takes images of at most ${mb(opts.maxBytes)}.`,
      opts.field,
    );
  }
  const sniffed = sniffImage(bytes);
  if (!sniffed || !opts.formats.includes(sniffed.ext)) {
    throw new InvalidInputError(`${opts.label} must be a ${formatList(opts.formats)} image.`, opts.field);
  }
  return sniffed;
}

async function dimensions(bytes: Buffer, label: string): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(bytes).metadata();
    return { width: meta.autoOrient.width, height: meta.autoOrient.height };
  } catch {
    throw new InvalidInputError(`${label} looks like an image but cannot be read; it may be damaged.`);
  }
}

async function importBytes(
  root: string,
  name: string,
  bytes: Buffer,
  label: string,
): Promise<ImportedFileView> {
  const { ext, mime } = checkImage(bytes, {
    label,
    field: 'dataBase64',
    formats: IMPORT_FORMATS,
    maxBytes: MAX_IMPORT_BYTES,
  });
  const size = await dimensions(bytes, label);
  const rel = await storeInput(root, bytes, ext);
  return {
    ref: `${FILE_REF_PREFIX}${path.posix.basename(rel)}`,
    path: rel,
    name,
    mime,
    bytes: bytes.length,
    width: size.width,
    height: size.height,
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * `files.import`: base64 (optionally a whole `data:…;base64,` URI, as a browser's FileReader gives it)
 * of a PNG, JPEG, WebP or GIF of at most 30 MB, checked by its bytes rather than its name.
 */
export async function importImage(root: string, name: string, dataBase64: string): Promise<ImportedFileView> {
  const label = `"${name}"`;
  const text = dataBase64.replace(/^data:[^,]{0,100};base64,/i, '').replace(/\s+/g, '');
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw new InvalidInputError(`${label} did not arrive as base64 data.`, 'dataBase64');
  }
  // Checked before decoding: the decoded size is known from the length alone.
  const decodedBytes =
    Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  if (decodedBytes > MAX_IMPORT_BYTES) {
    throw new InvalidInputError(
      `${label} is ${mb(decodedBytes)}; GenVault takes images of at most ${mb(MAX_IMPORT_BYTES)}.`,
      'dataBase64',
    );
  }
  return importBytes(root, name, Buffer.from(text, 'base64'), label);
}

async function readInput(file: string, field: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new InvalidInputError(`The file ${file} could not be read.`, field);
  }
}

/** A file from disk (a command-line argument) imported like a dropped one. */
export async function importImageFile(root: string, file: string): Promise<ImportedFileView> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new InvalidInputError(`The file ${file} could not be read.`, 'file');
  if (info.size > MAX_IMPORT_BYTES) {
    throw new InvalidInputError(
      `${file} is ${mb(info.size)}; GenVault takes images of at most ${mb(MAX_IMPORT_BYTES)}.`,
      'file',
    );
  }
  return importBytes(root, path.basename(file), await readInput(file, 'file'), file);
}

/**
 * Copies a PNG, JPEG or WebP file from outside the library into `inputs/<sha256>.<ext>` for a video
 * provider; returns the library-relative path. `field` names the argument in messages.
 */
export async function adoptFile(root: string, file: string, field: string): Promise<string> {
  const bytes = await readInput(file, field);
  const { ext } = checkImage(bytes, { label: field, field, formats: VIDEO_INPUT_FORMATS });
  return storeInput(root, bytes, ext);
}
