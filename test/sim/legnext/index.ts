/**
 * A local simulator of the Legnext API (https://api.legnext.ai/api) for integration tests,
 * benchmarks and manual runs: a real HTTP server on 127.0.0.1 that validates requests, runs jobs
 * through pending → staged → processing → completed on its own clock, charges credits, serves real
 * PNG and MP4 outputs from `/cdn`, and fails on demand.
 *
 * Where the prose docs and the OpenAPI contract disagree, it answers as the prose docs show (that is
 * what the live API returns); `legnext-contract.test.ts` lists each disagreement.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalizeTaskType, type SimTaskType } from './catalog';
import { createClock, type SimClock } from './clock';
import { FaultQueue, type SimFaults } from './faults';
import { MediaCache } from './media';
import { createHandler, type RecordedRequest, type SimContext } from './server';
import { JobStore, type Durations, type Phase, type SeedJobInit } from './store';

export type { SimClock } from './clock';
export type { FaultKind, FaultRule, FaultTarget, SimFaults } from './faults';
export type { RecordedRequest } from './server';
export type { SeedJobInit } from './store';
export { FAIL_MARKER, FORBIDDEN_MARKER } from './store';

export interface LegnextSimOptions {
  /** The accepted key; default `test-key`. */
  apiKey?: string;
  /** Starting balance in points; default 100 000. */
  credits?: number;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Milliseconds per phase on the sim clock; defaults 40 / 40 / 150. */
  durations?: Partial<Record<Phase, number>>;
  /** Per task type (either spelling), over `durations`. */
  durationsByTask?: Partial<Record<string, Partial<Record<Phase, number>>>>;
  /** Unfinished jobs per key before a submit gets 429; default 6. */
  maxConcurrent?: number;
}

export interface LegnextSim {
  /** Origin such as `http://127.0.0.1:43123`: the API is under `/api`, outputs under `/cdn`. */
  url: string;
  apiKey: string;
  clock: SimClock;
  faults: SimFaults;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  setCredits(points: number): void;
  credits(): number;
  /** Put a job straight into the store, e.g. an old completed job to import. Returns its job_id. */
  seedJob(init: SeedJobInit): string;
  /** The current job object exactly as GET /v1/job returns it. */
  job(jobId: string): unknown | undefined;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

export const DEFAULT_DURATIONS: Durations = { pending: 40, staged: 40, processing: 150 };

function checkDurations(d: Partial<Record<Phase, number>>, where: string): void {
  for (const [phase, ms] of Object.entries(d)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`${where}.${phase} must be a non-negative number of milliseconds.`);
    }
  }
}

export async function startLegnextSim(opts: LegnextSimOptions = {}): Promise<LegnextSim> {
  const apiKey = opts.apiKey ?? 'test-key';
  const host = opts.host ?? '127.0.0.1';
  const durations = { ...DEFAULT_DURATIONS, ...opts.durations };
  checkDurations(durations, 'durations');
  const durationsByTask: Partial<Record<SimTaskType, Partial<Durations>>> = {};
  for (const [name, d] of Object.entries(opts.durationsByTask ?? {})) {
    const taskType = normalizeTaskType(name);
    if (!taskType) throw new Error(`durationsByTask: unknown task type "${name}".`);
    if (d) {
      checkDurations(d, `durationsByTask.${name}`);
      durationsByTask[taskType] = d;
    }
  }

  const clock = createClock();
  const faults = new FaultQueue();
  const store = new JobStore({
    clock,
    apiKey,
    credits: opts.credits ?? 100_000,
    durations,
    durationsByTask,
    maxConcurrent: opts.maxConcurrent ?? 6,
  });
  const ctx: SimContext = { apiKey, store, faults, requests: [], timers: new Set(), media: new MediaCache() };
  const server = createServer(createHandler(ctx));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  store.origin = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    apiKey,
    clock,
    faults,
    requests: ctx.requests,
    setCredits: (points) => store.setCredits(points),
    credits: () => store.credits(),
    seedJob: (init) => store.seed(init),
    job(jobId) {
      const job = store.get(jobId);
      return job ? store.view(job) : undefined;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of ctx.timers) clearInterval(timer);
        ctx.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
