/**
 * `jobs.followUps` lists every follow-up the detail view offers, per image, with its cost and, when it
 * is disabled, the reason; and the options a panel sends with a state reach Legnext as the documented
 * body. A real Vault on a temp library, the real Legnext simulator on 127.0.0.1, calls through
 * `dispatch` as IPC and the bridge make them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallRequest, CallResponse, FollowUpStateView } from '../../src/shared/contract';
import { DAY_MS, type JobView } from '../../src/shared/domain';
import { createHandlers, dispatch } from '../../src/main/core/api/handlers';
import { FOLLOW_UP_PRESETS } from '../../src/main/core/api/followups';
import { TOPAZ_RESOLUTIONS } from '../../src/shared/legnext-options';
import { FAIL_MARKER } from '../sim/legnext/index';
import { openTestVault, type TestVault } from './support';

let open: TestVault[] = [];

afterEach(async () => {
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

interface Harness {
  t: TestVault;
  call<K extends CallName>(name: K, req: CallRequest<K>, at?: number): Promise<CallResponse<K>>;
}

async function harness(): Promise<Harness> {
  const t = await openTestVault();
  open.push(t);
  await t.vault.start();
  return {
    t,
    async call(name, req, at) {
      const handlers = createHandlers({
        vault: t.vault,
        keyNote: null,
        now: at === undefined ? undefined : () => at,
      });
      const result = await dispatch(handlers, name, req);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.kind}: ${result.error.message}`);
      return result.value as CallResponse<typeof name>;
    },
  };
}

async function completedImageJob(h: Harness, prompt: string): Promise<JobView> {
  const job = await h.call('jobs.imagine', { prompt });
  await h.t.vault.waitFor(job.id);
  return h.call('jobs.get', { id: job.id });
}

const PANEL_OPS = [
  ['remix', 'Remix', 120],
  ['pan', 'Pan', 80],
  ['outpaint', 'Zoom out', 80],
  ['inpaint', 'Vary region', 120],
  ['edit', 'Edit', 120],
  ['retexture', 'Retexture', 120],
  ['remove-background', 'Remove background', 80],
  ['upload-paint', 'Paint on a canvas', 120],
] as const;

const TOPAZ_COSTS: Record<string, number> = {
  HD: 120,
  FHD: 120,
  '2K': 120,
  '4K': 160,
  '6K': 200,
  '8K': 300,
  '12K': 540,
};

function only(states: FollowUpStateView[], label: string, index: number | null): FollowUpStateView {
  const found = states.filter((s) => s.label === label && s.index === index);
  expect(found, `${label} #${index}`).toHaveLength(1);
  return found[0]!;
}

describe('jobs.followUps', () => {
  it('lists every image follow-up per image with its cost, enabled inside the window', async () => {
    const h = await harness();
    const parent = await completedImageJob(h, 'a lighthouse in fog --ar 1:1');
    const states = await h.call('jobs.followUps', { id: parent.id });

    for (const [op, label, cost] of PANEL_OPS) {
      for (const index of [0, 1, 2, 3]) {
        expect(only(states, label, index)).toEqual({
          op,
          label,
          index,
          enabled: true,
          reason: null,
          cost,
          options: {},
        });
      }
    }
    expect(TOPAZ_RESOLUTIONS).toEqual(Object.keys(TOPAZ_COSTS));
    for (const resolution of TOPAZ_RESOLUTIONS) {
      const state = only(states, `Topaz upscale (${resolution})`, 2);
      expect(state).toMatchObject({
        op: 'enhance-upscale',
        enabled: true,
        cost: TOPAZ_COSTS[resolution],
        options: { targetResolution: resolution },
      });
    }
    // Enhance is listed, but only a --v 7 --draft parent enables it.
    expect(only(states, 'Enhance draft', 0)).toMatchObject({
      enabled: false,
      reason: 'Enhance only works on images made in draft mode (--v 7 --draft).',
    });
    // Every preset of an image op is listed once per image, in the order of FOLLOW_UP_PRESETS.
    const imagePresets = FOLLOW_UP_PRESETS.filter(
      (p) => !['extend-video', 'video-upscale', 'reroll'].includes(p.op),
    );
    expect(states.filter((s) => s.index === 0).map((s) => s.label)).toEqual(imagePresets.map((p) => p.label));
  });

  it('enables Enhance for a v7 draft and refuses region edits on v8 with the reason', async () => {
    const h = await harness();
    const draft = await completedImageJob(h, 'a fox in snow --v 7 --draft');
    const draftStates = await h.call('jobs.followUps', { id: draft.id });
    expect(only(draftStates, 'Enhance draft', 1)).toMatchObject({ enabled: true, reason: null, cost: 80 });

    const v8 = await completedImageJob(h, 'a fox in snow --v 8');
    const v8States = await h.call('jobs.followUps', { id: v8.id });
    for (const label of ['Pan', 'Zoom out', 'Vary region'])
      expect(only(v8States, label, 0)).toMatchObject({
        enabled: false,
        reason: `${label} is not available for --v 8 images.`,
      });
    expect(only(v8States, 'Edit', 0).enabled).toBe(true);
    expect(only(v8States, 'Retexture', 0).enabled).toBe(true);
  });

  it('after the 3-day window disables job follow-ups with the date it ended, but not image operations', async () => {
    const h = await harness();
    const parent = await completedImageJob(h, 'a lighthouse in fog');
    const created = Date.parse(parent.createdAt);
    const ended = new Date(created + 3 * DAY_MS).toISOString().slice(0, 16).replace('T', ' ');
    const states = await h.call('jobs.followUps', { id: parent.id }, created + 3 * DAY_MS + 60_000);

    const reason = `Follow-ups for this job ended on ${ended} UTC (Legnext allows them for 3 days).`;
    for (const label of [
      'Remix',
      'Pan',
      'Zoom out',
      'Vary region',
      'Edit',
      'Vary (subtle)',
      'Animate (720p)',
    ]) {
      expect(only(states, label, 1)).toMatchObject({ enabled: false, reason });
    }
    // Image operations take a URL: the CDN copy is there for 30 days, so they stay available.
    for (const label of ['Retexture', 'Remove background', 'Paint on a canvas', 'Topaz upscale (4K)']) {
      expect(only(states, label, 1)).toMatchObject({ enabled: true, reason: null });
    }

    // Past 30 days the saved file is still there to send; an image that was never saved is not.
    const late = created + 31 * DAY_MS;
    expect(only(await h.call('jobs.followUps', { id: parent.id }, late), 'Retexture', 1).enabled).toBe(true);
    h.t.vault.library.updateOutput(parent.id, 'image', 1, { state: 'expired', path: null });
    const lost = await h.call('jobs.followUps', { id: parent.id }, late);
    expect(only(lost, 'Retexture', 1)).toMatchObject({
      enabled: false,
      reason: "Image 2 left Legnext's CDN before GenVault saved it, so there is nothing to send.",
    });
    expect(only(lost, 'Retexture', 0).enabled).toBe(true);
  });

  it('gives every follow-up of a failed job the same reason', async () => {
    const h = await harness();
    const failed = await h.call('jobs.imagine', { prompt: `a storm ${FAIL_MARKER}` });
    await expect(h.t.vault.waitFor(failed.id)).rejects.toThrow(/failed/);
    const states = await h.call('jobs.followUps', { id: failed.id });
    expect(states.map((s) => s.op)).toEqual(expect.arrayContaining(['pan', 'retexture', 'enhance-upscale']));
    for (const state of states) {
      expect(state).toMatchObject({
        enabled: false,
        reason: 'This job failed, so it has no outputs to follow up on.',
      });
    }
  });

  it('lists only video follow-ups for a video', async () => {
    const h = await harness();
    const parent = await completedImageJob(h, 'a paper boat on a pond');
    const animate = await h.call('jobs.followUp', {
      op: 'video-diffusion',
      id: parent.id,
      index: 0,
      options: { prompt: 'waves --bs 1', quality: 480 },
    });
    await h.t.vault.waitFor(animate.id);
    const states = await h.call('jobs.followUps', { id: animate.id });
    expect(states.map((s) => `${s.label} #${s.index}`)).toEqual(['Extend video #0', 'Upscale video #0']);
    expect(states.every((s) => s.enabled)).toBe(true);
  });
});

describe('panel options as sent', () => {
  it('pan, zoom out, vary region and Topaz reach Legnext as the documented bodies', async () => {
    const h = await harness();
    const parent = await completedImageJob(h, 'a lighthouse in fog');
    const remoteId = parent.remoteId!;
    const sent = async (op: string, index: number, options: Record<string, unknown>) => {
      const child = await h.call('jobs.followUp', { op, id: parent.id, index, options });
      expect(child.parent).toEqual({ id: parent.id, index });
      const done = await h.t.vault.waitFor(child.id);
      const posts = h.t.sim.requests.filter((r) => r.method === 'POST' && r.path === `/api/v1/${op}`);
      expect(posts).toHaveLength(1);
      expect(done.status).toBe('completed');
      return posts[0]!;
    };

    const pan = await sent('pan', 2, { direction: 'left', scale: 1.75, remixPrompt: '  ' });
    expect(pan.path).toBe('/api/v1/pan');
    expect(pan.body).toEqual({ jobId: remoteId, imageNo: 2, direction: 3, scale: 1.75 });

    const zoom = await sent('outpaint', 0, { scale: 2, remixPrompt: 'a stormy sea' });
    expect(zoom.body).toEqual({ jobId: remoteId, imageNo: 0, scale: 2, remixPrompt: 'a stormy sea' });

    const mask = { areas: [{ width: 512, height: 512, points: [10, 10, 300, 10, 300, 200, 10, 200] }] };
    const region = await sent('inpaint', 1, { mask, remixPrompt: 'a red boat' });
    expect(region.body).toEqual({ jobId: remoteId, imageNo: 1, mask, remixPrompt: 'a red boat' });

    const topaz = FOLLOW_UP_PRESETS.find((p) => p.label === 'Topaz upscale (8K)')!;
    const upscale = await sent(topaz.op, 3, {
      ...topaz.options,
      contentType: 'illustration',
      faceEnhancementLevel: 'off',
      outputFormat: 'png',
      aspectRatio: '16:9',
      cropMode: 'crop',
    });
    expect(upscale.path).toBe('/api/v1/enhance-upscale');
    expect(upscale.body).toEqual({
      jobId: remoteId,
      imageNo: 3,
      target_resolution: '8K',
      content_type: 'illustration',
      face_enhancement_level: 'off',
      output_format: 'png',
      aspect_ratio: '16:9',
      crop_mode: 'crop',
    });
  });
});
