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

/** `media/YYYY/MM/<jobId>` (UTC month of creation), relative to the library root. */
export function mediaDirFor(job: { id: string; createdAt: number }): string {
  const [yyyy, mm] = yearMonth(job.createdAt);
  return `${MEDIA_DIR}/${yyyy}/${mm}/${job.id}`;
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
  const [yyyy, mm] = yearMonth(job.createdAt);
  return `${THUMBS_DIR}/${yyyy}/${mm}/${job.id}/${outputFileName(kind, index, ext)}`;
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
