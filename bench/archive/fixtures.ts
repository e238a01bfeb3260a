/**
 * Media of realistic size for the archiver and thumbnail benchmarks: PNGs of noise (so they do not
 * compress away: 2–4 MB each, like Midjourney's 1024-px images) and short H.264 MP4s like Legnext's
 * 5-second 480p videos.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';
import { createRng } from '../lib/random';
import { runPool } from '../lib/stats';

export interface MediaFile {
  name: string;
  path: string;
  bytes: number;
  kind: 'image' | 'video';
}

export interface MediaFixtures {
  dir: string;
  files: MediaFile[];
  images: MediaFile[];
  videos: MediaFile[];
}

const SIDES = [896, 960, 1024, 1088, 1152, 1216];

async function makePng(file: string, width: number, height: number): Promise<void> {
  await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 90, g: 110, b: 140 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png({ compressionLevel: 2 })
    .toFile(file);
}

function makeMp4(file: string, seed: number): Promise<void> {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=832x464:rate=24:duration=5,noise=alls=24:allf=t:all_seed=${seed}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    '4M',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-y',
    file,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg could not make ${file}: ${stderr.trim()}`)),
    );
  });
}

export async function makeMediaFixtures(dir: string, opts: { quick: boolean }): Promise<MediaFixtures> {
  mkdirSync(dir, { recursive: true });
  const rng = createRng(42);
  const imageCount = opts.quick ? 8 : 36;
  const videoCount = opts.quick ? 2 : 4;
  const tasks: Array<() => Promise<MediaFile>> = [];
  for (let i = 0; i < imageCount; i++) {
    const name = `image-${String(i).padStart(2, '0')}.png`;
    const file = path.join(dir, name);
    const [w, h] = [rng.pick(SIDES), rng.pick(SIDES)];
    tasks.push(async () => {
      await makePng(file, w, h);
      return { name, path: file, bytes: statSync(file).size, kind: 'image' };
    });
  }
  for (let i = 0; i < videoCount; i++) {
    const name = `video-${i}.mp4`;
    const file = path.join(dir, name);
    tasks.push(async () => {
      await makeMp4(file, i + 1);
      return { name, path: file, bytes: statSync(file).size, kind: 'video' };
    });
  }
  const files = await runPool(tasks, 2);
  return {
    dir,
    files,
    images: files.filter((f) => f.kind === 'image'),
    videos: files.filter((f) => f.kind === 'video'),
  };
}
