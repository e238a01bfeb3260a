import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/main/core/params';
import { LEGNEXT_OPS } from '../../src/main/core/providers/legnext/ops';

describe('estimateCost', () => {
  it.each([
    ['diffusion', 80],
    ['variation', 120],
    ['upscale', 120],
    ['reroll', 80],
    ['blend', 80],
    ['describe', 20],
    ['shorten', 20],
    ['pan', 80],
    ['outpaint', 80],
    ['inpaint', 120],
    ['remix', 120],
    ['edit', 120],
    ['upload-paint', 120],
    ['retexture', 120],
    ['remove-background', 80],
    ['enhance', 80],
    ['enhance-upscale', 120],
    ['video-diffusion', 480],
    ['extend-video', 480],
    ['video-upscale', 480],
  ] as const)('%s freezes %i points as in the docs example', (op, points) => {
    expect(estimateCost(op).points).toBe(points);
  });

  it('has a figure for every op', () => {
    for (const op of LEGNEXT_OPS) expect(estimateCost(op).points).toBeGreaterThan(0);
  });

  it('a plain prompt costs the base figure', () => {
    expect(estimateCost('diffusion', 'a cat --ar 16:9')).toEqual({
      points: 80,
      basis: '80 points (diffusion)',
    });
  });

  it('--draft halves, --turbo doubles', () => {
    expect(estimateCost('diffusion', 'a cat --draft').points).toBe(40);
    expect(estimateCost('diffusion', 'a cat --turbo').points).toBe(160);
    expect(estimateCost('diffusion', 'a cat --draft --turbo').points).toBe(80);
  });

  it.each(['--hd', '--q 4', '--sv 6', '--hd --q 4'])('v8 %s costs 4x (once)', (flags) => {
    const estimate = estimateCost('diffusion', `a cat --v 8 ${flags}`);
    expect(estimate.points).toBe(320);
    expect(estimate.basis).toMatch(/× 4/);
  });

  it('v8.1 is a flat 1x whatever its flags', () => {
    expect(estimateCost('diffusion', 'a cat --v 8.1 --hd').points).toBe(80);
  });

  it('--oref on v7 costs double', () => {
    expect(estimateCost('diffusion', 'a duck --oref https://c.example/o.png').points).toBe(160);
  });

  it('prompt modifiers apply to re-rendering ops but not to fixed-price ones', () => {
    expect(estimateCost('reroll', 'a cat --turbo').points).toBe(160);
    expect(estimateCost('remix', 'a cat --turbo').points).toBe(240);
    expect(estimateCost('retexture', 'a cat --turbo').points).toBe(120);
  });

  it('video batches of 1 or 2 cost a quarter or half of the 4-video example', () => {
    expect(estimateCost('video-diffusion', 'https://c.example/a.png waves --bs 1').points).toBe(120);
    expect(estimateCost('video-diffusion', 'https://c.example/a.png waves --bs 2').points).toBe(240);
    expect(estimateCost('video-diffusion', 'https://c.example/a.png waves').points).toBe(480);
    expect(estimateCost('video-diffusion', 'https://c.example/a.png waves --bs 1 --turbo').points).toBe(240);
  });

  it('720p says the docs give no figure', () => {
    const estimate = estimateCost('video-diffusion', 'waves', { videoQuality: 720 });
    expect(estimate.points).toBe(480);
    expect(estimate.basis).toMatch(/no figure/);
  });

  it.each([
    ['HD', 120],
    ['FHD', 120],
    ['2K', 120],
    ['4K', 160],
    ['6K', 200],
    ['8K', 300],
    ['12K', 540],
  ])('Topaz %s costs %i', (resolution, points) => {
    expect(estimateCost('enhance-upscale', undefined, { targetResolution: resolution })).toEqual({
      points,
      basis: `${points} points (Topaz ${resolution})`,
    });
  });

  it('an unknown Topaz resolution falls back to the default and says so', () => {
    expect(estimateCost('enhance-upscale', undefined, { targetResolution: '16K' }).basis).toMatch(
      /not in the price table/,
    );
  });
});
