/**
 * One valid friendly input per Vidu mode and the exact body UniAll's docs show for it. The image and
 * first-and-last-frame bodies are the seed's own examples (its mix model aside).
 */
import type { ViduInput, ViduTaskType } from '../../src/main/core/providers/vidu';

export const HEAD = 'https://example.com/head.png';
export const TAIL = 'https://example.com/tail.png';
export const REF_1 = 'https://example.com/ref-1.png';
export const REF_2 = 'https://example.com/ref-2.png';
/** A 1×1 transparent PNG as a data URI. */
export const PNG_DATA_URI =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export const VALID: Record<ViduTaskType, { input: ViduInput; body: Record<string, unknown> }> = {
  text_to_video: {
    input: {
      model: 'viduq3p-720p',
      prompt: '  A lighthouse at dusk, slow camera push-in. ',
      aspectRatio: '16:9',
      duration: 5,
      audio: false,
      seed: 42,
      bgm: false,
    },
    body: {
      model: 'viduq3p-720p',
      prompt: 'A lighthouse at dusk, slow camera push-in.',
      aspect_ratio: '16:9',
      duration: 5,
      extra_body: { audio: false, seed: 42, bgm: false },
    },
  },
  image_to_video: {
    input: {
      model: 'viduq3t-540p',
      prompt: 'Natural motion, steady camera.',
      image: 'https://example.com/source.png',
      duration: 5,
      seed: 42,
    },
    body: {
      model: 'viduq3t-540p',
      prompt: 'Natural motion, steady camera.',
      image: 'https://example.com/source.png',
      duration: 5,
      extra_body: { seed: 42 },
    },
  },
  start_end_to_video: {
    input: {
      model: 'viduq3p-1080p-offpeak',
      prompt: 'Keep identity stable, one continuous action.',
      image: HEAD,
      lastImage: TAIL,
      duration: 6,
    },
    body: {
      model: 'viduq3p-1080p-offpeak',
      prompt: 'Keep identity stable, one continuous action.',
      image: HEAD,
      last_image: TAIL,
      duration: 6,
    },
  },
  reference_to_video: {
    input: {
      model: 'viduq3p-720p',
      prompt: 'A @Image1 walking through a beach in the visual style of @Image2',
      referenceImages: [REF_1, REF_2],
      aspectRatio: '16:9',
      duration: 5,
      audio: false,
      seed: 42,
    },
    body: {
      model: 'viduq3p-720p',
      prompt: 'A @Image1 walking through a beach in the visual style of @Image2',
      reference_image_urls: [REF_1, REF_2],
      aspect_ratio: '16:9',
      duration: 5,
      extra_body: { audio: false, seed: 42 },
    },
  },
};
