/**
 * The renderer's scroll benchmark lives in bench/renderer/scroll.ts (owned by the renderer work) and
 * exports `runScrollBench(): Promise<{ longestFrameMs, heapMb, jobs }>`. It is loaded only when the file
 * is there, so the core benchmarks run on a checkout without it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMs, pass } from './lib/report';
import type { Section } from './lib/report';
import { msSince } from './lib/stats';

const SCROLL_BENCH = path.join(import.meta.dirname, 'renderer', 'scroll.ts');
const LONGEST_FRAME_TARGET_MS = 50;
const HEAP_TARGET_MB = 300;

interface ScrollResult {
  longestFrameMs: number;
  heapMb: number;
  jobs: number;
}

function isScrollResult(value: unknown): value is ScrollResult {
  const r = value as Partial<ScrollResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.longestFrameMs === 'number' &&
    typeof r.heapMb === 'number' &&
    typeof r.jobs === 'number'
  );
}

export async function runRendererBench(): Promise<Section> {
  const started = process.hrtime.bigint();
  const base = {
    id: 'renderer',
    title: 'Renderer scroll',
    method:
      'The real renderer over the loopback bridge in headless Chromium scrolls the library grid from top to ' +
      'bottom; the longest frame and the JS heap are measured by bench/renderer/scroll.ts.',
    notes: [],
  };
  if (!existsSync(SCROLL_BENCH)) {
    return {
      ...base,
      metrics: [],
      skipped: 'not available (bench/renderer/scroll.ts is missing)',
      elapsedMs: 0,
    };
  }
  const module = (await import(pathToFileURL(SCROLL_BENCH).href)) as {
    runScrollBench?: () => Promise<unknown>;
  };
  if (typeof module.runScrollBench !== 'function') {
    return {
      ...base,
      metrics: [],
      skipped: 'not available (scroll.ts exports no runScrollBench)',
      elapsedMs: 0,
    };
  }
  const result = await module.runScrollBench();
  if (!isScrollResult(result)) {
    throw new Error('runScrollBench did not return { longestFrameMs, heapMb, jobs }.');
  }
  return {
    ...base,
    metrics: [
      { name: 'Jobs in the library', value: result.jobs.toLocaleString('en'), target: '—', verdict: 'info' },
      {
        name: 'Longest frame while scrolling',
        value: formatMs(result.longestFrameMs),
        target: `≤ ${LONGEST_FRAME_TARGET_MS} ms`,
        verdict: pass(result.longestFrameMs <= LONGEST_FRAME_TARGET_MS),
      },
      {
        name: 'JS heap',
        value: `${result.heapMb.toFixed(1)} MB`,
        target: `≤ ${HEAP_TARGET_MB} MB`,
        verdict: pass(result.heapMb <= HEAP_TARGET_MB),
      },
    ],
    elapsedMs: msSince(started),
  };
}
