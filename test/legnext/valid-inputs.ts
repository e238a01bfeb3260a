/** One valid friendly input per Legnext op and the exact body the docs say it should become. */
import type { LegnextInput, LegnextOp } from '../../src/main/core/providers/legnext/requests';

export const JOB = '5dd94ec3-7282-4f04-9445-59e850ef1822';
export const IMG = 'https://cdn.legnext.ai/mj/ba5d06e1-5078-4465-adc1-a4264ecdfac7_0.png';
export const POLYGON = { width: 500, height: 500, points: [10, 10, 10, 100, 100, 100, 100, 10] };

export const VALID: Record<LegnextOp, { input: LegnextInput; body: Record<string, unknown> }> = {
  diffusion: {
    input: { op: 'diffusion', prompt: '  A beautiful sunset over the snow mountains --v 7 --draft ' },
    body: { text: 'A beautiful sunset over the snow mountains --v 7 --draft' },
  },
  variation: {
    input: { op: 'variation', jobId: JOB, imageNo: 0, type: 'subtle', remixPrompt: 'more clouds' },
    body: { jobId: JOB, imageNo: 0, type: 0, remixPrompt: 'more clouds' },
  },
  upscale: {
    input: { op: 'upscale', jobId: JOB, imageNo: 3, type: 'creative' },
    body: { jobId: JOB, imageNo: 3, type: 1 },
  },
  reroll: { input: { op: 'reroll', jobId: JOB }, body: { jobId: JOB } },
  blend: {
    input: {
      op: 'blend',
      imageUrls: ['https://example.com/image1.png', 'https://example.com/image2.png'],
      aspectRatio: '3:2',
    },
    body: {
      imgUrls: ['https://example.com/image1.png', 'https://example.com/image2.png'],
      aspect_ratio: '3:2',
    },
  },
  describe: {
    input: { op: 'describe', imageUrl: 'https://example.com/image.png' },
    body: { imgUrl: 'https://example.com/image.png' },
  },
  shorten: {
    input: { op: 'shorten', prompt: 'A cyberpunk hacker workspace --ar 21:9 --v 7 --style raw --q 2' },
    body: { prompt: 'A cyberpunk hacker workspace --ar 21:9 --v 7 --style raw --q 2' },
  },
  pan: {
    input: {
      op: 'pan',
      jobId: JOB,
      imageNo: 0,
      direction: 'right',
      scale: 1.5,
      remixPrompt: 'a lake near the mountain',
    },
    body: { jobId: JOB, imageNo: 0, direction: 1, scale: 1.5, remixPrompt: 'a lake near the mountain' },
  },
  outpaint: {
    input: { op: 'outpaint', jobId: JOB, imageNo: 0, scale: 1.5, remixPrompt: 'clouds over the sky' },
    body: { jobId: JOB, imageNo: 0, scale: 1.5, remixPrompt: 'clouds over the sky' },
  },
  inpaint: {
    input: {
      op: 'inpaint',
      jobId: JOB,
      imageNo: 0,
      mask: { areas: [POLYGON] },
      remixPrompt: 'Add a tree in the center',
    },
    body: { jobId: JOB, imageNo: 0, mask: { areas: [POLYGON] }, remixPrompt: 'Add a tree in the center' },
  },
  remix: {
    input: {
      op: 'remix',
      jobId: JOB,
      imageNo: 0,
      remixPrompt: 'Change the time of day to golden hour sunset',
      mode: 'subtle',
    },
    body: { jobId: JOB, imageNo: 0, remixPrompt: 'Change the time of day to golden hour sunset', mode: 1 },
  },
  edit: {
    input: {
      op: 'edit',
      jobId: JOB,
      imageNo: 1,
      canvas: { width: 1024, height: 1024 },
      imgPos: { width: 512, height: 512, x: 256, y: 256 },
      remixPrompt: 'A beautiful landscape with mountains',
      mask: { areas: [POLYGON] },
    },
    body: {
      jobId: JOB,
      imageNo: 1,
      canvas: { width: 1024, height: 1024 },
      imgPos: { width: 512, height: 512, x: 256, y: 256 },
      remixPrompt: 'A beautiful landscape with mountains',
      mask: { areas: [POLYGON] },
    },
  },
  'upload-paint': {
    input: {
      op: 'upload-paint',
      imageUrl: IMG,
      canvas: { width: 1024, height: 1024 },
      imgPos: { width: 512, height: 512, x: 256, y: 256 },
      remixPrompt: 'A beautiful mountain scene with trees',
      mask: { url: 'https://example.com/mask-image.png' },
    },
    body: {
      imgUrl: IMG,
      canvas: { width: 1024, height: 1024 },
      imgPos: { width: 512, height: 512, x: 256, y: 256 },
      remixPrompt: 'A beautiful mountain scene with trees',
      mask: { url: 'https://example.com/mask-image.png' },
    },
  },
  retexture: {
    input: {
      op: 'retexture',
      imageUrl: 'https://example.com/image.jpg',
      remixPrompt: 'Convert to oil painting style',
    },
    body: { imgUrl: 'https://example.com/image.jpg', remixPrompt: 'Convert to oil painting style' },
  },
  'remove-background': {
    input: { op: 'remove-background', imageUrl: 'https://example.com/image.jpg' },
    body: { imgUrl: 'https://example.com/image.jpg' },
  },
  enhance: { input: { op: 'enhance', jobId: JOB, imageNo: 2 }, body: { jobId: JOB, imageNo: 2 } },
  'enhance-upscale': {
    input: {
      op: 'enhance-upscale',
      imageUrl: 'https://example.com/photo.jpg',
      targetResolution: '4K',
      contentType: 'photo',
    },
    body: { image_url: 'https://example.com/photo.jpg', target_resolution: '4K', content_type: 'photo' },
  },
  'video-diffusion': {
    input: {
      op: 'video-diffusion',
      jobId: JOB,
      imageNo: 0,
      prompt: 'Make this image move with gentle animation',
      quality: 480,
    },
    body: { jobId: JOB, imageNo: 0, prompt: 'Make this image move with gentle animation', videoType: 0 },
  },
  'extend-video': {
    input: {
      op: 'extend-video',
      jobId: JOB,
      videoNo: 0,
      prompt: 'Continue with more dynamic movement and effects',
    },
    body: { jobId: JOB, videoNo: 0, prompt: 'Continue with more dynamic movement and effects' },
  },
  'video-upscale': {
    input: { op: 'video-upscale', jobId: JOB, videoNo: 3 },
    body: { jobId: JOB, videoNo: 3 },
  },
};
