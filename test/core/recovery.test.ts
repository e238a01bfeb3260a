/**
 * Stopping and starting again: a Vault reopened on the same folder finishes what the last one left
 * (jobs in flight, downloads cut short) without sending any job twice, and a submit whose answer was
 * lost is adopted from `/account/active_tasks` or failed, never sent again on a guess.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { mediaDirFor } from '../../src/main/core/library';
import { DAY_MS } from '../../src/shared/domain';
import { filesUnder, jobEvent, nextEvent, settled, sha256File, useHarness, type Harness } from './harness';

const harness = useHarness();

/** What a run that died mid-POST leaves: the row, with a send time and no remote id. */
function interruptedSubmit(h: Harness, prompt: string): string {
  const view = h.vault.imagine(prompt);
  h.vault.library.updateJob(view.id, { submittedAt: h.now() });
  return view.id;
}

/** The POST of that run, as it reached the API before the process died. */
async function postDirectly(h: Harness, prompt: string): Promise<string> {
  const res = await request(`${h.sim.url}/api/v1/diffusion`, {
    method: 'POST',
    headers: { 'x-api-key': h.sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ text: prompt }),
  });
  expect(res.statusCode).toBe(200);
  return ((await res.body.json()) as { job_id: string }).job_id;
}

describe('restart', () => {
  it('resumes jobs in flight and cut-short downloads in a new Vault, sending nothing twice', async () => {
    const h = await harness.start();
    // Downloads crawl, so the first job is still downloading when the Vault stops.
    h.sim.faults.add({ target: 'cdn', kind: 'slow', slowBytesPerSec: 50_000, times: 1000 });
    await h.vault.start();
    const first = h.vault.imagine('a windmill');
    await nextEvent(h.vault, 'download', (e) => e.jobId === first.id);
    const second = h.vault.imagine('a second windmill');
    await jobEvent(h.vault, second.id, (j) => j.status === 'queued');
    await h.vault.close();

    const reopened = await h.reopen();
    const firstRow = reopened.library.getJob(first.id)!;
    expect(firstRow.status).toBe('completed');
    expect(reopened.library.outputsOf(first.id).some((o) => o.state === 'remote')).toBe(true);
    expect(reopened.library.outputsOf(first.id).some((o) => o.state === 'downloading')).toBe(false);
    expect(reopened.library.getJob(second.id)!.status).toBe('queued');
    // A temp file a killed run would have left behind.
    const mediaDir = path.join(h.dir, ...mediaDirFor(firstRow).split('/'));
    mkdirSync(mediaDir, { recursive: true });
    writeFileSync(path.join(mediaDir, '.grid.0123456789ab.part'), 'half a file');

    h.sim.faults.clear();
    await reopened.start();
    const summary = await reopened.sync();

    expect(summary).toMatchObject({ jobs: 2, completed: 2, failed: 0, archived: 10, expired: 0, errors: 0 });
    for (const id of [first.id, second.id]) {
      const job = reopened.show(id);
      expect(job.outputs.every((o) => o.state === 'archived' && sha256File(o.path!) === o.sha256)).toBe(true);
    }
    expect(h.posts()).toHaveLength(2);
    expect(filesUnder(h.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('a submit whose answer was lost', () => {
  it('is adopted from the active tasks when the answer to the POST is cut off', async () => {
    const h = await harness.start({ sim: { durations: { pending: 300, staged: 300, processing: 300 } } });
    h.sim.faults.add({ target: 'submit', kind: 'truncate' });
    await h.vault.start();
    const view = h.vault.imagine('a tower of books');
    const done = await settled(h.vault, view.id);

    expect(done.status).toBe('completed');
    expect(done.outputs.every((o) => o.state === 'archived')).toBe(true);
    expect(h.posts()).toHaveLength(1);
    expect(h.sim.requests.some((r) => r.path === '/api/account/active_tasks')).toBe(true);
    expect(h.sim.credits()).toBe(100_000 - done.cost.consumed);
  });

  it('is adopted at start-up when the provider lists it', async () => {
    const h = await harness.start({ sim: { durations: { pending: 300, staged: 300, processing: 300 } } });
    const id = interruptedSubmit(h, 'a tower of clocks');
    const remoteId = await postDirectly(h, 'a tower of clocks');

    await h.vault.start();
    const done = await settled(h.vault, id);
    expect(done.status).toBe('completed');
    expect(done.remoteId).toBe(remoteId);
    expect(h.posts()).toHaveLength(1);
  });

  it('fails at start-up with a plain reason when the provider does not list it, and is not sent', async () => {
    const h = await harness.start();
    const id = interruptedSubmit(h, 'a tower of cards');

    await h.vault.start();
    await expect(settled(h.vault, id)).rejects.toThrow(/not sent again/);
    const job = h.vault.show(id);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('interrupted');
    expect(h.posts()).toHaveLength(0);
    // Retry is the user's explicit choice and sends it once.
    const retried = h.vault.retry(id);
    expect((await settled(h.vault, retried.id)).status).toBe('completed');
    expect(h.posts()).toHaveLength(1);
  });

  it('waits to decide while the provider cannot be asked', async () => {
    const h = await harness.start({ sim: { durations: { pending: 300, staged: 300, processing: 300 } } });
    const id = interruptedSubmit(h, 'a tower of shells');
    const remoteId = await postDirectly(h, 'a tower of shells');
    h.sim.faults.add({ target: 'any', kind: 'status503', pathIncludes: '/account/active_tasks', times: 2 });

    await h.vault.start();
    const done = await settled(h.vault, id);
    expect(done.status).toBe('completed');
    expect(done.remoteId).toBe(remoteId);
    expect(h.sim.requests.filter((r) => r.path === '/api/account/active_tasks')).toHaveLength(3);
    expect(h.posts()).toHaveLength(1);
  });
});

describe('a jump of the wall clock', () => {
  it('does not leave the scheduler asleep on a wake-up time that has already passed', async () => {
    const h = await harness.start();
    await h.vault.start();
    await settled(h.vault, h.vault.imagine('a quiet harbour').id);
    // Idle: the scheduler sleeps until its next recheck, a few seconds ahead on the queue's clock.
    await expect.poll(() => h.vault.queue.nextWakeAt - h.now()).toBeGreaterThan(1000);

    // The machine slept for a day: the recheck time is in the past, but its timer has not fired.
    h.advance(DAY_MS);
    const before = h.now();
    const job = h.vault.imagine('a second harbour');
    // The new job re-armed the scheduler for now, not for the stale time a day ago.
    expect(h.vault.queue.nextWakeAt).toBeGreaterThanOrEqual(before);
    expect(h.vault.queue.nextWakeAt).toBeLessThanOrEqual(h.now());
    await settled(h.vault, job.id);
  });
});
