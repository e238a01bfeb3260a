/**
 * `genvault sync` killed with SIGKILL while downloads are in flight, then run again: the second run
 * finishes the archive with every output on disk exactly once, verified, no temp files left, and no
 * job sent to the API a second time.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLibrary } from '../../src/main/core/library';
import { filesUnder, sha256File, until, useHarness } from '../core/harness';
import { useCli } from './support';

const harness = useHarness();
const cli = useCli();

const JOBS = 4;
const FINAL_NAME = /^(?:\d|grid)\.(?:png|mp4)$/;

describe('sync killed mid-download', () => {
  it('is finished by the next sync without duplicates, temp files or second submissions', async () => {
    const h = await harness.start();
    // Jobs sent (and accepted) by an earlier run that did not wait for them.
    await h.vault.start();
    const ids: string[] = [];
    for (let n = 0; n < JOBS; n++) {
      const view = h.vault.imagine(`a lighthouse, study ${n + 1}`);
      await h.vault.waitUntilSent(view.id);
      ids.push(view.id);
    }
    await h.vault.close();
    expect(h.posts()).toHaveLength(JOBS);

    const env = {
      HOME: h.dir,
      GENVAULT_LIBRARY: h.dir,
      LEGNEXT_BASE_URL: h.sim.url,
      LEGNEXT_API_KEY: h.sim.apiKey,
      GENVAULT_POLL_SCALE: '0.01',
    };
    const media = path.join(h.dir, 'media');
    const finalFiles = () =>
      existsSync(media) ? filesUnder(media).filter((f) => FINAL_NAME.test(path.basename(f))) : [];
    const tempFiles = () => filesUnder(h.dir).filter((f) => f.endsWith('.part'));

    // The CDN drips, so several downloads are running when the first file lands.
    h.sim.faults.add({ target: 'cdn', kind: 'slow', slowBytesPerSec: 300_000, times: 10_000 });
    const first = cli.start(['sync'], env);
    await until(() => finalFiles().length > 0 || first.child.exitCode !== null, 'the first archived file');
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(finalFiles().length).toBeLessThan(JOBS * 5);
    expect(tempFiles().length).toBeGreaterThan(0);

    h.sim.faults.clear();
    const second = await cli.run(['sync', '--json'], env);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ failed: 0, expired: 0, errors: 0 });

    const library = openLibrary(h.dir, { readonly: true });
    try {
      for (const id of ids) {
        const job = library.jobView(id);
        expect(job.status).toBe('completed');
        expect(job.outputs).toHaveLength(5);
        for (const output of job.outputs) {
          expect(output.state).toBe('archived');
          expect(sha256File(output.path!)).toBe(output.sha256);
        }
        // One file per output and the sidecar: nothing archived twice under another name.
        const dir = path.dirname(job.outputs[0]!.path!);
        expect(readdirSync(dir).sort()).toEqual(['0.png', '1.png', '2.png', '3.png', 'grid.png', 'job.json']);
      }
    } finally {
      library.close();
    }
    expect(tempFiles()).toEqual([]);
    expect(h.posts()).toHaveLength(JOBS);
  });
});
