/**
 * Runs the real `bin/genvault.js` as a child process against the simulator. Every child is bounded in
 * time and killed (by its pid) after the test if it is still running; every temp folder is removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';

export const BIN = fileURLToPath(new URL('../../bin/genvault.js', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  done: Promise<RunResult>;
}

const RUN_LIMIT_MS = 30_000;

/** Children and folders of the calling test file, released after each test (or after the file). */
export function useCli(scope: 'each' | 'file' = 'each') {
  const running = new Set<Running>();
  const dirs: string[] = [];
  (scope === 'each' ? afterEach : afterAll)(async () => {
    for (const { child, done } of running) {
      child.kill('SIGKILL');
      await done.catch(() => undefined);
    }
    running.clear();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    tempDir(prefix = 'genvault-cli-'): string {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    /** Starts `genvault …args` with exactly `env` (plus PATH); the result resolves when it exits. */
    start(args: string[], env: Record<string, string>): Running {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const done = new Promise<RunResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`genvault ${args.join(' ')} did not exit within ${RUN_LIMIT_MS} ms.\n${stderr}`));
        }, RUN_LIMIT_MS);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          running.delete(handle);
          resolve({ code, signal, stdout, stderr });
        });
      });
      const handle: Running = { child, done };
      running.add(handle);
      return handle;
    },
    run(args: string[], env: Record<string, string>): Promise<RunResult> {
      return this.start(args, env).done;
    },
  };
}

/** Non-empty lines of a stream's text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
