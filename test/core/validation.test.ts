/**
 * Checks made before anything is spent: a bad prompt flag, an out-of-range option or an expired
 * follow-up window throws `InvalidInputError`, and the simulator receives no request at all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import { DAY_MS } from '../../src/shared/domain';
import { InvalidInputError } from '../../src/main/core/errors';
import { settled, useHarness, type Harness } from './harness';

const harness = useHarness('file');
let h: Harness;
let grid: JobView;

beforeAll(async () => {
  h = await harness.start();
  await h.vault.start();
  grid = await settled(h.vault, h.vault.imagine('a stone bridge').id);
});

/** `action` throws InvalidInputError matching `message`, and neither the API nor the library saw anything. */
function refusedLocally(action: () => unknown, message: RegExp): void {
  const requests = h.sim.requests.length;
  const jobs = h.vault.list({ limit: 500 }).items.length;
  let caught: unknown;
  try {
    action();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).message.split('\n')).toHaveLength(1);
  expect(h.sim.requests).toHaveLength(requests);
  expect(h.vault.list({ limit: 500 }).items).toHaveLength(jobs);
}

describe('prompt rules', () => {
  it.each([
    ['a castle --v 8.1 --q 2', /--q/],
    ['a castle --v 8 --turbo', /--turbo/],
    ['a castle --v 6.1 --draft', /--draft/],
    ['a castle --bs 2', /--bs/],
    ['a castle --repeat 3', /--repeat/],
    ['a {red, blue} castle', /permutation|\{/i],
    ['   ', /prompt/i],
    [`a castle ${'and a moat '.repeat(800)}`, /8192|long/i],
  ])('refuses %j', (prompt, message) => {
    refusedLocally(() => h.vault.imagine(prompt), message);
  });
});

describe('option ranges', () => {
  const ref = () => ({ ref: grid.id, index: 0 });

  it('pan scale above 3.0 and an unknown direction', () => {
    refusedLocally(() => h.vault.followUp('pan', ref(), { direction: 'down', scale: 3.5 }), /scale/);
    refusedLocally(() => h.vault.followUp('pan', ref(), { direction: 'sideways', scale: 1.5 }), /direction/);
  });

  it('outpaint scale above 2.0', () => {
    refusedLocally(() => h.vault.followUp('outpaint', ref(), { scale: 2.5 }), /scale/);
  });

  it('an image number the job does not have', () => {
    refusedLocally(
      () => h.vault.followUp('upscale', { ref: grid.id, index: 4 }, { type: 'subtle' }),
      /image 4/,
    );
    refusedLocally(
      () => h.vault.followUp('upscale', { ref: grid.id, index: null }, { type: 'subtle' }),
      /:N/,
    );
  });

  it('a polygon smaller than 500 px and points outside it', () => {
    refusedLocally(
      () =>
        h.vault.followUp('inpaint', ref(), {
          mask: { areas: [{ width: 400, height: 400, points: [0, 0, 100, 0, 100, 100] }] },
        }),
      /width/,
    );
    refusedLocally(
      () =>
        h.vault.followUp('inpaint', ref(), {
          mask: { areas: [{ width: 600, height: 600, points: [0, 0, 700, 0, 100, 100] }] },
        }),
      /inside/,
    );
  });

  it('blend with one image or six, and a describe of something that is not an image', () => {
    refusedLocally(() => h.vault.blend([`${grid.id}:0`]), /at least 2/);
    refusedLocally(
      () => h.vault.blend(Array.from({ length: 6 }, (_, i) => `${grid.id}:${i % 4}`)),
      /at most 5/,
    );
    refusedLocally(() => h.vault.describe('not-a-job-or-url'), /job/i);
    refusedLocally(() => h.vault.describe(`${grid.id}`), /4 images/);
  });

  it('a video follow-up on an image job and extend on a job that made no video', () => {
    refusedLocally(() => h.vault.followUp('extend-video', { ref: grid.id, index: 0 }), /video/);
    refusedLocally(() => h.vault.followUp('video-upscale', { ref: grid.id, index: 0 }), /video/);
  });
});

describe('the 3-day follow-up window', () => {
  it('refuses a follow-up once both clocks have passed it', () => {
    h.advance(3 * DAY_MS + 60_000);
    refusedLocally(
      () => h.vault.followUp('upscale', { ref: grid.id, index: 0 }, { type: 'subtle' }),
      /3 days/,
    );
    refusedLocally(() => h.vault.followUp('reroll', { ref: grid.id, index: null }), /3 days/);
  });
});
