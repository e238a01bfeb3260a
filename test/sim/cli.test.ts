import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

function start(args: string[]): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

/** Resolves with the first match of `pattern` in the output, or rejects when the process ends first. */
function waitFor(proc: ChildProcess, output: () => string, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = output().match(pattern);
      if (m) {
        proc.stdout?.off('data', check);
        resolve(m);
      }
    };
    proc.stdout?.on('data', check);
    proc.once('exit', () => reject(new Error(`exited before printing ${pattern}: ${output()}`)));
    check();
  });
}

describe('npm run sim', () => {
  it('serves the API with the given key, prints how to use it, and stops cleanly on Ctrl-C', async () => {
    const { proc, output, exited } = start(['--port', '0', '--key', 'cli-key', '--speed', '1']);
    const [, url] = await waitFor(
      proc,
      output,
      /LEGNEXT_BASE_URL=(http:\/\/127\.0\.0\.1:\d+) LEGNEXT_API_KEY=cli-key/,
    );

    const ok = await request(`${url}/api/account/balance`, { headers: { 'x-api-key': 'cli-key' } });
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.json()).toMatchObject({ code: 200, data: { available_credits: 100_000 } });
    const denied = await request(`${url}/api/account/balance`, { headers: { 'x-api-key': 'test-key' } });
    expect(denied.statusCode).toBe(401);
    await denied.body.dump();
    await waitFor(proc, output, /GET \/api\/account\/balance/);

    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output()).toContain('Stopped (SIGINT).');
  });

  it('refuses a bad option with exit status 2', async () => {
    const { exited, output } = start(['--speed', 'fast']);
    expect(await exited).toBe(2);
    expect(output()).toContain('--speed must be a positive number');
  });
});
