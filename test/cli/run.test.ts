/**
 * The `genvault` command as a script sees it: the real `bin/genvault.js` in a child process against
 * the simulator. Output shapes (one JSON document with `--json`), exit codes and one-line errors.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobViewSchema } from '../../src/shared/domain';
import { sha256File } from '../core/harness';
import { startLegnextSim, type LegnextSim } from '../sim/legnext/index';
import { lines, useCli } from './support';

const cli = useCli();
let sim: LegnextSim;

beforeAll(async () => {
  sim = await startLegnextSim({ apiKey: 'sk-cli-5f0e2d9c8b7a' });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.faults.clear();
  sim.setCredits(100_000);
});

/** The environment of a scripted run: the simulator, a fresh library, fast polling. */
function envFor(library: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: library,
    GENVAULT_LIBRARY: library,
    LEGNEXT_BASE_URL: sim.url,
    LEGNEXT_API_KEY: sim.apiKey,
    GENVAULT_POLL_SCALE: '0.01',
    ...extra,
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('imagine --wait --json', () => {
  it('prints exactly one job document with five archived outputs and exits 0', async () => {
    const library = cli.tempDir();
    const r = await cli.run(['imagine', 'a lighthouse at dusk', '--wait', '--json'], envFor(library));

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const job = jobViewSchema.parse(JSON.parse(r.stdout));
    expect(job.status).toBe('completed');
    expect(job.prompt).toBe('a lighthouse at dusk');
    expect(job.outputs).toHaveLength(5);
    for (const output of job.outputs) {
      expect(output.state).toBe('archived');
      expect(output.path!.startsWith(library)).toBe(true);
      expect(sha256File(output.path!)).toBe(output.sha256);
    }
  });

  it('prints progress on stderr and a summary on stdout without --json', async () => {
    const library = cli.tempDir();
    const r = await cli.run(['imagine', 'a lighthouse at dawn', '--wait'], envFor(library));

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/diffusion {2}completed/);
    expect(lines(r.stdout).filter((l) => /archived/.test(l))).toHaveLength(5);
    expect(lines(r.stderr).at(-1)).toMatch(/5\/5 files archived/);
  });
});

describe('exit codes and errors', () => {
  it('exits 2 on an unknown flag, sending nothing', async () => {
    const before = sim.requests.length;
    const r = await cli.run(['imagine', 'a lighthouse', '--bogus'], envFor(cli.tempDir()));

    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/--bogus/);
    expect(r.stdout).toBe('');
    expect(sim.requests).toHaveLength(before);
  });

  it('exits 2 on a prompt flag the model refuses, with one JSON error document', async () => {
    const before = sim.requests.length;
    const r = await cli.run(['imagine', 'a lighthouse --v 8.1 --q 2', '--json'], envFor(cli.tempDir()));

    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { error: { kind: string; message: string } };
    expect(doc).toEqual({ error: { kind: 'invalid', message: expect.stringMatching(/--q/) as string } });
    expect(lines(r.stderr)).toEqual([doc.error.message]);
    expect(sim.requests).toHaveLength(before);
  });

  it('exits 2 on a bad GENVAULT_POLL_SCALE', async () => {
    const r = await cli.run(['list'], envFor(cli.tempDir(), { GENVAULT_POLL_SCALE: 'fast' }));
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/GENVAULT_POLL_SCALE/)]);
  });

  it('exits 3 when the API rejects the key', async () => {
    const r = await cli.run(
      ['imagine', 'a lighthouse'],
      envFor(cli.tempDir(), { LEGNEXT_API_KEY: 'sk-wrong-1111' }),
    );

    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/did not accept the API key/)]);
    expect(r.stderr).not.toContain('sk-wrong-1111');
  });

  it('exits 3 when the account is out of credits, with a JSON error', async () => {
    sim.setCredits(0);
    const r = await cli.run(['imagine', 'a lighthouse', '--json'], envFor(cli.tempDir()));

    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { kind: 'rejected', message: expect.stringMatching(/out of credits/) as string },
    });
    expect(lines(r.stderr)).toHaveLength(1);
  });

  it('exits 1 when the job fails', async () => {
    const r = await cli.run(
      ['imagine', 'a lighthouse simulate:fail', '--wait', '--json'],
      envFor(cli.tempDir()),
    );

    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        kind: 'failed',
        message: expect.stringMatching(/^The job failed: .*failed while generating/) as string,
      },
    });
    expect(lines(r.stderr)).toHaveLength(1);
  });

  it('exits 4 when the API cannot be reached after the retries', async () => {
    const port = await closedPort();
    const r = await cli.run(
      ['imagine', 'a lighthouse'],
      envFor(cli.tempDir(), { LEGNEXT_BASE_URL: `http://127.0.0.1:${port}` }),
    );

    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/could not be reached after 6 attempts/)]);
  });
});
