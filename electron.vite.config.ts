/**
 * electron-vite build of the three processes:
 *  - main: src/main/index.ts → out/main (ES module, as the package is `"type": "module"`); every
 *    dependency stays external, loaded from node_modules at run time (better-sqlite3, keytar, sharp and
 *    the ffmpeg binary are native and cannot be bundled);
 *  - preload: src/preload/index.ts → out/preload/index.cjs. A sandboxed preload cannot load an ES
 *    module or require anything but `electron`, so it is one self-contained CommonJS file (electron-vite
 *    would emit `.mjs` for a `"type": "module"` package by default);
 *  - renderer: src/renderer (React) → out/renderer, with relative asset URLs for `genvault://app/`.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      lib: { entry: resolve(root, 'src/main/index.ts') },
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything (only `electron` stays a require) so the sandbox can load the single file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
