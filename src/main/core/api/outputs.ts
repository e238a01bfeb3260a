/**
 * Calls that move outputs out of the app: reveal in the file manager, export to a folder, copy to the
 * clipboard. Files are only ever read from inside the library's media folders (`resolveInside`), and an
 * export never replaces a file that is already in the target folder.
 */
import { constants, existsSync } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OutputRef } from '../../../shared/contract';
import type { OutputKind } from '../../../shared/domain';
import { InvalidInputError } from '../errors';
import { mediaDirFor, type JobRow, type OutputRow } from '../library';
import type { HandlerContext, HandlerGroup } from './handlers';
import { MEDIA_FOLDERS, resolveInside } from './paths';

/** Longest prompt part of an exported file's name, so names stay readable in a file manager. */
const SLUG_MAX = 48;
/** `name-2.png`, `name-3.png`…: tries before an export gives up on one file. */
const MAX_NAME_SUFFIX = 999;

const KIND_NOUN: Record<OutputKind, string> = { image: 'image', video: 'video', grid: 'grid image' };

/** The prompt's words, lowercase ASCII joined by dashes, without leading image URLs or `--flags`. */
export function promptSlug(prompt: string | null, fallback: string): string {
  const words = (prompt ?? '')
    .replace(/^(?:<?https?:\/\/\S+>?\s+)+/i, '')
    .replace(/(?:^|\s)(?:--|\u2014)[a-z][\s\S]*$/i, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let slug = words;
  if (slug.length > SLUG_MAX) {
    const cut = slug.slice(0, SLUG_MAX);
    const lastDash = cut.lastIndexOf('-');
    slug = lastDash > SLUG_MAX / 2 ? cut.slice(0, lastDash) : cut;
  }
  return slug || fallback.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * `<date>_<prompt-slug>_<jobshort>_<n>.<ext>`: the job's UTC creation day, its prompt, the first 8
 * characters of its id, and the output's number as the app shows it (1–4; `grid` for the 4-up grid).
 */
export function exportFileName(
  job: Pick<JobRow, 'id' | 'createdAt' | 'prompt' | 'taskType'>,
  output: Pick<OutputRow, 'kind' | 'index'>,
  ext: string,
): string {
  const date = new Date(job.createdAt).toISOString().slice(0, 10);
  const number = output.kind === 'grid' ? 'grid' : String(output.index + 1);
  const bare = ext.replace(/^\./, '').toLowerCase();
  return `${date}_${promptSlug(job.prompt, job.taskType)}_${job.id.slice(0, 8)}_${number}.${bare}`;
}

/** `name.png` → `name-2.png` for `n = 2`. */
function withSuffix(name: string, n: number): string {
  const ext = path.extname(name);
  return n === 1 ? name : `${name.slice(0, name.length - ext.length)}-${n}${ext}`;
}

/** Copies `source` into `dir` as `name`, or the first free `name-N`; never replaces an existing file. */
async function copyWithoutOverwrite(source: string, dir: string, name: string): Promise<string> {
  for (let n = 1; n <= MAX_NAME_SUFFIX; n++) {
    const target = path.join(dir, withSuffix(name, n));
    try {
      // COPYFILE_EXCL makes "does it exist" and "write it" one step: no race with another writer.
      await copyFile(source, target, constants.COPYFILE_EXCL);
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new InvalidInputError(`The folder already holds ${MAX_NAME_SUFFIX} files named like ${name}.`);
}

function encodePath(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

const NOT_SAVED: Record<Exclude<OutputRow['state'], 'archived'>, string> = {
  remote: 'It is not saved in the library yet; GenVault is still downloading it.',
  downloading: 'It is not saved in the library yet; GenVault is still downloading it.',
  expired: 'It left the CDN before GenVault could save it, so there is no file to export.',
  error: 'Its download failed; retry the download from the job first.',
};

export function outputHandlers(
  ctx: HandlerContext,
): HandlerGroup<'library.reveal' | 'outputs.export' | 'outputs.copy'> {
  const library = ctx.vault.library;

  /**
   * The absolute path of an output's archived file, or why there is none. The path goes through the
   * same check as the media routes, so a tampered DB row cannot point outside the library.
   */
  const archivedFile = async (
    job: JobRow,
    kind: OutputKind,
    index: number,
  ): Promise<{ file: string; output: OutputRow } | { reason: string }> => {
    const output = library.getOutput(job.id, kind, index);
    if (!output) return { reason: `This job has no ${KIND_NOUN[kind]} ${index + 1}.` };
    if (output.state !== 'archived') return { reason: NOT_SAVED[output.state] };
    if (!output.path) return { reason: 'The file is missing from the library folder.' };
    const found = await resolveInside(library.root, encodePath(output.path), MEDIA_FOLDERS);
    if (!found.ok) return { reason: 'The file is missing from the library folder.' };
    return { file: found.file, output };
  };

  const chooseTarget = async (dir: string | null): Promise<string | null> => {
    if (dir !== null) {
      if (!path.isAbsolute(dir)) {
        throw new InvalidInputError('Give the full path of the folder to export to.', 'dir');
      }
      return path.resolve(dir);
    }
    if (!ctx.chooseFolder) {
      throw new InvalidInputError(
        'Give the folder to export to: a folder picker is only available in the desktop app.',
        'dir',
      );
    }
    return ctx.chooseFolder('Export to folder');
  };

  return {
    'library.reveal': async ({ id, kind, index }) => {
      if (!ctx.reveal) return { ok: false };
      if ((kind === undefined) !== (index === undefined)) {
        throw new InvalidInputError('Give both the kind and the number of the file to show.', 'index');
      }
      if (id === undefined) {
        await ctx.reveal(library.root);
        return { ok: true };
      }
      const job = library.resolveJobRef(id);
      if (kind !== undefined && index !== undefined) {
        const found = await archivedFile(job, kind, index);
        if ('file' in found) {
          await ctx.reveal(found.file);
          return { ok: true };
        }
      }
      // No single file to point at (not asked for, or not saved yet): the job's folder, else the library.
      const folder = library.absolute(mediaDirFor(job));
      await ctx.reveal(existsSync(folder) ? folder : library.root);
      return { ok: true };
    },

    'outputs.export': async ({ items, dir }) => {
      const target = await chooseTarget(dir);
      if (target === null) return null;
      await mkdir(target, { recursive: true });
      const info = await stat(target);
      if (!info.isDirectory()) throw new InvalidInputError(`${target} is not a folder.`, 'dir');

      const seen = new Set<string>();
      const skipped: Array<{ ref: OutputRef; reason: string }> = [];
      let written = 0;
      for (const ref of items) {
        const key = `${ref.id}:${ref.kind}:${ref.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let job: JobRow;
        try {
          job = library.resolveJobRef(ref.id);
        } catch (err) {
          if (!(err instanceof InvalidInputError)) throw err;
          skipped.push({ ref, reason: 'This job is not in the library.' });
          continue;
        }
        const found = await archivedFile(job, ref.kind, ref.index);
        if ('reason' in found) {
          skipped.push({ ref, reason: found.reason });
          continue;
        }
        const name = exportFileName(job, found.output, path.extname(found.file));
        await copyWithoutOverwrite(found.file, target, name);
        written += 1;
      }
      return { dir: target, written, skipped };
    },

    'outputs.copy': async ({ id, kind, index }) => {
      if (!ctx.copyImage) return { ok: false };
      if (kind === 'video') {
        throw new InvalidInputError('Only images can be copied; drag or export a video instead.', 'kind');
      }
      const found = await archivedFile(library.resolveJobRef(id), kind, index);
      if ('reason' in found) throw new InvalidInputError(found.reason, 'index');
      await ctx.copyImage(found.file);
      return { ok: true };
    },
  };
}
