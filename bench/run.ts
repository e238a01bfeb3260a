/**
 * `npm run bench`: GenVault's core benchmarks (issue #2) and the renderer's scroll benchmark when it is
 * present. Writes BENCHMARKS.md (overwritten each run) and prints a summary.
 *
 *   npm run bench                              every benchmark at full size (about 5–10 minutes)
 *   npm run bench -- --quick                   reduced sizes, a smoke test of the whole run
 *   npm run bench -- --only library,queue      a subset: library, archive, thumbnails, queue, renderer
 *   npm run bench -- --no-renderer             leave out the renderer scroll benchmark
 *   npm run bench -- --out FILE                write the report somewhere else than BENCHMARKS.md
 *
 * Intermediate data lives in one temp folder that is removed at the end, also after Ctrl-C.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runArchiveBench } from './archive/bench';
import { makeMediaFixtures } from './archive/fixtures';
import type { MediaFixtures } from './archive/fixtures';
import { runLibraryBench } from './library/bench';
import { describeMachine, formatDuration, renderMarkdown, renderSummary } from './lib/report';
import type { Section } from './lib/report';
import { msSince } from './lib/stats';
import { runQueueBench } from './queue/bench';
import { runRendererBench } from './renderer-entry';
import { runThumbnailBench } from './thumbnails/bench';

const BENCHMARKS = ['library', 'archive', 'thumbnails', 'queue', 'renderer'] as const;
type BenchmarkId = (typeof BENCHMARKS)[number];

const TITLES: Record<BenchmarkId, string> = {
  library: 'Library at scale',
  archive: 'Archiver throughput vs curl',
  thumbnails: 'Thumbnails and video posters',
  queue: 'Queue requests and detection latency vs the SDK loop',
  renderer: 'Renderer scroll',
};

const ROOT = path.resolve(import.meta.dirname, '..');

function usage(message: string): never {
  console.error(
    `${message}\nUsage: npm run bench -- [--quick] [--only ${BENCHMARKS.join(',')}] [--no-renderer] [--out FILE]`,
  );
  process.exit(2);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        only: { type: 'string' },
        quick: { type: 'boolean', default: false },
        renderer: { type: 'boolean', default: true },
        out: { type: 'string', default: path.join(ROOT, 'BENCHMARKS.md') },
      },
      allowNegative: true,
      strict: true,
    }).values;
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
}

function parseOptions(): { only: Set<BenchmarkId>; quick: boolean; out: string; command: string } {
  const values = parseFlags();
  const only = new Set<BenchmarkId>();
  for (const name of (values.only ?? BENCHMARKS.join(',')).split(',').map((s) => s.trim())) {
    if (name === '') continue;
    if (!(BENCHMARKS as readonly string[]).includes(name)) usage(`Unknown benchmark "${name}".`);
    only.add(name as BenchmarkId);
  }
  if (!values.renderer) only.delete('renderer');
  if (only.size === 0) usage('Nothing to run.');
  const args = process.argv.slice(2).join(' ');
  return {
    only,
    quick: values.quick,
    out: path.resolve(values.out),
    command: `npm run bench${args ? ` -- ${args}` : ''}`,
  };
}

async function main(): Promise<number> {
  const options = parseOptions();
  const startedAt = new Date();
  const started = process.hrtime.bigint();
  const loadAtStart = os.loadavg()[0]!;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'genvault-bench-'));
  const cleanUp = (): void => rmSync(workDir, { recursive: true, force: true });
  const onSignal = (): void => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const sections: Section[] = [];
  let fixtures: MediaFixtures | undefined;
  const media = async (): Promise<MediaFixtures> =>
    (fixtures ??= await makeMediaFixtures(path.join(workDir, 'media'), { quick: options.quick }));
  const runners: Record<BenchmarkId, () => Promise<Section>> = {
    library: () => runLibraryBench({ workDir, quick: options.quick }),
    archive: async () => runArchiveBench({ workDir, fixtures: await media(), quick: options.quick }),
    thumbnails: async () => runThumbnailBench({ workDir, fixtures: await media(), quick: options.quick }),
    queue: () => runQueueBench({ workDir, quick: options.quick }),
    renderer: () => runRendererBench(),
  };

  try {
    for (const id of BENCHMARKS) {
      if (!options.only.has(id)) continue;
      console.log(`▶ ${TITLES[id]}…`);
      const benchStarted = process.hrtime.bigint();
      let section: Section;
      try {
        section = await runners[id]();
      } catch (err) {
        console.error(err);
        section = {
          id,
          title: TITLES[id],
          method: 'The benchmark broke off before it could report.',
          metrics: [],
          notes: [],
          // The first line says what went wrong; the whole error with its stack went to stderr above.
          error: (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim(),
          elapsedMs: msSince(benchStarted),
        };
      }
      sections.push(section);
      console.log(`  done in ${formatDuration(section.elapsedMs)}`);
    }
  } finally {
    cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const elapsedMs = msSince(started);
  const markdown = renderMarkdown({
    machine: describeMachine(),
    startedAt,
    elapsedMs,
    command: options.command,
    quick: options.quick,
    load: [loadAtStart, os.loadavg()[0]!],
    sections,
  });
  writeFileSync(options.out, markdown);
  const relative = path.relative(process.cwd(), options.out);
  const shown = relative.startsWith('..') ? options.out : relative;
  console.log(`\n${renderSummary(sections)}\n\nWrote ${shown} (${formatDuration(elapsedMs)} in all).`);
  if (existsSync(workDir)) console.error(`Could not remove the temp folder ${workDir}.`);
  return sections.some((s) => s.error !== undefined) ? 1 : 0;
}

process.exitCode = await main();
