/**
 * A job's whole life through the Vault against the simulator: submit, poll, archive verified files,
 * write the sidecar; then what the CDN's 30 days and imports of jobs made elsewhere do to it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, jobViewSchema } from '../../src/shared/domain';
import { filesUnder, imagined, jobEvent, settled, sha256File, useHarness } from './harness';

const harness = useHarness();

describe('imagine', () => {
  it('archives the grid and four images with their recorded sha256 and writes a sidecar without the key', async () => {
    const h = await harness.start();
    const done = await imagined(h, 'a lighthouse at dusk --ar 3:2');

    expect(jobViewSchema.parse(done).status).toBe('completed');
    expect(done.remoteId).toMatch(/^[0-9a-f-]{36}$/);
    expect(done.outputs.map((o) => `${o.kind}${o.index}`).sort()).toEqual([
      'grid0',
      'image0',
      'image1',
      'image2',
      'image3',
    ]);
    for (const output of done.outputs) {
      expect(output.state).toBe('archived');
      expect(output.path).not.toBeNull();
      expect(existsSync(output.path!)).toBe(true);
      expect(sha256File(output.path!)).toBe(output.sha256);
      expect(readFileSync(output.path!).length).toBe(output.bytes);
      expect(output.thumbPath !== null && existsSync(output.thumbPath)).toBe(true);
      // The CDN's copy and ours are the same bytes.
      const cdn = Buffer.from(await (await fetch(output.url!)).arrayBuffer());
      expect(createHash('sha256').update(cdn).digest('hex')).toBe(output.sha256);
    }
    // 3:2 images are wider than tall.
    const image = done.outputs.find((o) => o.kind === 'image')!;
    expect(image.width!).toBeGreaterThan(image.height!);

    const row = h.vault.library.getJob(done.id)!;
    expect(row.archiveState).toBe('archived');
    expect(h.posts('diffusion')).toHaveLength(1);
    expect(h.posts('diffusion')[0]!.body).toEqual({ text: 'a lighthouse at dusk --ar 3:2' });

    const sidecar = path.join(path.dirname(done.outputs[0]!.path!), 'job.json');
    const saved = JSON.parse(readFileSync(sidecar, 'utf8')) as {
      id: string;
      remoteId: string;
      outputs: unknown[];
    };
    expect(saved.id).toBe(done.id);
    expect(saved.remoteId).toBe(done.remoteId);
    expect(saved.outputs).toHaveLength(5);

    // The key reaches the API (the simulator accepted it) and nothing in the library folder.
    await h.vault.close();
    const files = filesUnder(h.dir);
    expect(files.some((f) => f.endsWith('genvault.db'))).toBe(true);
    for (const file of files) {
      expect(readFileSync(file).includes(h.sim.apiKey), file).toBe(false);
    }
  });
});

describe('the CDN deletes outputs after 30 days', () => {
  it('marks outputs nobody downloaded in time as expired, not as errors', async () => {
    const h = await harness.start();
    await h.vault.start();
    const view = h.vault.imagine('a glacier');
    // Stop the moment the job completes: the queue emits this before it schedules any download.
    await jobEvent(h.vault, view.id, (j) => j.status === 'completed').then(() => h.vault.close());

    h.advance(31 * DAY_MS);
    const vault = await h.reopen();
    expect(vault.library.outputsOf(view.id).every((o) => o.state === 'remote')).toBe(true);
    await vault.start();
    const done = await settled(vault, view.id);

    expect(done.status).toBe('completed');
    expect(done.outputs).toHaveLength(5);
    for (const output of done.outputs) {
      expect(output.state).toBe('expired');
      expect(output.path).toBeNull();
      expect(output.error).toMatch(/30 days/);
    }
    expect(vault.library.getJob(view.id)!.archiveState).toBe('expired');
    const mediaFiles = filesUnder(h.dir).filter((f) => f.includes(view.id) && !f.endsWith('job.json'));
    expect(mediaFiles).toEqual([]);
  });
});

describe('import', () => {
  it('adds a completed job made elsewhere and archives its outputs', async () => {
    const h = await harness.start();
    const remoteId = h.sim.seedJob({ taskType: 'diffusion', prompt: 'an old map of the harbour --ar 1:1' });
    await h.vault.start();
    const [imported] = await h.vault.importJobs([remoteId]);
    expect(imported!.remoteId).toBe(remoteId);
    expect(imported!.taskType).toBe('diffusion');

    const done = await settled(h.vault, imported!.id);
    expect(done.status).toBe('completed');
    expect(done.outputs).toHaveLength(5);
    expect(done.outputs.every((o) => o.state === 'archived' && sha256File(o.path!) === o.sha256)).toBe(true);
    expect(h.posts()).toHaveLength(0);

    // Importing it again finds the same row.
    const [again] = await h.vault.importJobs([remoteId]);
    expect(again!.id).toBe(imported!.id);
    expect(h.vault.list().items).toHaveLength(1);
  });

  it('records a failed job as failed with its error', async () => {
    const h = await harness.start();
    const remoteId = h.sim.seedJob({ taskType: 'diffusion', status: 'failed', prompt: 'a broken mirror' });
    await h.vault.start();
    const [imported] = await h.vault.importJobs([remoteId]);
    expect(imported!.status).toBe('failed');
    expect(imported!.error?.message).toMatch(/failed while generating/);
    expect(imported!.outputs).toEqual([]);
  });
});
