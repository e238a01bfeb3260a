/**
 * The choices the follow-up panels offer are the ones the core accepts: both read their values from
 * `shared/legnext-options`, and the panels' menus add words to them, so these tests check that every
 * value has its menu entry (aliases aside); and the prompt the Animate panel builds is one the core's
 * rules accept and price.
 */
import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_PRESETS } from '../../src/main/core/api/followups';
import { estimateCost } from '../../src/main/core/params/cost';
import { promptIssues } from '../../src/main/core/params/issues';
import {
  TOPAZ_CONTENT_TYPES as CORE_CONTENT,
  TOPAZ_CROP_MODES as CORE_CROP,
  TOPAZ_FACE_LEVELS as CORE_FACE,
  TOPAZ_OUTPUT_FORMATS as CORE_FORMATS,
  TOPAZ_RESOLUTIONS as CORE_RESOLUTIONS,
} from '../../src/shared/legnext-options';
import {
  PANEL_ONLY_OPS,
  TOPAZ_CONTENT_TYPES,
  TOPAZ_CROP_MODES,
  TOPAZ_DEFAULT_RESOLUTION,
  TOPAZ_FACE_LEVELS,
  TOPAZ_OUTPUT_FORMATS,
  TOPAZ_RESOLUTIONS,
  VIDEO_BATCH_SIZES,
  animatePrompt,
  isHttpUrl,
} from '../../src/renderer/src/views/followups/options';

describe('panel choices match the core', () => {
  it('offers every Topaz choice the core accepts, with aliases left out of the menus', () => {
    expect(TOPAZ_RESOLUTIONS.map((r) => r.value)).toEqual([...CORE_RESOLUTIONS]);
    expect(CORE_RESOLUTIONS).toContain(TOPAZ_DEFAULT_RESOLUTION);
    expect(TOPAZ_CONTENT_TYPES.map((c) => c.value)).toEqual([...CORE_CONTENT]);
    expect(TOPAZ_CROP_MODES.map((c) => c.value)).toEqual([...CORE_CROP]);
    // `none` is `off`, `jpg` is `jpeg`, `tif` is `tiff`: one spelling each in a menu.
    expect(CORE_FACE.filter((f) => !TOPAZ_FACE_LEVELS.some((o) => o.value === f))).toEqual(['none']);
    expect(TOPAZ_FACE_LEVELS.every((o) => (CORE_FACE as readonly string[]).includes(o.value))).toBe(true);
    expect(CORE_FORMATS.filter((f) => !TOPAZ_OUTPUT_FORMATS.some((o) => o.value === f))).toEqual([
      'jpg',
      'tif',
    ]);
    expect(TOPAZ_OUTPUT_FORMATS.every((o) => (CORE_FORMATS as readonly string[]).includes(o.value))).toBe(
      true,
    );
  });

  it('keeps panel-only ops out of the one-click presets, which all carry complete options', () => {
    for (const preset of FOLLOW_UP_PRESETS) {
      if (!PANEL_ONLY_OPS.has(preset.op)) continue;
      // Panel presets carry nothing but Topaz's resolution, which sets their price.
      expect(Object.keys(preset.options).filter((k) => k !== 'targetResolution')).toEqual([]);
    }
    const oneClick = FOLLOW_UP_PRESETS.filter((p) => !PANEL_ONLY_OPS.has(p.op)).map((p) => p.op);
    expect(new Set(oneClick)).toEqual(
      new Set([
        'upscale',
        'variation',
        'reroll',
        'enhance',
        'video-diffusion',
        'extend-video',
        'video-upscale',
      ]),
    );
  });
});

describe('the Animate prompt', () => {
  it('writes only the flags that differ from Legnext defaults, and a loop takes no end frame', () => {
    const base = { text: 'the boat drifts', motion: 'low', loop: false, endUrl: '', batch: 4 } as const;
    expect(animatePrompt(base)).toBe('the boat drifts');
    expect(animatePrompt({ ...base, text: '  ' })).toBe('');
    expect(animatePrompt({ ...base, motion: 'high', endUrl: ' https://cdn.test/end.png ', batch: 2 })).toBe(
      'the boat drifts --motion high --end https://cdn.test/end.png --bs 2',
    );
    expect(animatePrompt({ ...base, loop: true, endUrl: 'https://cdn.test/end.png', batch: 1 })).toBe(
      'the boat drifts --loop --bs 1',
    );
  });

  it('builds prompts the core accepts and prices by batch size', () => {
    for (const batch of VIDEO_BATCH_SIZES) {
      for (const motion of ['low', 'high'] as const) {
        for (const loop of [false, true]) {
          const prompt = animatePrompt({
            text: 'rain falls',
            motion,
            loop,
            endUrl: 'https://cdn.test/e.png',
            batch,
          });
          expect(promptIssues(prompt, { kind: 'video' })).toEqual([]);
          expect(estimateCost('video-diffusion', prompt).points).toBe((480 * batch) / 4);
        }
      }
    }
    // Flags alone are a valid animate prompt too (the image is the subject).
    expect(
      promptIssues(animatePrompt({ text: '', motion: 'high', loop: true, endUrl: '', batch: 4 }), {
        kind: 'video',
      }),
    ).toEqual([]);
  });

  it('recognises http(s) URLs only', () => {
    expect(isHttpUrl('https://cdn.test/a.png')).toBe(true);
    expect(isHttpUrl(' http://127.0.0.1:8080/x ')).toBe(true);
    expect(isHttpUrl('ftp://cdn.test/a.png')).toBe(false);
    expect(isHttpUrl('cdn.test/a.png')).toBe(false);
    expect(isHttpUrl('')).toBe(false);
  });
});
