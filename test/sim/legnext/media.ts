/**
 * The bytes behind the simulated CDN. Images are real PNGs rendered from the job id, so the same URL
 * always yields the same bytes (a stable sha256) while every job and index looks different. Videos
 * are one real MP4 made once per process with ffmpeg, tagged per job so each file is distinct.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';

const run = promisify(execFile);

/** Base colours per image index, so the four images of a grid are told apart at a glance. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [196, 84, 64],
  [64, 132, 196],
  [88, 170, 96],
  [200, 168, 72],
];

export interface ImageSpec {
  jobId: string;
  /** Pixel size of one image (grids are 2× in each direction). */
  width: number;
  height: number;
  /** Transparent background, as a background-removal result has. */
  alpha: boolean;
}

function seedOf(jobId: string, index: number): number {
  return createHash('sha256').update(`${jobId}:${index}`).digest().readUInt32BE(0);
}

/** Smooth waves over a per-index colour: compresses to ~120 KB per 512² image, like a scaled-down render. */
function paintCell(
  target: Buffer,
  stride: number,
  channels: number,
  x0: number,
  y0: number,
  spec: ImageSpec,
  index: number,
): void {
  const seed = seedOf(spec.jobId, index);
  const [r0, g0, b0] = PALETTE[index % PALETTE.length] ?? [128, 128, 128];
  const fx = 40 + (seed % 41);
  const fy = 30 + ((seed >>> 8) % 37);
  const phase = (seed >>> 16) % 628;
  const { width: w, height: h } = spec;
  for (let y = 0; y < h; y++) {
    const cy = Math.cos(y / fy + phase / 100);
    for (let x = 0; x < w; x++) {
      const wave = Math.sin(x / fx + phase / 50) * cy * 40;
      const i = ((y0 + y) * stride + (x0 + x)) * channels;
      target[i] = clamp(r0 + wave + (x / w) * 40);
      target[i + 1] = clamp(g0 + wave * 0.5 + (y / h) * 40);
      target[i + 2] = clamp(b0 - wave);
      if (channels === 4) {
        const dx = (x - w / 2) / (w / 2);
        const dy = (y - h / 2) / (h / 2);
        target[i + 3] = dx * dx + dy * dy <= 0.64 ? 255 : 0;
      }
    }
  }
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

async function encode(raw: Buffer, width: number, height: number, channels: 3 | 4): Promise<Buffer> {
  return sharp(raw, { raw: { width, height, channels } }).png({ compressionLevel: 6 }).toBuffer();
}

/** Image `index` of a job. */
export async function renderImage(spec: ImageSpec, index: number): Promise<Buffer> {
  const channels = spec.alpha ? 4 : 3;
  const raw = Buffer.alloc(spec.width * spec.height * channels);
  paintCell(raw, spec.width, channels, 0, 0, spec, index);
  return encode(raw, spec.width, spec.height, channels);
}

/** The 2×2 grid; its quadrants are exactly images 0–3 (top-left, top-right, bottom-left, bottom-right). */
export async function renderGrid(spec: ImageSpec): Promise<Buffer> {
  const channels = spec.alpha ? 4 : 3;
  const width = spec.width * 2;
  const height = spec.height * 2;
  const raw = Buffer.alloc(width * height * channels);
  for (let index = 0; index < 4; index++) {
    paintCell(
      raw,
      width,
      channels,
      (index % 2) * spec.width,
      Math.floor(index / 2) * spec.height,
      spec,
      index,
    );
  }
  return encode(raw, width, height, channels);
}

let baseVideo: Promise<Buffer> | undefined;

/** A 1 s 320×320 test pattern, H.264 when this ffmpeg build has it, MPEG-4 part 2 otherwise. */
function makeBaseVideo(): Promise<Buffer> {
  baseVideo ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'legnext-sim-video-'));
    const out = path.join(dir, 'clip.mp4');
    const input = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=1:size=320x320:rate=24',
    ];
    const tail = ['-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-an', '-y', out];
    try {
      try {
        await run(ffmpeg.path, [...input, '-c:v', 'libx264', '-preset', 'ultrafast', ...tail]);
      } catch {
        await run(ffmpeg.path, [...input, '-c:v', 'mpeg4', ...tail]);
      }
      return await readFile(out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  baseVideo.catch(() => {
    baseVideo = undefined;
  });
  return baseVideo;
}

/**
 * The shared clip plus a trailing ISO-BMFF `free` box naming the job and index: players skip `free`
 * boxes, so the file stays a valid MP4 while its bytes (and sha256) are unique per output.
 */
export async function renderVideo(jobId: string, index: number): Promise<Buffer> {
  const base = await makeBaseVideo();
  const payload = Buffer.from(`legnext-sim ${jobId} ${index}`, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write('free', 4, 'latin1');
  return Buffer.concat([base, header, payload]);
}

/** A small bounded cache: CDN tests fetch the same file repeatedly (HEAD, ranges, resumes). */
export class MediaCache {
  private readonly entries = new Map<string, Promise<Buffer>>();
  constructor(private readonly limit = 48) {}

  get(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const made = make();
    made.catch(() => this.entries.delete(key));
    this.entries.set(key, made);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return made;
  }
}
