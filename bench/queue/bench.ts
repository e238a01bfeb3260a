/**
 * Benchmark 4 — how many status requests the queue spends per job, and how late it notices a finished
 * job, against the loop Legnext's SDK docs show (`waitForCompletion`: GET /v1/job, then sleep 3 s, until
 * completed), on the same simulated jobs.
 *
 * Time is scaled down by S so a 40-second diffusion takes 2 s: the simulator's phase durations, the SDK
 * loop's 3-second interval and every duration in GenVault's poll policy are multiplied by S, and
 * latencies are divided by S again when reported. Request counts do not depend on the scale.
 *
 * Each round runs one job of every task type on a fresh simulator whose durations are drawn anew, so
 * every job gets its own duration from a realistic distribution while the simulator keeps one duration
 * per task type. The SDK loop and GenVault (cold: empty library; warm: a library that has seen this
 * user's jobs, so the queue's learned durations apply) run the same rounds (same draws), one after the other.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FINISHED_STATUSES } from '../../src/shared/domain';
import { openLibrary } from '../../src/main/core/library';
import { LegnextClient, buildLegnextRequest, parseLegnextInput } from '../../src/main/core/providers/legnext';
import type { LegnextInput } from '../../src/main/core/providers/legnext';
import { DEFAULT_POLL_POLICY } from '../../src/main/core/queue/backoff';
import type { PollPolicy } from '../../src/main/core/queue/backoff';
import { SecretStore } from '../../src/main/core/secrets';
import type { SecretBackend } from '../../src/main/core/secrets';
import { Vault } from '../../src/main/core/vault';
import { startChild } from '../lib/child';
import type { ChildServer } from '../lib/child';
import { createRng } from '../lib/random';
import type { Rng } from '../lib/random';
import { pass } from '../lib/report';
import type { Metric, Section } from '../lib/report';
import { mean, median, msSince, percentile } from '../lib/stats';
import type { ApiRequest } from './sim-host';

export interface QueueBenchOptions {
  workDir: string;
  quick: boolean;
}

/** Time scale: 1 s of a real job is 50 ms here. */
const S = 1 / 20;
/** The SDK docs' `pollIntervalSeconds` default. */
const SDK_INTERVAL_MS = 3000;
const TARGET_SHARE = 0.25;
const SIM_MODULE = path.join(import.meta.dirname, 'sim-host.ts');

type Phase = 'pending' | 'staged' | 'processing';

interface TaskKind {
  label: string;
  taskType: string;
  /** Median processing time of a real job and its spread (log-normal sigma). */
  processingMs: number;
  sigma: number;
  input: (ctx: { parentId: string; imageUrl: string; round: number }) => LegnextInput;
}

/**
 * Real-world durations: Legnext's docs say fast mode "usually completes image generation within
 * 1 minute"; upscales take about half that, describe a few seconds, a video about two minutes. They are
 * deliberately not GenVault's own expectations (backoff.ts), so the queue is not measured on jobs
 * shaped exactly to its guesses.
 */
const KINDS: TaskKind[] = [
  {
    label: 'diffusion',
    taskType: 'diffusion',
    processingMs: 36_000,
    sigma: 0.25,
    input: ({ round }) => ({
      op: 'diffusion',
      prompt: `a lighthouse at dusk, round ${round} --ar 16:9 --v 7`,
    }),
  },
  {
    label: 'variation',
    taskType: 'variation',
    processingMs: 32_000,
    sigma: 0.25,
    input: ({ parentId }) => ({ op: 'variation', jobId: parentId, imageNo: 1, type: 'subtle' }),
  },
  {
    label: 'upscale',
    taskType: 'upscale',
    processingMs: 14_000,
    sigma: 0.3,
    input: ({ parentId }) => ({ op: 'upscale', jobId: parentId, imageNo: 2, type: 'subtle' }),
  },
  {
    label: 'describe',
    taskType: 'describe',
    processingMs: 4_000,
    sigma: 0.3,
    input: ({ imageUrl }) => ({ op: 'describe', imageUrl }),
  },
  {
    label: 'video',
    taskType: 'video_diffusion',
    processingMs: 110_000,
    sigma: 0.25,
    // Animating one image of a grid: Midjourney video starts from an image.
    input: ({ parentId }) => ({ op: 'video-diffusion', jobId: parentId, imageNo: 0 }),
  },
];

type Durations = Record<Phase, number>;

/** One round's durations per task type, in real milliseconds. */
function drawRound(rng: Rng): Map<string, Durations> {
  return new Map(
    KINDS.map((k) => [
      k.taskType,
      {
        pending: Math.min(15_000, rng.logNormal(2500, 0.5)),
        staged: Math.min(10_000, rng.logNormal(1500, 0.5)),
        processing: rng.logNormal(k.processingMs, k.sigma),
      },
    ]),
  );
}

function scaled(d: Durations): Durations {
  return { pending: d.pending * S, staged: d.staged * S, processing: d.processing * S };
}

/** Every duration of the policy (each `…Ms` field and every expected duration) times S. */
function scaledPolicy(policy: PollPolicy): PollPolicy {
  const scaledEntries = Object.entries(policy).map(([key, value]) => {
    if (key === 'expectedMs') {
      return [key, Object.fromEntries(Object.entries(policy.expectedMs).map(([k, v]) => [k, v * S]))];
    }
    return [key, key.endsWith('Ms') && typeof value === 'number' ? value * S : value];
  });
  return Object.fromEntries(scaledEntries) as PollPolicy;
}

/**
 * A library that has seen this user's jobs before: `perKind` completed jobs of every task type in the
 * past, with durations from the same distributions as the measured jobs (independent draws). Their
 * times have the API's precision scaled like everything else (1 s × S): the simulator's own timestamps
 * are whole seconds of its clock, which at S = 1/20 would blur a 40-second job by ±20 s.
 */
function seedHistory(libraryDir: string, history: ReadonlyArray<Map<string, Durations>>, now: number): void {
  const lib = openLibrary(libraryDir);
  const quantum = 1000 * S;
  const atPrecision = (ms: number): string => new Date(Math.round(ms / quantum) * quantum).toISOString();
  try {
    history.forEach((durations, i) => {
      for (const [taskType, d] of durations) {
        const createdAt = now - (i + 1) * 3_600_000;
        const total = scaled(d);
        const job = lib.createJob({
          provider: 'legnext',
          taskType,
          status: 'queued',
          createdAt,
          remoteId: randomUUID(),
        });
        lib.applySnapshot(job.id, {
          provider: 'legnext',
          remoteId: job.remoteId!,
          taskType,
          status: 'completed',
          createdAt: atPrecision(createdAt),
          startedAt: atPrecision(createdAt + total.pending + total.staged),
          endedAt: atPrecision(createdAt + total.pending + total.staged + total.processing),
          outputs: [],
          text: null,
          seed: null,
          cost: { frozen: 0, consumed: 0 },
          error: null,
          availableActions: null,
          progress: null,
          raw: null,
        });
      }
    });
  } finally {
    lib.close();
  }
}

interface JobResult {
  label: string;
  /** Real-world seconds the job took on the simulator (all phases). */
  durationS: number;
  requests: number;
  /** Real-world seconds from completion on the simulator to the client having the result. */
  latencyS: number;
}

interface Submitted {
  kind: TaskKind;
  remoteId: string;
  /** When the client had the finished job (wall clock = the simulator's clock here). */
  sawAt: number;
}

/** Keys come from the environment override; nothing is stored. */
class NoStoredKeys implements SecretBackend {
  readonly source = 'file' as const;
  get(): Promise<string | null> {
    return Promise.resolve(null);
  }
  set(): Promise<void> {
    return Promise.reject(new Error('The benchmark does not store keys.'));
  }
  delete(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

interface RoundContext {
  round: number;
  url: string;
  apiKey: string;
  parentId: string;
  imageUrl: string;
  /** Give up on the round after this long (wall time). */
  deadline: number;
}

/** The SDK docs' loop, one per job, all jobs at once. */
async function runSdkRound(ctx: RoundContext): Promise<Submitted[]> {
  const client = new LegnextClient({ baseUrl: ctx.url, apiKey: () => Promise.resolve(ctx.apiKey) });
  return Promise.all(
    KINDS.map(async (kind) => {
      const request = buildLegnextRequest(parseLegnextInput(kind.input(ctx)) as LegnextInput);
      const { remoteId } = await client.submit(request);
      for (;;) {
        const job = await client.poll(remoteId);
        if (job.status === 'completed' || job.status === 'failed') {
          if (job.status === 'failed') throw new Error(`The ${kind.label} job failed on the simulator.`);
          return { kind, remoteId, sawAt: Date.now() };
        }
        if (Date.now() > ctx.deadline)
          throw new Error(`The SDK loop never saw the ${kind.label} job finish.`);
        await sleep(SDK_INTERVAL_MS * S);
      }
    }),
  );
}

/** The real Vault and queue on a fresh library, with the default poll policy scaled by S. */
async function runGenVaultRound(ctx: RoundContext, libraryDir: string): Promise<Submitted[]> {
  const vault = Vault.open({
    libraryDir,
    secrets: new SecretStore(new NoStoredKeys(), { LEGNEXT_API_KEY: ctx.apiKey }),
    env: { LEGNEXT_BASE_URL: ctx.url },
    queue: { pollPolicy: scaledPolicy(DEFAULT_POLL_POLICY) },
  });
  const seen = new Map<string, number>();
  let settle: (error?: Error) => void = () => undefined;
  const allSeen = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  const timer = setTimeout(
    () => settle(new Error('GenVault did not see every job finish in time.')),
    ctx.deadline - Date.now(),
  );
  try {
    vault.queue.on((event) => {
      if (event.type !== 'job' || !FINISHED_STATUSES.includes(event.job.status) || seen.has(event.job.id))
        return;
      if (event.job.status === 'failed')
        settle(new Error(`A job failed in GenVault: ${event.job.error?.message}`));
      seen.set(event.job.id, Date.now());
      if (seen.size === KINDS.length) settle();
    });
    await vault.start();
    const ids = KINDS.map((kind) => ({ kind, id: vault.submit(kind.input(ctx)).id }));
    await allSeen;
    return ids.map(({ kind, id }) => ({
      kind,
      remoteId: vault.library.getJob(id)!.remoteId!,
      sawAt: seen.get(id)!,
    }));
  } finally {
    clearTimeout(timer);
    await vault.close();
  }
}

/** Status requests per job and detection latency, from the simulator's request log. */
function measure(
  submitted: Submitted[],
  requests: ApiRequest[],
  durations: Map<string, Durations>,
): JobResult[] {
  return submitted.map(({ kind, remoteId, sawAt }) => {
    const op = kind.taskType.replaceAll('_', '-');
    const posts = requests.filter((r) => r.method === 'POST' && r.path === `/api/v1/${op}`);
    // One submit per job: a retried one would leave it unclear which request created the job.
    if (posts.length !== 1) {
      throw new Error(
        `The simulator recorded ${posts.length} submits of the ${kind.label} job instead of one.`,
      );
    }
    const post = posts[0]!;
    const d = scaled(durations.get(kind.taskType)!);
    // The job's creation time is the POST's arrival (the same instant in the simulator's handler).
    const completedAt = post.at + d.pending + d.staged + d.processing;
    return {
      label: kind.label,
      durationS: (completedAt - post.at) / S / 1000,
      requests: requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/job/${remoteId}`).length,
      latencyS: (sawAt - completedAt) / S / 1000,
    };
  });
}

function seconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

type Client = 'sdk' | 'cold' | 'warm';

const CLIENT_NAMES: Record<Client, string> = {
  sdk: 'SDK loop',
  cold: 'GenVault, cold',
  warm: 'GenVault, warm',
};

/** Past jobs per task type in the warm library (the duration model keeps the last 15). */
const HISTORY_JOBS = 10;

export async function runQueueBench(opts: QueueBenchOptions): Promise<Section> {
  const started = process.hrtime.bigint();
  const rounds = opts.quick ? 2 : 8;
  const rng = createRng(20_26);
  const draws = Array.from({ length: rounds }, () => drawRound(rng));
  const historyRng = createRng(7_07);
  const history = Array.from({ length: HISTORY_JOBS }, () => drawRound(historyRng));
  const longest = Math.max(
    ...draws.flatMap((d) => [...d.values()].map((x) => x.pending + x.staged + x.processing)),
  );
  const work = path.join(opts.workDir, 'queue');
  mkdirSync(work, { recursive: true });
  const sim: ChildServer = await startChild(SIM_MODULE);
  const results: Record<Client, JobResult[]> = { sdk: [], cold: [], warm: [] };
  const clients: Client[] = ['sdk', 'cold', 'warm'];
  try {
    for (let round = 0; round < rounds; round++) {
      const durations = draws[round]!;
      // Rotate who goes first, so no client always runs on a freshly started process.
      const order = clients.map((_, i) => clients[(i + round) % clients.length]!);
      for (const client of order) {
        const { url, apiKey } = await sim.call<{ url: string; apiKey: string }>('start', {
          durationsByTask: Object.fromEntries([...durations].map(([type, d]) => [type, scaled(d)])),
          credits: 10_000_000,
        });
        const parentId = await sim.call<string>('seed', { taskType: 'diffusion', status: 'completed' });
        const ctx: RoundContext = {
          round,
          url,
          apiKey,
          parentId,
          imageUrl: `${url}/cdn/mj/${parentId}_0.png`,
          // Generous: three times the longest job plus the queue's slowest possible reaction.
          deadline: Date.now() + (3 * longest + DEFAULT_POLL_POLICY.maxMs) * S + 30_000,
        };
        let submitted: Submitted[];
        if (client === 'sdk') {
          submitted = await runSdkRound(ctx);
        } else {
          const libraryDir = path.join(work, `${client}-${round}`);
          if (client === 'warm') seedHistory(libraryDir, history, Date.now());
          submitted = await runGenVaultRound(ctx, libraryDir);
        }
        const requests = await sim.call<ApiRequest[]>('apiRequests');
        results[client].push(...measure(submitted, requests, durations));
        await sim.call('stop');
      }
    }
  } finally {
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  }

  const perJob = (r: JobResult[]): number => mean(r.map((x) => x.requests));
  const latency = (r: JobResult[], p: number): number =>
    percentile(
      r.map((x) => x.latencyS),
      p,
    );
  const sdkRequests = perJob(results.sdk);
  const metrics: Metric[] = [];
  for (const client of clients) {
    metrics.push({
      name: `${CLIENT_NAMES[client]}: GET /v1/job per completed job (mean)`,
      value: perJob(results[client]).toFixed(2),
      target: '—',
      verdict: 'info',
    });
  }
  for (const client of ['cold', 'warm'] as const) {
    const share = perJob(results[client]) / sdkRequests;
    metrics.push({
      name: `${CLIENT_NAMES[client]} / SDK loop, requests per job`,
      value: `${(share * 100).toFixed(1)} % (1/${(1 / share).toFixed(1)})`,
      target: `≤ ${TARGET_SHARE * 100} % (1/4)`,
      verdict: pass(share <= TARGET_SHARE),
    });
  }
  for (const client of clients) {
    metrics.push({
      name: `${CLIENT_NAMES[client]}: detection latency median / p90`,
      value: `${seconds(latency(results[client], 50))} / ${seconds(latency(results[client], 90))}`,
      target: '—',
      verdict: 'info',
    });
  }
  const byKind = KINDS.map((k) => {
    const of = (r: JobResult[]): JobResult[] => r.filter((x) => x.label === k.label);
    const figures = clients.map((client) => {
      const list = of(results[client]);
      return `${CLIENT_NAMES[client]} ${perJob(list).toFixed(1)} requests, ${seconds(median(list.map((x) => x.latencyS)))}`;
    });
    return `${k.label} (${seconds(median(of(results.sdk).map((x) => x.durationS)))} median job): ${figures.join('; ')}`;
  });
  const sdkLatency = latency(results.sdk, 50);
  const compare = (client: Client): string => {
    const ms = latency(results[client], 50);
    const diff = ms - sdkLatency;
    return `${CLIENT_NAMES[client]} ${seconds(ms)} (${diff >= 0 ? `${seconds(diff)} later` : `${seconds(-diff)} sooner`})`;
  };
  const jobs = results.cold.length;
  return {
    id: 'queue',
    title: 'Queue requests and detection latency vs the SDK loop',
    method:
      `${jobs} jobs (${rounds} rounds × ${KINDS.map((k) => k.label).join(', ')}) on the Legnext simulator in its ` +
      `own process, time scaled by S = 1/${1 / S}. Each job's phases are drawn from log-normal distributions ` +
      '(queue wait ~2.5 s, staging ~1.5 s, processing: diffusion ~36 s, variation ~32 s, upscale ~14 s, describe ' +
      "~4 s, video ~110 s, real time); every round starts a fresh simulator with that round's durations and " +
      "every client gets the same rounds. SDK loop: the docs' waitForCompletion, one per job (GET, then sleep " +
      `${SDK_INTERVAL_MS / 1000} s × S). GenVault: the real Vault and JobQueue with DEFAULT_POLL_POLICY scaled ` +
      'by S (every duration in it), downloads and thumbnails running as usual; cold on an empty library, warm ' +
      `on a library holding ${HISTORY_JOBS} earlier completed jobs of each task type (same distributions, ` +
      "independent draws), from which the queue learns how long this user's jobs take. Requests are the " +
      'GET /api/v1/job/{id} the simulator logged per job; detection latency runs from the moment the job ' +
      'completed on the simulator clock (POST arrival + its phases) to the client having it (end of the SDK ' +
      "poll; the queue's job event), divided by S.",
    metrics,
    notes: [
      `Median detection latency: SDK loop ${seconds(sdkLatency)}; ${compare('cold')}; ${compare('warm')}. ` +
        'The SDK loop polls every 3 s, so it is never more than one interval late. Latencies include each ' +
        `client's own processing, magnified by 1/S: 1 ms of delay here reads as ${1 / S} ms.`,
      ...byKind,
      "The warm library's history is written through the Library API with timestamps at the API's precision " +
        "scaled by S (50 ms), because the simulator's whole-second timestamps would blur a scaled job's " +
        'duration by ±20 real seconds.',
    ],
    elapsedMs: msSince(started),
  };
}
