#!/usr/bin/env node
// The `genvault` command. It runs the bundle `npm ci` builds (out/cli/genvault.mjs, see
// scripts/build-cli.mjs) while that is newer than every source file, so it starts fast; after any
// change to the sources, or without a bundle, it runs the TypeScript sources through tsx instead.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'out/cli/genvault.mjs');
// What the CLI is built from: its own code, the core and the shared contract (not the renderer).
const SOURCES = ['src/cli', 'src/main/core', 'src/main/bridge', 'src/shared'];

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // An editor's lock link to nowhere, or a file saved away meanwhile, has no time to compare.
      else newest = Math.max(newest, statSync(full, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    }
  };
  for (const dir of SOURCES) walk(path.join(root, dir));
  return newest;
}

function bundleIsFresh() {
  try {
    const built = statSync(bundle, { throwIfNoEntry: false });
    return built !== undefined && built.mtimeMs > newestSource();
  } catch {
    // Any doubt (a folder that cannot be read) runs the sources, which are never stale.
    return false;
  }
}

if (bundleIsFresh()) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
