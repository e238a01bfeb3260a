/**
 * Decoding checks and facts about local media: sharp for images, the bundled ffmpeg binary for videos.
 * "Decodable" means a full decode of the image, and for a video that the container opens and its first
 * video frame decodes — enough to catch a web page, a truncated file or a corrupt stream.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { JobFailedError } from '../errors';
import { withDecodeSlot } from './decode-slots';
import { MediaDecodeError } from './errors';
import { SNIFF_BYTES, sniffMedia } from './sniff';

export interface ImageFacts {
  width: number;
  height: number;
}

export interface VideoFacts {
  width: number;
  height: number;
  /** Null when the container does not state a duration. */
  durationMs: number | null;
}

/** Decodes the whole image (the first frame of an animation); corrupt data fails, minor warnings do not. */
export async function probeImage(filePath: string): Promise<ImageFacts> {
  try {
    const { width, height } = await withDecodeSlot(async () => {
      const image = sharp(filePath, { failOn: 'error' });
      const header = await image.metadata();
      await image.stats();
      return header;
    });
    if (!width || !height) throw new Error('no dimensions');
    return { width, height };
  } catch (err) {
    throw new MediaDecodeError(filePath, 'image', errorText(err));
  }
}

/** Opens the container and decodes the first video frame; duration and size come from ffmpeg's report. */
export async function probeVideo(filePath: string, signal?: AbortSignal): Promise<VideoFacts> {
  // ffmpeg also opens stills (a PNG is a one-frame "video" to it); only real video containers count.
  const media = sniffMedia(await readHead(filePath));
  if (media?.kind !== 'video') throw new MediaDecodeError(filePath, 'video', 'not an MP4, MOV or WebM file');
  const run = await runFfmpeg(
    ['-hide_banner', '-nostdin', '-i', filePath, '-map', '0:v:0', '-frames:v', '1', '-f', 'null', '-'],
    { signal },
  );
  const facts = parseInputReport(run.stderr);
  if (run.code !== 0 || !facts) {
    throw new MediaDecodeError(filePath, 'video', lastLine(run.stderr) || 'ffmpeg could not read it');
  }
  return facts;
}

/**
 * One frame of a video as PNG bytes, taken at `atMs` (seeking on the input). Returns an empty buffer when
 * the video has no frame at that time.
 */
export async function extractFramePng(filePath: string, atMs: number, signal?: AbortSignal): Promise<Buffer> {
  const run = await runFfmpeg(
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-ss',
      (atMs / 1000).toFixed(3),
      '-i',
      filePath,
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-c:v',
      'png',
      '-',
    ],
    { signal },
  );
  if (run.code !== 0) {
    throw new MediaDecodeError(filePath, 'video', lastLine(run.stderr) || 'ffmpeg could not read it');
  }
  return run.stdout;
}

/**
 * Facts from the "Input #0" section of ffmpeg's stderr (the output section that follows describes the
 * null muxer's stream and must not be read). Null when no video stream with a size is listed.
 */
export function parseInputReport(stderr: string): VideoFacts | null {
  const outputAt = stderr.search(/^Output #0/m);
  const input = outputAt >= 0 ? stderr.slice(0, outputAt) : stderr;
  // `Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1280x720 [SAR 1:1 DAR 16:9], …`:
  // the size is the first <digits>x<digits> token after the codec; hex tags like 0x3163… never match.
  const size = /Stream #\d+:\d+.*?: Video: .*?\b(\d{2,5})x(\d{2,5})\b/.exec(input);
  if (!size) return null;
  const duration = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(input);
  const durationMs = duration
    ? Math.round((Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])) * 1000)
    : null;
  return { width: Number(size[1]), height: Number(size[2]), durationMs };
}

interface FfmpegRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** ffmpeg's report on a file is a few KB; anything past this is repetition. */
const STDERR_LIMIT = 64 * 1024;
/** A PNG frame of a 4K video stays well below this. */
const STDOUT_LIMIT = 128 * 1024 * 1024;
/** A wedged ffmpeg (a pathological file) is killed rather than holding a pool slot for ever. */
const FFMPEG_TIMEOUT_MS = 120_000;

let ffmpegBinary: Promise<string> | undefined;

/**
 * The bundled binary, loaded on first use: the installer package throws at import on a platform it does
 * not ship, which must not break image archiving. Inside a packaged Electron app the binary lives in the
 * unpacked copy of the archive, because an executable cannot run from inside `app.asar`.
 */
function ffmpegPath(): Promise<string> {
  ffmpegBinary ??= import('@ffmpeg-installer/ffmpeg').then(
    (mod) => mod.default.path.replace(`app.asar${pathSeparator()}`, `app.asar.unpacked${pathSeparator()}`),
    (err: unknown) => {
      ffmpegBinary = undefined;
      throw new JobFailedError(
        `Videos cannot be checked because the bundled ffmpeg is missing (${errorText(err)}).`,
      );
    },
  );
  return ffmpegBinary;
}

function pathSeparator(): string {
  return process.platform === 'win32' ? '\\' : '/';
}

async function runFfmpeg(args: string[], opts: { signal?: AbortSignal | undefined }): Promise<FfmpegRun> {
  const bin = await ffmpegPath();
  opts.signal?.throwIfAborted();
  return new Promise<FfmpegRun>((resolve, reject) => {
    const child = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      timeout: FFMPEG_TIMEOUT_MS,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: unknown;
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > STDOUT_LIMIT) {
        failure ??= new Error('ffmpeg produced more output than expected');
        child.kill();
      } else {
        stdout.push(chunk);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk;
    });
    // With a signal, an abort surfaces as 'error'; 'close' still follows once the process is gone.
    child.on('error', (err) => {
      failure ??= err;
    });
    child.on('close', (code) => {
      if (opts.signal?.aborted) reject(opts.signal.reason);
      else if (failure) reject(new JobFailedError(`ffmpeg could not be run (${errorText(failure)}).`));
      else resolve({ code, stdout: Buffer.concat(stdout), stderr });
    });
  });
}

async function readHead(filePath: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(filePath, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch (err) {
    throw new MediaDecodeError(filePath, 'video', errorText(err));
  } finally {
    await handle?.close();
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
