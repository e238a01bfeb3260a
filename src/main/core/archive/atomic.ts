/**
 * Atomic file placement: content goes to a hidden temp file in the destination folder (so the rename
 * never crosses a filesystem), is fsynced, renamed over the final name, and the folder entry is fsynced.
 * A crash leaves either the old file, the new file, or a stray `.part` — never a half-written final name.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveWriteError, systemErrorCode } from './errors';

/** `<dir>/.<baseName>.<random>.part`: hidden, unique per call, recognisable as leftover by its suffix. */
export function tempPathFor(dir: string, baseName: string): string {
  return path.join(dir, `.${baseName}.${randomBytes(6).toString('hex')}.part`);
}

const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.part$/;

/**
 * Deletes temp files a crash left in `dir` and returns how many. Only for start-up: a download running
 * into the same folder would lose its temp file.
 */
export async function removeStrayTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (systemErrorCode(err) === 'ENOENT') return 0;
    throw err;
  }
  const strays = names.filter((name) => TEMP_NAME.test(name));
  await Promise.all(strays.map((name) => rm(path.join(dir, name), { force: true })));
  return strays.length;
}

export async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ArchiveWriteError(dir, err);
  }
}

/**
 * Makes a rename inside `dir` durable. Windows cannot open a directory for syncing and journals renames
 * itself, so there it is a no-op.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves a finished temp file onto its final name and makes the move durable. */
export async function commitTempFile(tempPath: string, finalPath: string): Promise<void> {
  try {
    await rename(tempPath, finalPath);
    await fsyncDirectory(path.dirname(finalPath));
  } catch (err) {
    throw new ArchiveWriteError(finalPath, err);
  }
}

/** Writes `data` to `dest` atomically, creating the folder if needed. */
export async function writeFileAtomic(dest: string, data: Uint8Array): Promise<void> {
  const dir = path.dirname(dest);
  await ensureDirectory(dir);
  const tempPath = tempPathFor(dir, path.basename(dest));
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(tempPath, { force: true });
    throw new ArchiveWriteError(dest, err);
  }
  try {
    await commitTempFile(tempPath, dest);
  } catch (err) {
    await rm(tempPath, { force: true });
    throw err;
  }
}
