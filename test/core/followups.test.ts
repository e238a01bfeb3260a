/**
 * Every follow-up through `vault.followUp` (and the URL-based blend/describe, and shorten) against the
 * simulator: the child is linked to its parent (parent id and index, lineage edge), the simulator
 * received exactly the documented body, and the child's outputs are archived.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import type { LegnextOp } from '../../src/main/core/providers/legnext/requests';
import { settled, sha256File, useHarness, type Harness } from './harness';

const harness = useHarness('file');
let h: Harness;
/** A completed 4-image grid every image follow-up starts from. */
let grid: JobView;

beforeAll(async () => {
  h = await harness.start();
  await h.vault.start();
  grid = await settled(h.vault, h.vault.imagine('a harbour at dawn --ar 1:1').id);
});

/** Runs a follow-up to the end and checks the link, the lineage edge and the body the API received. */
async function followUp(
  op: LegnextOp,
  parent: JobView,
  index: number | null,
  options: Record<string, unknown>,
  expectedBody: Record<string, unknown>,
): Promise<JobView> {
  const before = h.posts(op).length;
  const submitted = h.vault.followUp(op, { ref: parent.id, index }, options);
  const done = await settled(h.vault, submitted.id);

  expect(done.status).toBe('completed');
  expect(done.parent).toEqual({ id: parent.id, index });
  const relation =
    op === 'video-diffusion' ? 'animate' : op === 'extend-video' ? 'extend' : op.replace(/-/g, '_');
  expect(h.vault.library.parents(done.id)).toEqual([
    { parentId: parent.id, parentIndex: index, childId: done.id, relation, position: 0 },
  ]);
  expect(h.vault.library.children(parent.id).map((e) => e.childId)).toContain(done.id);

  const posts = h.posts(op);
  expect(posts).toHaveLength(before + 1);
  expect(posts.at(-1)!.body).toEqual({ jobId: parent.remoteId, ...expectedBody });

  for (const output of done.outputs) {
    expect(output.state).toBe('archived');
    expect(sha256File(output.path!)).toBe(output.sha256);
  }
  return done;
}

describe('image follow-ups', () => {
  it('upscale makes one archived image', async () => {
    const child = await followUp('upscale', grid, 1, { type: 'subtle' }, { imageNo: 1, type: 0 });
    expect(child.outputs.map((o) => o.kind)).toEqual(['image']);
  });

  it('variation with a remix prompt', async () => {
    const child = await followUp(
      'variation',
      grid,
      2,
      { type: 'strong', remixPrompt: 'thick morning fog' },
      { imageNo: 2, type: 1, remixPrompt: 'thick morning fog' },
    );
    expect(child.outputs.filter((o) => o.kind === 'image')).toHaveLength(4);
  });

  it('reroll of the whole job', async () => {
    await followUp('reroll', grid, null, {}, {});
  });

  it('remix', async () => {
    await followUp(
      'remix',
      grid,
      0,
      { remixPrompt: 'the harbour in winter', mode: 'subtle' },
      { imageNo: 0, remixPrompt: 'the harbour in winter', mode: 1 },
    );
  });

  it('pan', async () => {
    await followUp(
      'pan',
      grid,
      3,
      { direction: 'left', scale: 1.5 },
      { imageNo: 3, direction: 3, scale: 1.5 },
    );
  });

  it('outpaint', async () => {
    await followUp('outpaint', grid, 0, { scale: 2 }, { imageNo: 0, scale: 2 });
  });

  it('inpaint with a polygon mask', async () => {
    const areas = [{ width: 1024, height: 1024, points: [100, 100, 600, 100, 600, 600, 100, 600] }];
    await followUp(
      'inpaint',
      grid,
      1,
      { mask: { areas }, remixPrompt: 'a red lighthouse' },
      { imageNo: 1, mask: { areas }, remixPrompt: 'a red lighthouse' },
    );
  });

  it('edit', async () => {
    const canvas = { width: 1024, height: 1024 };
    const imgPos = { width: 800, height: 800, x: 112, y: 112 };
    await followUp(
      'edit',
      grid,
      2,
      { canvas, imgPos, remixPrompt: 'more sky above the harbour' },
      { imageNo: 2, canvas, imgPos, remixPrompt: 'more sky above the harbour' },
    );
  });

  it('enhance on a --v 7 --draft parent, and not on a normal one', async () => {
    const draft = await settled(h.vault, h.vault.imagine('a paper boat --v 7 --draft').id);
    await followUp('enhance', draft, 0, {}, { imageNo: 0 });

    const posts = h.sim.requests.length;
    expect(() => h.vault.followUp('enhance', { ref: grid.id, index: 0 })).toThrow(InvalidInputError);
    expect(h.sim.requests).toHaveLength(posts);
  });
});

describe('video follow-ups', () => {
  let video: JobView;

  it('animate makes an MP4 archived with its poster', async () => {
    video = await followUp(
      'video-diffusion',
      grid,
      0,
      { prompt: 'waves rolling in --bs 1' },
      { imageNo: 0, prompt: 'waves rolling in --bs 1' },
    );
    expect(video.outputs).toHaveLength(1);
    const mp4 = video.outputs[0]!;
    expect(mp4.kind).toBe('video');
    expect(mp4.path!.endsWith('.mp4')).toBe(true);
    expect(readFileSync(mp4.path!).subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(mp4.durationMs).toBeGreaterThan(0);
    expect(mp4.thumbPath).not.toBeNull();
  });

  it('extends a video four times and refuses the fifth without asking the API', async () => {
    let parent = video;
    for (let n = 1; n <= 4; n++) {
      parent = await followUp(
        'extend-video',
        parent,
        0,
        { prompt: `the tide, part ${n}` },
        {
          videoNo: 0,
          prompt: `the tide, part ${n}`,
        },
      );
      expect(h.vault.library.extendDepth(parent.id)).toBe(n);
    }
    const requests = h.sim.requests.length;
    expect(() => h.vault.followUp('extend-video', { ref: parent.id, index: 0 })).toThrow(/extended 4 times/);
    expect(h.sim.requests).toHaveLength(requests);
  });

  it('video upscale', async () => {
    const child = await followUp('video-upscale', video, 0, {}, { videoNo: 0 });
    expect(child.outputs.map((o) => o.kind)).toEqual(['video']);
  });
});

describe('operations on image URLs and prompts', () => {
  it('blends three library images and one URL, linked to each library source', async () => {
    const other = await settled(h.vault, h.vault.imagine('a red fox in snow').id);
    const url = 'https://images.example.com/northern-lights.png';
    const before = h.posts('blend').length;
    const submitted = h.vault.blend([`${grid.id}:0`, `${grid.id}:3`, `${other.id}:1`, url], '3:2');
    const done = await settled(h.vault, submitted.id);

    expect(done.status).toBe('completed');
    const cdn = (job: JobView, index: number) =>
      job.outputs.find((o) => o.kind === 'image' && o.index === index)!.url;
    expect(h.posts('blend').slice(before)).toHaveLength(1);
    expect(h.posts('blend').at(-1)!.body).toEqual({
      imgUrls: [cdn(grid, 0), cdn(grid, 3), cdn(other, 1), url],
      aspect_ratio: '3:2',
    });
    expect(
      h.vault.library.parents(done.id).map((e) => [e.parentId, e.parentIndex, e.relation, e.position]),
    ).toEqual([
      [grid.id, 0, 'blend', 0],
      [grid.id, 3, 'blend', 1],
      [other.id, 1, 'blend', 2],
    ]);
    expect(done.outputs.every((o) => o.state === 'archived')).toBe(true);
  });

  it('describes a library image and indexes the text for search', async () => {
    const submitted = h.vault.describe(`${grid.id}:2`);
    const done = await settled(h.vault, submitted.id);

    expect(done.status).toBe('completed');
    expect(done.outputs).toEqual([]);
    expect(h.posts('describe').at(-1)!.body).toEqual({
      imgUrl: grid.outputs.find((o) => o.index === 2 && o.kind === 'image')!.url,
    });
    expect(done.parent).toEqual({ id: grid.id, index: 2 });
    expect(done.text!.prompts).toHaveLength(4);
    expect(done.text!.prompts.join(' ')).toMatch(/watercolor/);

    const found = h.vault.search('watercolor').items.map((j) => j.id);
    expect(found).toEqual([done.id]);
  });

  it('shortens a prompt into indexed text', async () => {
    const prompt = 'an ornate brass telescope on a windswept cliff overlooking a stormy sea --ar 16:9';
    const done = await settled(h.vault, h.vault.shorten(prompt).id);

    expect(done.status).toBe('completed');
    expect(h.posts('shorten').at(-1)!.body).toEqual({ prompt });
    expect(done.text!.prompts.length).toBeGreaterThan(0);
    expect(done.text!.prompts.every((p) => p.endsWith('--ar 16:9'))).toBe(true);
    expect(h.vault.search('telescope').items.map((j) => j.id)).toContain(done.id);
  });
});
