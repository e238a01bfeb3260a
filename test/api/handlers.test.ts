/**
 * The contract handlers over a real Vault (temp library, real queue) talking to the real Legnext
 * simulator on 127.0.0.1: every call goes through `dispatch`, exactly as the IPC and bridge paths do.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  CallName,
  CallRequest,
  CallResponse,
  CallResult,
  EventMap,
  EventName,
} from '../../src/shared/contract';
import type { JobView } from '../../src/shared/domain';
import {
  bindEvents,
  createHandlers,
  dispatch,
  USER_PAUSE_REASON,
  type Handlers,
} from '../../src/main/core/api/handlers';
import { storedSettings } from '../../src/main/core/api/settings';
import { FAIL_MARKER } from '../sim/legnext/index';
import { openTestVault, type TestVault } from './support';

let open: TestVault[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

interface Harness {
  t: TestVault;
  handlers: Handlers;
  events: Array<{ event: EventName; payload: unknown }>;
  call<K extends CallName>(name: K, req: CallRequest<K>): Promise<CallResponse<K>>;
  raw(name: string, req: unknown): Promise<CallResult<unknown>>;
  /** Resolves with the first event already received or still to come that satisfies `match`. */
  nextEvent<E extends EventName>(event: E, match: (payload: EventMap[E]) => boolean): Promise<EventMap[E]>;
}

async function harness(
  opts: Parameters<typeof openTestVault>[0] & { keyNote?: string; start?: boolean } = {},
) {
  const t = await openTestVault(opts);
  open.push(t);
  const handlers = createHandlers({ vault: t.vault, keyNote: opts.keyNote ?? null });
  const events: Harness['events'] = [];
  const waiters = new Set<() => void>();
  bindEvents(t.vault, (event, payload) => {
    events.push({ event, payload });
    for (const w of [...waiters]) w();
  });
  if (opts.start !== false) await t.vault.start();
  const h: Harness = {
    t,
    handlers,
    events,
    async call(name, req) {
      const result = await dispatch(handlers, name, req);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.kind}: ${result.error.message}`);
      return result.value as CallResponse<typeof name>;
    },
    raw: (name, req) => dispatch(handlers, name, req),
    nextEvent(event, match) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${event} event within 10 s`));
        }, 10_000);
        const check = () => {
          const found = events.find((e) => e.event === event && match(e.payload as EventMap[typeof event]));
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found.payload as EventMap[typeof event]);
        };
        waiters.add(check);
        check();
      });
    },
  };
  return h;
}

async function completedImageJob(h: Harness, prompt = 'a lighthouse in fog --ar 3:2'): Promise<JobView> {
  const job = await h.call('jobs.imagine', { prompt });
  await h.t.vault.waitFor(job.id);
  return h.call('jobs.get', { id: job.id });
}

describe('dispatch', () => {
  it('refuses unknown calls and requests that do not fit the contract, naming the field', async () => {
    const h = await harness({ start: false });
    expect(await h.raw('jobs.delete', {})).toEqual({
      ok: false,
      error: { kind: 'invalid', message: 'GenVault has no call named "jobs.delete".' },
    });
    expect(await h.raw('toString', {})).toMatchObject({ ok: false, error: { kind: 'invalid' } });

    const badType = await h.raw('jobs.setFavorite', { id: 'x', favorite: 'yes' });
    expect(badType).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'favorite' } });
    if (!badType.ok) expect(badType.error.message).toMatch(/^The field "favorite" is not valid: /);

    const extra = await h.raw('jobs.list', { sort: 'newest', drop: 'table' });
    expect(extra).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: 'The request has a field GenVault does not know: "drop".',
        field: 'drop',
      },
    });

    const nested = await h.raw('jobs.search', { text: 'fox', query: { limit: 0 } });
    expect(nested).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'query.limit' } });
  });

  it('passes core errors through with their kind and field, and hides anything else behind a logged generic message', async () => {
    const h = await harness({ start: false });
    expect(await h.raw('jobs.get', { id: 'no-such-job' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });
    expect(await h.raw('jobs.imagine', { prompt: 'a cat --v 8.1 --q 2' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });

    const secret = 'sk-very-secret-key-1234';
    const handlers: Handlers = {
      ...h.handlers,
      'keys.set': async () => {
        throw new TypeError(`cannot read property of undefined while storing ${secret}`);
      },
    };
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    const result = await dispatch(handlers, 'keys.set', { provider: 'legnext', key: secret });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'internal',
        message: 'Something went wrong inside GenVault; the details were written to its log.',
      },
    });
    expect(logged.join('\n')).toContain('keys.set failed');
    expect(logged.join('\n')).toContain('TypeError');
    expect(logged.join('\n')).not.toContain(secret);
  });
});

describe('keys', () => {
  it('checks a key with a balance call before storing it, and only ever shows the last four characters', async () => {
    const h = await harness({ key: null, keyNote: 'Keys are kept in an encrypted file.', start: false });
    expect(await h.call('keys.status', { provider: 'legnext' })).toEqual({
      provider: 'legnext',
      set: false,
      last4: null,
      source: null,
      note: 'Keys are kept in an encrypted file.',
    });

    const wrong = await h.raw('keys.set', { provider: 'legnext', key: 'wrong-key-123456' });
    expect(wrong).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: 'Legnext did not accept this API key; check that it was copied whole.',
        field: 'key',
      },
    });
    expect(h.t.backend.values.size).toBe(0);
    expect(h.t.sim.requests.some((r) => r.path === '/api/account/balance')).toBe(true);

    const status = await h.call('keys.set', { provider: 'legnext', key: `  ${h.t.sim.apiKey}  ` });
    expect(status).toMatchObject({ set: true, last4: h.t.sim.apiKey.slice(-4), source: 'keychain' });
    expect(h.t.backend.values.get('legnext')).toBe(h.t.sim.apiKey);
    expect(JSON.stringify(status)).not.toContain(h.t.sim.apiKey);

    // Other providers' keys are checked by their own rules (test/api/providers.test.ts); a key that
    // cannot be one at all is refused before anything is stored.
    expect(await h.raw('keys.set', { provider: 'vidu', key: 'some vidu key' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid' },
    });
    expect(h.t.backend.values.has('vidu')).toBe(false);

    expect(await h.call('keys.clear', { provider: 'legnext' })).toMatchObject({ set: false, last4: null });
    expect(h.t.backend.values.size).toBe(0);
  });

  it('reports an unreachable API as unavailable and stores nothing', async () => {
    const h = await harness({ key: null, start: false });
    await h.t.sim.close();
    const result = await h.raw('keys.set', { provider: 'legnext', key: 'any-key-12345678' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(h.t.backend.values.size).toBe(0);
  });

  it('reads the balance', async () => {
    const h = await harness({ sim: { credits: 12_345 }, start: false });
    expect(await h.call('account.balance', {})).toMatchObject({ credits: 12_345, lowBalance: false });
  });
});

describe('prompt.check', () => {
  it('lists issues with their flag, the model and the cost estimate', async () => {
    const h = await harness({ start: false });
    const bad = await h.call('prompt.check', { prompt: 'a cat --v 8.1 --q 2 --ar 16:9', kind: 'image' });
    expect(bad.version).toBe('8.1');
    expect(bad.aspectRatio).toBe('16:9');
    expect(bad.issues.map((i) => i.flag)).toContain('--q');

    const draft = await h.call('prompt.check', { prompt: 'a cat --v 7 --draft', kind: 'image' });
    expect(draft.issues).toEqual([]);
    expect(draft.cost.points).toBe(40);

    const video = await h.call('prompt.check', { prompt: 'waves at dusk --bs 1', kind: 'video' });
    expect(video.cost.points).toBe(120);
  });
});

describe('jobs', () => {
  it('submits, archives and lists a job with library-relative paths, announcing each change as an event', async () => {
    const h = await harness();
    const submitted = await h.call('jobs.imagine', { prompt: 'a lighthouse in fog --ar 3:2' });
    expect(submitted.status).toBe('submitting');

    const done = await h.nextEvent(
      'job',
      (j) => j.id === submitted.id && j.outputs.length > 0 && j.outputs.every((o) => o.state === 'archived'),
    );
    const images = done.outputs.filter((o) => o.kind === 'image');
    expect(images).toHaveLength(4);
    for (const o of done.outputs) {
      expect(o.path).toMatch(/^media\/\d{4}\/\d{2}\//);
      expect(existsSync(path.join(h.t.dir, o.path!))).toBe(true);
      if (o.thumbPath !== null) expect(o.thumbPath).toMatch(/^thumbs\//);
    }

    const got = await h.call('jobs.get', { id: submitted.id });
    expect(got.outputs.map((o) => o.path)).toEqual(done.outputs.map((o) => o.path));
    const listed = await h.call('jobs.list', { limit: 10 });
    expect(listed.items.map((j) => j.id)).toEqual([submitted.id]);
    expect(listed.items[0]!.outputs[0]!.path).toBe(got.outputs[0]!.path);
    const found = await h.call('jobs.search', { text: 'lighthouse', query: {} });
    expect(found.items.map((j) => j.id)).toEqual([submitted.id]);
    expect((await h.call('jobs.search', { text: 'submarine', query: {} })).items).toEqual([]);

    const fav = await h.call('jobs.setFavorite', { id: submitted.id, favorite: true });
    expect(fav.favorite).toBe(true);
    expect((await h.call('jobs.list', { favorite: true })).items.map((j) => j.id)).toEqual([submitted.id]);

    const info = await h.call('library.info', {});
    expect(info).toMatchObject({ dir: h.t.dir, jobs: 1, archived: done.outputs.length });
    expect(info.bytes).toBeGreaterThan(0);

    const archived = done.outputs[0]!;
    expect(
      await h.raw('outputs.retry', { id: submitted.id, kind: archived.kind, index: archived.index }),
    ).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(await h.raw('jobs.retry', { id: submitted.id })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: 'Only a failed job can be retried.' },
    });
  });

  it('offers each follow-up per image with its cost and reason, and a follow-up becomes a linked child', async () => {
    const h = await harness();
    const parent = await completedImageJob(h);
    const states = await h.call('jobs.followUps', { id: parent.id });

    const upscales = states.filter((s) => s.label === 'Upscale (subtle)');
    expect(upscales.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(upscales.every((s) => s.enabled && s.reason === null && s.cost === 120)).toBe(true);
    expect(upscales[0]!.options).toEqual({ type: 'subtle' });
    expect(states.find((s) => s.op === 'reroll')).toMatchObject({ index: null, enabled: true, cost: 80 });
    expect(states.find((s) => s.label === 'Animate (720p)' && s.index === 2)).toMatchObject({
      enabled: true,
      cost: 480,
      options: { quality: 720 },
    });
    expect(states.find((s) => s.op === 'enhance')).toMatchObject({
      enabled: false,
      reason: 'Enhance only works on images made in draft mode (--v 7 --draft).',
    });
    expect(states.some((s) => s.op === 'extend-video' || s.op === 'video-upscale')).toBe(false);

    const preset = upscales[1]!;
    const child = await h.call('jobs.followUp', {
      op: preset.op,
      id: parent.id,
      index: preset.index,
      options: preset.options,
    });
    expect(child.parent).toEqual({ id: parent.id, index: 1 });
    expect(child.taskType).toBe('upscale');
    await h.t.vault.waitFor(child.id);

    const lineage = await h.call('jobs.lineage', { id: child.id });
    expect(lineage.jobs.map((j) => j.id)).toEqual([parent.id, child.id]);
    expect(lineage.edges).toEqual([
      { parentId: parent.id, parentIndex: 1, childId: child.id, relation: 'upscale' },
    ]);
    expect(lineage.jobs[1]!.outputs.every((o) => o.path === null || o.path.startsWith('media/'))).toBe(true);

    expect(
      await h.raw('jobs.followUp', { op: 'diffusion', id: parent.id, index: null, options: {} }),
    ).toMatchObject({ ok: false, error: { kind: 'invalid', field: 'op' } });
  });

  it('animates an image and offers the video follow-ups on the result', async () => {
    const h = await harness();
    const parent = await completedImageJob(h, 'a paper boat on a pond');
    const animate = await h.call('jobs.followUp', {
      op: 'video-diffusion',
      id: parent.id,
      index: 0,
      options: { quality: 480 },
    });
    const video = await h.t.vault.waitFor(animate.id);
    expect(video.outputs.some((o) => o.kind === 'video' && o.state === 'archived')).toBe(true);

    const states = await h.call('jobs.followUps', { id: animate.id });
    expect(states.every((s) => s.op === 'extend-video' || s.op === 'video-upscale')).toBe(true);
    const extend = states.find((s) => s.op === 'extend-video' && s.index === 0);
    expect(extend).toMatchObject({ enabled: true, cost: 480 });
  });

  it('retries a failed job as a new job with the same request', async () => {
    const h = await harness();
    const failed = await h.call('jobs.imagine', { prompt: `a storm ${FAIL_MARKER}` });
    await expect(h.t.vault.waitFor(failed.id)).rejects.toThrow(/failed/);
    const failedView = await h.call('jobs.get', { id: failed.id });
    expect(failedView.status).toBe('failed');
    expect(failedView.error?.message).toBeTruthy();
    const states = await h.call('jobs.followUps', { id: failed.id });
    expect(
      states.every(
        (s) => !s.enabled && s.reason === 'This job failed, so it has no outputs to follow up on.',
      ),
    ).toBe(true);

    const retried = await h.call('jobs.retry', { id: failed.id });
    expect(retried.id).not.toBe(failed.id);
    expect(retried.prompt).toBe(failedView.prompt);
  });
});

describe('queue and events', () => {
  it('pauses and resumes the queue, pushing the whole queue state each time', async () => {
    const h = await harness();
    const paused = await h.call('queue.pause', {});
    expect(paused.paused).toEqual([{ provider: 'legnext', reason: USER_PAUSE_REASON }]);
    await h.nextEvent('queue', (q) => q.paused.length === 1);

    const job = await h.call('jobs.imagine', { prompt: 'a quiet harbour' });
    const state = await h.call('queue.state', {});
    expect(state).toMatchObject({ waiting: 1, inFlight: 0 });
    expect(h.t.sim.requests.some((r) => r.method === 'POST')).toBe(false);

    const resumed = await h.call('queue.resume', {});
    expect(resumed.paused).toEqual([]);
    await h.nextEvent('queue', (q) => q.paused.length === 0 && q.waiting === 0);
    await h.t.vault.waitFor(job.id);
    const idle = await h.nextEvent(
      'queue',
      (q) => q.inFlight === 0 && q.waiting === 0 && q.downloadsPending === 0,
    );
    expect(idle.offline).toBe(false);
    expect(h.events.some((e) => e.event === 'download')).toBe(true);
  });

  it('reports going offline and coming back when the API stops answering for a while', async () => {
    const h = await harness();
    h.t.sim.faults.add({ target: 'poll', kind: 'reset', times: 2 });
    const job = await h.call('jobs.imagine', { prompt: 'a lantern' });
    const offline = await h.nextEvent('queue', (q) => q.offline);
    expect(offline.offlineReason).toMatch(/Could not reach Legnext/);
    expect((await h.call('queue.state', {})).offline).toBe(true);
    await h.nextEvent('queue', (q) => !q.offline);
    await h.t.vault.waitFor(job.id);
    expect((await h.call('queue.state', {})).offline).toBe(false);
  });

  it('pauses on an empty account and says why', async () => {
    const h = await harness({ sim: { credits: 0 } });
    await h.call('jobs.imagine', { prompt: 'a mountain at dawn' });
    const paused = await h.nextEvent('queue', (q) => q.paused.length > 0);
    expect(paused.paused[0]!.reason).toMatch(/out of credits/);
  });
});

describe('settings and library', () => {
  it('keeps settings in the library with defaults, and refuses values out of range', async () => {
    const h = await harness({ start: false });
    expect(await h.call('settings.get', {})).toEqual({
      theme: 'system',
      notifications: true,
      concurrency: 6,
      baseUrls: { legnext: '', leonardo: '', vidu: '' },
    });
    expect(await h.call('settings.set', { theme: 'dark', concurrency: 3 })).toEqual({
      theme: 'dark',
      notifications: true,
      concurrency: 3,
      baseUrls: { legnext: '', leonardo: '', vidu: '' },
    });
    expect(await h.raw('settings.set', { concurrency: 99 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', field: 'concurrency' },
    });
    expect(await h.call('settings.get', {})).toMatchObject({ theme: 'dark', concurrency: 3 });
    expect(storedSettings(h.t.dir)).toEqual({
      theme: 'dark',
      notifications: true,
      concurrency: 3,
      baseUrls: { legnext: '', leonardo: '', vidu: '' },
    });
    expect(storedSettings(path.join(h.t.dir, 'not-a-library'))).toEqual({
      theme: 'system',
      notifications: true,
      concurrency: 6,
      baseUrls: { legnext: '', leonardo: '', vidu: '' },
    });
  });

  it('reveals the library or a job folder only where a file manager exists', async () => {
    const t = await openTestVault();
    open.push(t);
    const bare = createHandlers({ vault: t.vault });
    expect(await dispatch(bare, 'library.reveal', {})).toEqual({ ok: true, value: { ok: false } });

    const revealed: string[] = [];
    const handlers = createHandlers({ vault: t.vault, reveal: async (p) => void revealed.push(p) });
    await t.vault.start();
    const job = t.vault.imagine('a red kite');
    await t.vault.waitFor(job.id);
    expect(await dispatch(handlers, 'library.reveal', {})).toEqual({ ok: true, value: { ok: true } });
    expect(await dispatch(handlers, 'library.reveal', { id: job.id })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(revealed[0]).toBe(t.dir);
    expect(revealed[1]).toBe(path.dirname(t.vault.library.jobView(job.id).outputs[0]!.path!));
  });
});
