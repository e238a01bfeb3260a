/**
 * The renderer scrolling a very large library: 250,000 jobs in a temp library, the real renderer bundle
 * served by the real web bridge over a real Vault, in headless Chromium. The grid is scrolled from the
 * first job to the last in two phases: first at reading speed (under a screen per frame, so every
 * card is drawn in full and its picture decoded), then a sustained fling of a few screens per frame to
 * the last job, loading every page of the listing on the way (the grid draws light cards while it
 * flings). Measured: the longest frame (gap between animation frames) of either phase and the JS heap
 * (Chromium's JSHeapUsedSize, sampled through the DevTools protocol; the largest sample).
 *
 * The library is written in bulk with `bulkLoad` (bench/library/load.ts), whose rows the library
 * benchmark proves identical to those the Library API writes; every job that has files gets a real
 * thumbnail, hard-linked from a dozen small WebP pictures, so the grid decodes real images throughout.
 *
 * Run alone: `npx tsx bench/renderer/scroll.ts [jobs] [flingPixelsPerFrame]` (progress goes to stderr);
 * with `SCROLL_ATTRIBUTION=1` the result also lists the long animation frames and the scripts in them.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { chromium, type Browser } from 'playwright-core';
import { startBridge, type BridgeHandle } from '../../src/main/bridge/server';
import { openLibrary, thumbPathFor } from '../../src/main/core/library';
import { SecretStore, type SecretBackend } from '../../src/main/core/secrets';
import { Vault } from '../../src/main/core/vault';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/harness';
import { ensureRendererBuilt } from '../../test/e2e/build-renderer';
import { bulkLoad } from '../library/load';
import { LibraryPlanner, type JobPlan } from '../library/plan';

export interface PhaseResult {
  frames: number;
  medianFrameMs: number;
  p99FrameMs: number;
  longestFrameMs: number;
  seconds: number;
}

/** One long animation frame (Chromium's Long Animation Frames API), with the scripts that ran in it. */
export interface LongFrame {
  phase: 'reading' | 'fling';
  /** When the frame started, in ms since the phase started. */
  atMs: number;
  durationMs: number;
  /** Of the duration: script and task work before rendering, then style and layout. */
  scriptMs: number;
  styleLayoutMs: number;
  scripts: Array<{
    /** What ran it: a callback type and name ("FrameRequestCallback", "WebSocket.onmessage"…). */
    invoker: string;
    /** The function by name and its place in the bundle. */
    source: string;
    durationMs: number;
    forcedLayoutMs: number;
  }>;
}

export interface ScrollBenchResult {
  /** The longest gap between two animation frames in either phase, in ms. */
  longestFrameMs: number;
  /** The largest JS heap seen during the run, in MB (10^6 bytes). */
  heapMb: number;
  jobs: number;
  /** Scrolling at reading speed, below a screen per frame: full cards, pictures decoding. */
  reading: PhaseResult;
  /** The fling from there to the last job, loading every page of the listing. */
  fling: PhaseResult;
  /** With `attribution`: the longest animation frames of both phases, longest first. */
  longFrames?: LongFrame[];
}

export interface ScrollBenchOptions {
  jobs?: number;
  /** Pixels per frame of the fling to the end (several screens: light cards). */
  flingPixelsPerFrame?: number;
  /** Pixels per frame and frames of the reading-speed phase (under a screen: full cards). */
  readingPixelsPerFrame?: number;
  readingFrames?: number;
  /** Gives up (rejects) when the bottom is not reached in this long. */
  timeoutMs?: number;
  /** Called every few seconds while scrolling with the jobs loaded so far, as the header shows them. */
  onProgress?: (shown: string, seconds: number) => void;
  /** Records the long animation frames (over 40 ms) and what ran in them, in `longFrames`. */
  attribution?: boolean;
  /** Serves this renderer build instead of the current one (e.g. an unminified build, for names). */
  rendererDir?: string;
}

const DEFAULT_JOBS = 250_000;
const SHARED_THUMBS = 12;
const VIEWPORT = { width: 1920, height: 1080 };

/** The queue never runs here, but the core still needs a key store: this one holds nothing. */
class NoKeychain implements SecretBackend {
  readonly source = 'keychain' as const;
  async get(): Promise<string | null> {
    return null;
  }
  async set(): Promise<void> {}
  async delete(): Promise<boolean> {
    return false;
  }
}

/** A folder on tmpfs when there is one: a quarter of a million files are made and removed. */
function scratchDir(): string {
  const base = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return mkdtempSync(path.join(base, 'genvault-scroll-'));
}

/** Small coloured WebP pictures (noise over a hue), like real thumbnails in size and decode cost. */
async function makeThumbnails(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < SHARED_THUMBS; i++) {
    const size = 384;
    const pixels = Buffer.alloc(size * size * 3);
    const hue = (i * 360) / SHARED_THUMBS;
    for (let p = 0; p < size * size; p++) {
      const x = p % size;
      const y = Math.floor(p / size);
      const wave = Math.sin((x + i * 17) / 23) * Math.cos((y - i * 11) / 29);
      pixels[p * 3] = 128 + 100 * Math.sin(((hue + wave * 60) * Math.PI) / 180);
      pixels[p * 3 + 1] = 128 + 100 * Math.sin(((hue + 120 + wave * 60) * Math.PI) / 180);
      pixels[p * 3 + 2] = 128 + 100 * Math.sin(((hue + 240 + wave * 60) * Math.PI) / 180);
    }
    const file = path.join(dir, `${i}.webp`);
    await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
      .webp({ quality: 70 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** The output a library card shows: the grid, else the first image, else the first video. */
function coverOf(plan: JobPlan): JobPlan['outputs'][number] | undefined {
  const archived = plan.outputs.filter((o) => o.state === 'archived');
  return (
    archived.find((o) => o.kind === 'grid') ??
    archived.find((o) => o.kind === 'image') ??
    archived.find((o) => o.kind === 'video')
  );
}

function buildLibrary(dir: string, jobs: number, thumbs: string[]): number {
  openLibrary(dir).close();
  const planner = new LibraryPlanner({ jobs, now: Date.now(), seed: 20_251_121 });
  let linked = 0;
  const result = bulkLoad(dir, planner, (plan, id) => {
    const cover = coverOf(plan);
    if (!cover) return;
    const target = path.join(
      dir,
      ...thumbPathFor({ id, createdAt: plan.createdAt }, cover.kind, cover.index).split('/'),
    );
    mkdirSync(path.dirname(target), { recursive: true });
    linkSync(thumbs[plan.ordinal % thumbs.length]!, target);
    linked++;
  });
  if (result.jobs !== jobs) throw new Error(`The library holds ${result.jobs} jobs instead of ${jobs}.`);
  return linked;
}

interface FrameStats {
  /** Every gap between consecutive animation frames, in ms, sorted. */
  gaps: number[];
  shownCount: string;
  ms: number;
}

/**
 * Runs in the page: scrolls the grid by `pixelsPerFrame` on every animation frame, for `frames` frames
 * or (with `frames` 0) until the last job is on screen, recording the gap between consecutive frames.
 * Kept as source text because the page receives it as a string (a bundler's helpers would not exist
 * there).
 */
const SCROLL = `(pixelsPerFrame, frames, timeoutMs) => new Promise((resolve, reject) => {
  const grid = document.querySelector('.grid-scroll');
  if (!grid) return reject(new Error('The library grid is not on the page.'));
  const started = performance.now();
  let last = started;
  const gaps = [];
  const frame = (now) => {
    gaps.push(now - last);
    last = now;
    const atBottom = grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 2;
    // The header shows "N+ jobs" while more pages exist and "N jobs" once the last one is in.
    const shownCount = document.querySelector('.view-header .muted')?.textContent ?? '';
    const done = frames > 0 ? gaps.length >= frames : atBottom && !shownCount.includes('+');
    if (done) return resolve({ gaps: gaps.sort((a, b) => a - b), shownCount, ms: now - started });
    if (now - started > timeoutMs) {
      return reject(new Error('The grid was not scrolled to the end within ' + timeoutMs + ' ms.'));
    }
    grid.scrollTop += pixelsPerFrame;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(frame);
  });
})`;

/**
 * Installed in the page before the app loads when attribution is asked for: keeps every long animation
 * frame over 40 ms with its scripts (times relative to the page's time origin).
 */
const LONG_FRAME_OBSERVER = `(() => {
  const kept = (window.__longFrames = []);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration < 40) continue;
      kept.push({
        startTime: e.startTime,
        duration: e.duration,
        renderStart: e.renderStart,
        styleAndLayoutStart: e.styleAndLayoutStart,
        scripts: e.scripts.map((s) => ({
          invoker: s.invokerType + ' ' + s.invoker,
          source: (s.sourceFunctionName || '(anonymous)') + ' ' + s.sourceURL.replace(/^.*\\//, '') + ':' + s.sourceCharPosition,
          durationMs: Math.round(s.duration),
          forcedLayoutMs: Math.round(s.forcedStyleAndLayoutDuration),
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
})()`;

interface RawLongFrame {
  startTime: number;
  duration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: LongFrame['scripts'];
}

/** Labels raw long frames with the phase they fell in; those before the first phase are dropped. */
function longFramesOf(raw: RawLongFrame[], readingStart: number, flingStart: number): LongFrame[] {
  const frames: LongFrame[] = [];
  for (const f of raw) {
    if (f.startTime < readingStart) continue;
    const phase = f.startTime < flingStart ? 'reading' : 'fling';
    const renderStart = f.renderStart || f.startTime + f.duration;
    const styleStart = f.styleAndLayoutStart || renderStart;
    frames.push({
      phase,
      atMs: Math.round(f.startTime - (phase === 'reading' ? readingStart : flingStart)),
      durationMs: Math.round(f.duration),
      scriptMs: Math.round(renderStart - f.startTime),
      styleLayoutMs: Math.round(f.startTime + f.duration - styleStart),
      scripts: f.scripts,
    });
  }
  return frames.sort((a, b) => b.durationMs - a.durationMs);
}

/** The frame-gap percentile `q` (0…1) of sorted gaps, to 0.1 ms. */
function percentile(gaps: readonly number[], q: number): number {
  return Math.round((gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0) * 10) / 10;
}

export async function runScrollBench(opts: ScrollBenchOptions = {}): Promise<ScrollBenchResult> {
  const jobs = opts.jobs ?? DEFAULT_JOBS;
  const flingPixels = opts.flingPixelsPerFrame ?? 2400;
  const readingPixels = opts.readingPixelsPerFrame ?? 600;
  const readingFrames = opts.readingFrames ?? 600;
  const timeoutMs = opts.timeoutMs ?? 12 * 60_000;
  const dir = scratchDir();
  let vault: Vault | undefined;
  let bridge: BridgeHandle | undefined;
  let browser: Browser | undefined;
  try {
    const thumbs = await makeThumbnails(path.join(dir, '.bench-thumbs'));
    buildLibrary(dir, jobs, thumbs);
    const rendererDir = opts.rendererDir ?? (await ensureRendererBuilt());

    // A key from the environment so the app opens on the library; the API address leads nowhere.
    const env = { LEGNEXT_API_KEY: 'bench-key-0000', LEGNEXT_BASE_URL: 'http://127.0.0.1:9' };
    vault = Vault.open({ libraryDir: dir, secrets: new SecretStore(new NoKeychain(), env), env });
    bridge = await startBridge({ vault, rendererDir });

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (opts.attribution) await page.addInitScript(LONG_FRAME_OBSERVER);
    await page.goto(bridge.url);
    await page.locator('.card[data-job-id] img').first().waitFor({ timeout: 60_000 });

    let heapBytes = 0;
    const sampleHeap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      heapBytes = Math.max(heapBytes, used);
    };
    await sampleHeap();
    const scrollStarted = Date.now();
    let ticks = 0;
    const sampler = setInterval(() => {
      void sampleHeap().catch(() => undefined);
      if (opts.onProgress && ++ticks % 5 === 0) {
        void page
          .locator('.view-header .muted')
          .textContent()
          .then((shown) => opts.onProgress?.(shown ?? '', Math.round((Date.now() - scrollStarted) / 1000)))
          .catch(() => undefined);
      }
    }, 1000);

    const scroll = async (pixels: number, frames: number): Promise<FrameStats> =>
      (await page.evaluate(`(${SCROLL})(${pixels}, ${frames}, ${timeoutMs})`)) as FrameStats;
    const pageNow = async () => (await page.evaluate('performance.now()')) as number;
    let reading: FrameStats;
    let fling: FrameStats;
    let readingStart = 0;
    let flingStart = 0;
    try {
      readingStart = await pageNow();
      reading = await scroll(readingPixels, readingFrames);
      flingStart = await pageNow();
      fling = await scroll(flingPixels, 0);
    } finally {
      clearInterval(sampler);
    }
    await sampleHeap();
    // The header counts the jobs loaded ("250,000 jobs", without "+" once the last page is in).
    const shown = /^([\d.,\s\u202f\u00a0]+) jobs$/.exec(fling.shownCount.trim());
    if (!shown || Number(shown[1]!.replace(/\D/g, '')) !== jobs) {
      throw new Error(
        `Scrolling ended with the library showing "${fling.shownCount}", not all ${jobs} jobs.`,
      );
    }
    const phase = (stats: FrameStats): PhaseResult => ({
      frames: stats.gaps.length,
      medianFrameMs: percentile(stats.gaps, 0.5),
      p99FrameMs: percentile(stats.gaps, 0.99),
      longestFrameMs: percentile(stats.gaps, 1),
      seconds: Math.round(stats.ms / 100) / 10,
    });
    const result = { reading: phase(reading), fling: phase(fling) };
    const longFrames = opts.attribution
      ? longFramesOf((await page.evaluate('window.__longFrames')) as RawLongFrame[], readingStart, flingStart)
      : undefined;
    return {
      longestFrameMs: Math.max(result.reading.longestFrameMs, result.fling.longestFrameMs),
      heapMb: Math.round(heapBytes / 1e5) / 10,
      jobs,
      ...result,
      ...(longFrames ? { longFrames } : {}),
    };
  } finally {
    await browser?.close();
    await bridge?.close();
    await vault?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const jobs = process.argv[2] ? Number(process.argv[2]) : DEFAULT_JOBS;
  runScrollBench({
    jobs,
    flingPixelsPerFrame: process.argv[3] ? Number(process.argv[3]) : undefined,
    onProgress: (shown, seconds) => console.error(`${seconds} s: ${shown}`),
    attribution: process.env.SCROLL_ATTRIBUTION === '1',
  }).then(
    (result) => console.log(JSON.stringify(result)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
