import path from 'node:path';
import { InvalidInputError } from '../errors';
import type { OutputKind } from '../../../shared/domain';

/**
 * Library folder layout (DESIGN.md §6). Paths inside the library are stored relative to its root with
 * `/` separators, so a library folder can move or sync between machines; only views made for a
 * running app carry absolute paths.
 */
export const DB_FILE = 'genvault.db';
export const MEDIA_DIR = 'media';
export const THUMBS_DIR = 'thumbs';
export const SIDECAR_FILE = 'job.json';

function yearMonth(createdAt: number): [string, string] {
  const d = new Date(createdAt);
  return [String(d.getUTCFullYear()).padStart(4, '0'), String(d.getUTCMonth() + 1).padStart(2, '0')];
}

/** What a job id may be to name a folder: one path segment of letters, digits, `-` and `_`. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * A job id as a folder name. Ids GenVault makes are UUIDs; one read back from a job.json could be
 * anything, and `../..` would make a job's folder the library itself — so anything else is refused.
 */
function jobFolderName(id: string): string {
  if (!JOB_ID_PATTERN.test(id)) throw new Error(`"${id}" is not a job id GenVault can name a folder after.`);
  return id;
}

/** `media/YYYY/MM/<jobId>` (UTC month of creation), relative to the library root. */
export function mediaDirFor(job: { id: string; createdAt: number }): string {
  const [yyyy, mm] = yearMonth(job.createdAt);
  return `${MEDIA_DIR}/${yyyy}/${mm}/${jobFolderName(job.id)}`;
}

/** `<index>.<ext>` for images and videos, `grid.<ext>` for the 4-up grid. */
export function outputFileName(kind: OutputKind, index: number, ext: string): string {
  const bare = ext.replace(/^\./, '');
  return kind === 'grid' ? `grid.${bare}` : `${index}.${bare}`;
}

/** `media/YYYY/MM/<jobId>/<file>` for one output. */
export function outputPathFor(
  job: { id: string; createdAt: number },
  kind: OutputKind,
  index: number,
  ext: string,
): string {
  return `${mediaDirFor(job)}/${outputFileName(kind, index, ext)}`;
}

/** `thumbs/YYYY/MM/<jobId>/<file>`: thumbnails mirror the media tree so a job's files sit together. */
export function thumbPathFor(
  job: { id: string; createdAt: number },
  kind: OutputKind,
  index: number,
  ext = 'webp',
): string {
  return `${thumbsDirFor(job)}/${outputFileName(kind, index, ext)}`;
}

/** `thumbs/YYYY/MM/<jobId>`: the folder of a job's thumbnails, relative to the library root. */
export function thumbsDirFor(job: { id: string; createdAt: number }): string {
  const [yyyy, mm] = yearMonth(job.createdAt);
  return `${THUMBS_DIR}/${yyyy}/${mm}/${jobFolderName(job.id)}`;
}

export function sidecarPathFor(job: { id: string; createdAt: number }): string {
  return `${mediaDirFor(job)}/${SIDECAR_FILE}`;
}

/** A stored relative path made absolute under `root`. */
export function toAbsolute(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}

/**
 * Normalises a path given by a caller (absolute, or relative to the library) to the stored form.
 * Anything that would land outside the library folder is refused: the DB only ever points inside it.
 */
export function toRelative(root: string, given: string): string {
  const absolute = path.resolve(root, given);
  const relative = path.relative(root, absolute);
  if (
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  ) {
    throw new InvalidInputError(`The file ${given} is outside the library folder ${root}.`);
  }
  return relative.split(path.sep).join('/');
}
