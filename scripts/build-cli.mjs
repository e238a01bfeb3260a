// Bundles the command line (src/cli/main.ts and the core it uses) into out/cli/genvault.mjs, so
// `genvault` starts without compiling TypeScript on every run; bin/genvault.js uses the bundle while
// it is newer than every source file it was built from, and runs the sources through tsx otherwise.
// Runs after `npm ci`/`npm install` (postinstall) and in `npm run build`. Dependencies stay external.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outfile = path.join(root, 'out/cli/genvault.mjs');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Without esbuild (a production-only install) the CLI still runs, from its sources.
  console.warn('genvault: esbuild is not installed; the CLI will run from its TypeScript sources.');
  process.exit(0);
}

mkdirSync(path.dirname(outfile), { recursive: true });
await esbuild.build({
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
});
