/**
 * Builds the renderer the way the app ships it (root `src/renderer`, output `out/renderer`, the same
 * folders electron-vite uses) so the e2e tests and the renderer benchmark serve the real bundle through
 * the web bridge. The build is skipped when no input changed since the last one: a stamp in the output
 * folder holds a hash of every source file the bundle is made from.
 *
 * Used as a vitest globalSetup (default export `setup`) and called by the e2e harness as well, so a run
 * that does not go through the globalSetup still gets a current bundle; a lock folder keeps two test
 * workers from building at once.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_ROOT = path.join(ROOT, 'src/renderer');
export const RENDERER_OUT = path.join(ROOT, 'out/renderer');
const STAMP = path.join(RENDERER_OUT, '.inputs-sha256');
const LOCK = path.join(ROOT, 'out/.renderer-build.lock');
/** A lock older than this was left by a crashed build. */
const STALE_LOCK_MS = 120_000;
const WAIT_FOR_LOCK_MS = 180_000;

const INPUTS = [
  RENDERER_ROOT,
  path.join(ROOT, 'src/shared'),
  path.join(ROOT, 'package-lock.json'),
  fileURLToPath(import.meta.url),
];

async function filesUnder(entry: string): Promise<string[]> {
  const info = await stat(entry);
  if (!info.isDirectory()) return [entry];
  const names = (await readdir(entry)).sort();
  const nested = await Promise.all(names.map((name) => filesUnder(path.join(entry, name))));
  return nested.flat();
}

async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await filesUnder(input)) {
      hash
        .update(path.relative(ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

async function isCurrent(expected: string): Promise<boolean> {
  try {
    const [stamp] = await Promise.all([readFile(STAMP, 'utf8'), stat(path.join(RENDERER_OUT, 'index.html'))]);
    return stamp.trim() === expected;
  } catch {
    return false;
  }
}

async function acquireLock(): Promise<void> {
  await mkdir(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + WAIT_FOR_LOCK_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await stat(LOCK).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline)
      throw new Error(`Timed out waiting for another renderer build (${LOCK}).`);
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Builds `out/renderer` unless it is already current; returns the folder. */
export async function ensureRendererBuilt(): Promise<string> {
  const expected = await inputsHash();
  if (await isCurrent(expected)) return RENDERER_OUT;
  await acquireLock();
  try {
    // Another worker may have finished the same build while this one waited for the lock.
    if (await isCurrent(expected)) return RENDERER_OUT;
    const [{ build }, { default: react }] = await Promise.all([
      import('vite'),
      import('@vitejs/plugin-react'),
    ]);
    // Under vitest NODE_ENV is "test": vite and the React plugin would then emit React's development
    // build and JSX. Ship what the app ships: a production bundle.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: false,
        root: RENDERER_ROOT,
        base: './',
        mode: 'production',
        logLevel: 'warn',
        plugins: [react()],
        build: { outDir: RENDERER_OUT, emptyOutDir: true, reportCompressedSize: false },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    await writeFile(STAMP, `${expected}\n`);
    return RENDERER_OUT;
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** vitest globalSetup entry. */
export async function setup(): Promise<void> {
  await ensureRendererBuilt();
}

export default setup;
