/**
 * The ways the API and the CDN fail, injected in the simulator, and what the queue makes of each:
 * retry (honouring Retry-After), resume a broken download, keep a web page out of the library, pause
 * on a key or credit problem until the user acts, fail on a content-policy refusal.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import { mediaDirFor } from '../../src/main/core/library';
import type { QueueEvent } from '../../src/main/core/queue/queue';
import { jobEvent, nextEvent, settled, sha256File, useHarness, type Harness } from './harness';

const harness = useHarness();

async function imagineToTheEnd(h: Harness, prompt = 'a lighthouse in a storm'): Promise<JobView> {
  await h.vault.start();
  return settled(h.vault, h.vault.imagine(prompt).id);
}

function expectArchived(job: JobView): void {
  expect(job.status).toBe('completed');
  expect(job.outputs).toHaveLength(5);
  for (const output of job.outputs) {
    expect(output.state).toBe('archived');
    expect(sha256File(output.path!)).toBe(output.sha256);
  }
}

const polls = (h: Harness) =>
  h.sim.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/job/'));

describe('server errors and rate limits', () => {
  it('retries a submit after a 500 and a poll after a 502', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'submit', kind: 'status500' });
    h.sim.faults.add({ target: 'poll', kind: 'status502' });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    expect(h.posts('diffusion')).toHaveLength(2);
    expect(h.sim.faults.pending()).toBe(0);
    // One job was made and paid for.
    expect(h.sim.credits()).toBe(100_000 - job.cost.consumed);
  });

  it('retries after a 429 without Retry-After on its own backoff', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'submit', kind: 'rate429' });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    const [first, second] = h.posts('diffusion');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(20);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'submit', kind: 'rate429RetryAfter', retryAfterSec: 1 });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    const [first, second] = h.posts('diffusion');
    // The queue's own backoff here is 20 ms: the gap is the server's.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('retries a poll whose body is not JSON, or JSON without a job id', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'poll', kind: 'malformedJson' });
    h.sim.faults.add({ target: 'poll', kind: 'malformedJson', malformed: 'missingJobId' });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    expect(h.sim.faults.pending()).toBe(0);
    expect(polls(h).length).toBeGreaterThanOrEqual(3);
  });
});

describe('broken connections', () => {
  it('asks for the job before sending again when a submit connection is reset', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'submit', kind: 'reset' });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    const paths = h.sim.requests.map((r) => `${r.method} ${r.path}`);
    const firstPost = paths.indexOf('POST /api/v1/diffusion');
    expect(paths.indexOf('GET /api/account/active_tasks')).toBeGreaterThan(firstPost);
    // The reset came before the API saw the request: sending it again made the only job.
    expect(h.posts('diffusion')).toHaveLength(2);
    expect(h.sim.credits()).toBe(100_000 - job.cost.consumed);
  });

  it('retries polls whose connection is reset', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'poll', kind: 'reset', times: 2 });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    expect(h.sim.faults.pending()).toBe(0);
    expect(h.posts()).toHaveLength(1);
  });
});

describe('CDN faults', () => {
  it('resumes a truncated download with a Range request and verifies the file', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'cdn', kind: 'truncate', pathIncludes: '_0.png' });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    const image0 = h.sim.requests.filter((r) => r.path.endsWith('_0.png'));
    expect(image0.length).toBeGreaterThanOrEqual(2);
    expect(image0.at(-1)!.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
    // Resumed within the same attempt: the output never went to error.
    expect(h.vault.library.getOutput(job.id, 'image', 0)!.attempts).toBe(0);
  });

  it('archives outputs the CDN drips slowly, reporting progress on the way', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'cdn', kind: 'slow', slowBytesPerSec: 1_500_000, times: 5 });
    const job = await imagineToTheEnd(h);

    expectArchived(job);
    expect(h.sim.faults.pending()).toBe(0);
    const progress = h.events.filter(
      (e): e is Extract<QueueEvent, { type: 'download' }> => e.type === 'download' && e.jobId === job.id,
    );
    expect(progress.some((e) => e.total !== null && e.received < e.total)).toBe(true);
  });

  it('keeps a web page served as the image out of the library and archives the image once the CDN recovers', async () => {
    const h = await harness.start();
    h.sim.faults.add({ target: 'cdn', kind: 'html200', pathIncludes: '_1.png' });
    await h.vault.start();
    const submitted = h.vault.imagine('a lighthouse in fog');
    const errorView = await jobEvent(h.vault, submitted.id, (j) =>
      j.outputs.some((o) => o.kind === 'image' && o.index === 1 && o.state === 'error'),
    );
    // Checked while the output is in error: neither the page nor a temp file of it is on disk.
    const jobDir = path.join(h.dir, ...mediaDirFor(h.vault.library.getJob(submitted.id)!).split('/'));
    const filesOfImage1 = existsSync(jobDir)
      ? readdirSync(jobDir).filter((name) => /^\.?1\./.test(name))
      : [];
    expect(filesOfImage1).toEqual([]);
    const image1 = errorView.outputs.find((o) => o.kind === 'image' && o.index === 1)!;
    expect(image1.path).toBeNull();
    expect(image1.error).toMatch(/web page/);

    const job = await settled(h.vault, submitted.id);
    expectArchived(job);
    expect(h.sim.requests.filter((r) => r.path.endsWith('_1.png')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('problems only the user can fix', () => {
  it('pauses on a rejected key with a plain reason and resumes when a key is set', async () => {
    const h = await harness.start({ key: 'sk-wrong-0000' });
    await h.vault.start();
    const paused = nextEvent(h.vault, 'paused');
    const submitted = h.vault.imagine('a lighthouse at noon');
    const event = await paused;

    expect(event.provider).toBe('legnext');
    expect(event.reason).toMatch(/did not accept the API key/);
    expect(event.reason.split('\n')).toHaveLength(1);
    expect(h.vault.queue.pausedProviders()).toEqual([
      { provider: 'legnext', reason: event.reason, status: 401 },
    ]);
    const waiting = h.vault.library.getJob(submitted.id)!;
    expect(waiting.status).toBe('submitting');
    expect(waiting.submittedAt).toBeNull();
    expect(h.posts()).toHaveLength(1);

    const resumed = nextEvent(h.vault, 'resumed');
    await h.vault.setKey(h.sim.apiKey);
    await resumed;
    expectArchived(await settled(h.vault, submitted.id));
    expect(h.posts()).toHaveLength(2);
    expect(h.vault.queue.pausedProviders()).toEqual([]);
  });

  it('pauses polling when the key stops working mid-job and picks the job up again', async () => {
    const h = await harness.start({ sim: { durations: { pending: 300, staged: 300, processing: 300 } } });
    await h.vault.start();
    const submitted = h.vault.imagine('a lighthouse at tea time');
    await jobEvent(h.vault, submitted.id, (j) => j.status === 'queued');
    const paused = nextEvent(h.vault, 'paused');
    h.backend.values.set('legnext', 'sk-revoked-2222');
    expect((await paused).reason).toMatch(/did not accept the API key/);
    // The job is not failed or forgotten: it waits, still in flight on Legnext's side.
    expect(['queued', 'running']).toContain(h.vault.library.getJob(submitted.id)!.status);

    await h.vault.setKey(h.sim.apiKey);
    expectArchived(await settled(h.vault, submitted.id));
    expect(h.posts()).toHaveLength(1);
  });

  it('pauses when the account is out of credits and resumes after a top-up', async () => {
    const h = await harness.start();
    h.sim.setCredits(0);
    await h.vault.start();
    const paused = nextEvent(h.vault, 'paused');
    const submitted = h.vault.imagine('a lighthouse at night');
    const event = await paused;

    expect(event.reason).toMatch(/out of credits/);
    expect(h.vault.library.getJob(submitted.id)!.status).toBe('submitting');

    h.sim.setCredits(10_000);
    h.vault.queue.resume('legnext');
    expectArchived(await settled(h.vault, submitted.id));
    expect(h.posts()).toHaveLength(2);
  });

  it('fails a job the content policy refuses, with the API message', async () => {
    const h = await harness.start();
    await h.vault.start();
    const submitted = h.vault.imagine('a statue simulate:forbidden');
    await expect(settled(h.vault, submitted.id)).rejects.toThrow(/Sensitive content detected/);

    const job = h.vault.show(submitted.id);
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({ code: '403', message: expect.stringMatching(/content policy/) as string });
    expect(job.outputs).toEqual([]);
    expect(h.posts()).toHaveLength(1);
    expect(h.vault.queue.pausedProviders()).toEqual([]);
  });

  it('fails a job the API reports failed, keeping its message', async () => {
    const h = await harness.start();
    await h.vault.start();
    const submitted = h.vault.imagine('a lighthouse simulate:fail');
    await expect(settled(h.vault, submitted.id)).rejects.toThrow(/The job failed/);
    const job = h.vault.show(submitted.id);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toMatch(/failed while generating/);
  });
});
