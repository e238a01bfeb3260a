/**
 * The library commands of `genvault` (import, list, search, show, tag, rebuild, remove, key status), run as the
 * real `bin/genvault.js` in child processes against the simulator on one shared library folder.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobViewSchema, type JobView, type Page } from '../../src/shared/domain';
import { startLegnextSim, type LegnextSim } from '../sim/legnext/index';
import { lines, useCli } from './support';

const cli = useCli('file');
let sim: LegnextSim;

beforeAll(async () => {
  sim = await startLegnextSim({ apiKey: 'sk-cli-5f0e2d9c8b7a' });
});
afterAll(async () => {
  await sim.close();
});

/** The environment of a scripted run: the simulator, the library folder, fast polling. */
function envFor(library: string): Record<string, string> {
  return {
    HOME: library,
    GENVAULT_LIBRARY: library,
    LEGNEXT_BASE_URL: sim.url,
    LEGNEXT_API_KEY: sim.apiKey,
    GENVAULT_POLL_SCALE: '0.01',
  };
}

describe('library commands', () => {
  let library: string;
  let made: JobView;
  let imported: JobView;

  beforeAll(async () => {
    library = cli.tempDir();
    const r = await cli.run(['imagine', 'a lighthouse on a cliff', '--wait', '--json'], envFor(library));
    expect(r.code).toBe(0);
    made = JSON.parse(r.stdout) as JobView;
  });

  it('imports a job by its Legnext id and archives it', async () => {
    const remoteId = sim.seedJob({ taskType: 'diffusion', prompt: 'a seeded harbour' });
    const r = await cli.run(['import', remoteId, '--json'], envFor(library));

    expect(r.code).toBe(0);
    const page = JSON.parse(r.stdout) as Page<JobView>;
    expect(page.items).toHaveLength(1);
    imported = jobViewSchema.parse(page.items[0]);
    expect(imported.remoteId).toBe(remoteId);
    expect(imported.outputs.map((o) => o.state)).toEqual(Array(5).fill('archived'));
  });

  it('lists, searches and shows jobs', async () => {
    const list = JSON.parse((await cli.run(['list', '--json'], envFor(library))).stdout) as Page<JobView>;
    expect(list.items.map((j) => j.id).sort()).toEqual([made.id, imported.id].sort());
    const stacked = JSON.parse((await cli.run(['list', '--stacked', '--json'], envFor(library))).stdout) as {
      stacks: Record<string, { jobs: number }>;
    };
    expect(stacked.stacks).toEqual({
      [made.id]: { rootId: made.id, jobs: 1 },
      [imported.id]: { rootId: imported.id, jobs: 1 },
    });

    const found = JSON.parse(
      (await cli.run(['search', 'cliff', '--json'], envFor(library))).stdout,
    ) as Page<JobView>;
    expect(found.items.map((j) => j.id)).toEqual([made.id]);

    const shown = await cli.run(['show', made.id.slice(0, 13), '--json'], envFor(library));
    expect(shown.code).toBe(0);
    expect(jobViewSchema.parse(JSON.parse(shown.stdout)).id).toBe(made.id);

    const human = await cli.run(['show', made.remoteId!], envFor(library));
    expect(human.stdout.split('\n')[0]).toMatch(new RegExp(`^${made.id}\\s+diffusion\\s+completed`));

    const none = await cli.run(['show', 'ffffffffffff'], envFor(library));
    expect(none.code).toBe(2);
    expect(lines(none.stderr)).toEqual([expect.stringMatching(/No job matches/)]);
  });

  it('tags a job, finds it by a tag, removes one, and refuses a tag too long', async () => {
    const tagged = await cli.run(
      ['tag', made.id, 'Golden hour', 'coast', 'coast ', '--json'],
      envFor(library),
    );
    expect(tagged.code).toBe(0);
    expect(JSON.parse(tagged.stdout)).toEqual({ id: made.id, tags: ['coast', 'Golden hour'] });

    const found = JSON.parse(
      (await cli.run(['search', 'golden', '--json'], envFor(library))).stdout,
    ) as Page<JobView>;
    expect(found.items.map((j) => j.id)).toEqual([made.id]);

    const removed = await cli.run(['tag', made.id, 'GOLDEN HOUR', '--remove'], envFor(library));
    expect(removed.code).toBe(0);
    expect(removed.stdout.trim()).toBe('coast');
    expect((await cli.run(['show', made.id], envFor(library))).stdout).toContain('  tags: coast\n');

    const long = await cli.run(['tag', made.id, 'x'.repeat(101)], envFor(library));
    expect(long.code).toBe(2);
    expect(lines(long.stderr)).toEqual(['A tag can be at most 100 characters long.']);
  });

  it('rebuilds the same library from the folder after the database is deleted', async () => {
    const before = JSON.parse((await cli.run(['list', '--json'], envFor(library))).stdout) as Page<JobView>;
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(path.join(library, `genvault.db${suffix}`), { force: true });

    const empty = JSON.parse((await cli.run(['list', '--json'], envFor(library))).stdout) as Page<JobView>;
    expect(empty.items).toEqual([]);
    const r = await cli.run(['rebuild', '--json'], envFor(library));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ jobs: 2, outputs: 10, missingFiles: 0 });

    const after = JSON.parse((await cli.run(['list', '--json'], envFor(library))).stdout) as Page<JobView>;
    expect(after).toEqual(before);
  });

  it('removes a job only with --yes, deleting its files', async () => {
    const asked = await cli.run(['remove', imported.id], envFor(library));
    expect(asked.code).toBe(2);
    expect(lines(asked.stderr)).toEqual([
      'This deletes this job and its files for good; add --yes to do it.',
      `  ${imported.id}  ${imported.prompt ?? imported.taskType}`,
    ]);
    const folder = path.dirname(path.resolve(library, imported.outputs[0]!.path!));
    expect(existsSync(folder)).toBe(true);

    const r = await cli.run(['remove', imported.id, '--yes', '--json'], envFor(library));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ removed: [imported.id], filesTo: 'deleted' });
    expect(existsSync(folder)).toBe(false);
    const list = JSON.parse((await cli.run(['list', '--json'], envFor(library))).stdout) as Page<JobView>;
    expect(list.items.map((j) => j.id)).toEqual([made.id]);
  });

  it('shows only the last four characters of the key', async () => {
    const human = await cli.run(['key', 'status'], envFor(library));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(sim.apiKey.slice(-4));
    expect(human.stdout).toMatch(/environment/);
    expect(human.stdout + human.stderr).not.toContain(sim.apiKey);

    const json = await cli.run(['key', 'status', '--json'], envFor(library));
    expect(JSON.parse(json.stdout)).toEqual({
      provider: 'legnext',
      set: true,
      last4: sim.apiKey.slice(-4),
      source: 'env',
    });
    expect(json.stdout).not.toContain(sim.apiKey);
  });
});
