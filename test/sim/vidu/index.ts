/**
 * A local simulator of UniAll's Vidu video gateway (`{BASE_URL}/v1/video/generations`) for contract
 * tests and end-to-end runs: a real HTTP server on 127.0.0.1 that validates requests as the
 * docs describe, runs tasks through pending → processing → completed | failed on its own clock,
 * charges credits, serves a real MP4 from `/cdn`, and fails on demand.
 *
 * The poll answer's shape is not published; the simulator answers in either known gateway shape
 * (`pollShape`: `data` = `{code, data:{status SUCCESS…, result_url}}`, `flat` = `{status completed…,
 * metadata:{url}}`), chosen for the whole simulator or per task.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock } from '../legnext/clock';
import type { SimClock } from '../legnext/clock';
import { FaultQueue } from '../legnext/faults';
import type { SimFaults } from '../legnext/faults';
import { MediaCache } from '../legnext/media';
import { createHandler, pollView } from './server';
import type { RecordedRequest, SimContext } from './server';
import { TaskStore } from './store';
import type { Durations, PollShape } from './store';

export type { SimClock } from '../legnext/clock';
export type { FaultKind, FaultRule, FaultTarget, SimFaults } from '../legnext/faults';
export type { RecordedRequest } from './server';
export type { PollShape } from './store';
export { CDN_RETENTION_MS, FAIL_MARKER, FORBIDDEN_MARKER, priceOf } from './store';

export interface ViduSimOptions {
  /** The accepted key (sent as `Authorization: Bearer …`); default `test-uniall-key`. */
  apiKey?: string;
  /** Starting balance in credits; default 100 000. */
  credits?: number;
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Milliseconds per phase on the sim clock; defaults 100 / 400. */
  durations?: Partial<Durations>;
  /** Shape of poll answers; default `data`. */
  pollShape?: PollShape;
  /** HTTP status for an empty balance: 403 `insufficient_user_quota` (default) or 402. */
  quotaStatus?: 402 | 403;
  /** Add the task's price as `cost` to poll answers; default false (no known shape has one). */
  reportCost?: boolean;
}

export interface ViduSim {
  /** Origin such as `http://127.0.0.1:43123`: the gateway's base URL; results are under `/cdn`. */
  url: string;
  apiKey: string;
  clock: SimClock;
  faults: SimFaults;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  setCredits(credits: number): void;
  credits(): number;
  /** Answer polls of one task in this shape, whatever the simulator's default. */
  setPollShape(taskId: string, shape: PollShape): void;
  /** The task exactly as a poll returns it now; undefined for an unknown id. */
  task(taskId: string): unknown;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

export const DEFAULT_DURATIONS: Durations = { pending: 100, processing: 400 };

export async function startViduSim(opts: ViduSimOptions = {}): Promise<ViduSim> {
  const apiKey = opts.apiKey ?? 'test-uniall-key';
  const host = opts.host ?? '127.0.0.1';
  const durations = { ...DEFAULT_DURATIONS, ...opts.durations };
  for (const [phase, ms] of Object.entries(durations)) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`durations.${phase} must be a non-negative number of milliseconds.`);
    }
  }

  const clock = createClock();
  const store = new TaskStore({
    clock,
    credits: opts.credits ?? 100_000,
    durations,
    quotaStatus: opts.quotaStatus ?? 403,
  });
  const ctx: SimContext = {
    apiKey,
    store,
    faults: new FaultQueue(),
    requests: [],
    timers: new Set(),
    media: new MediaCache(),
    pollShape: opts.pollShape ?? 'data',
    reportCost: opts.reportCost ?? false,
  };
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
    faults: ctx.faults,
    requests: ctx.requests,
    setCredits: (credits) => store.setCredits(credits),
    credits: () => store.credits(),
    setPollShape(taskId, shape) {
      const task = store.get(taskId);
      if (!task) throw new Error(`The simulator has no task ${taskId}.`);
      task.pollShape = shape;
    },
    task(taskId) {
      const task = store.get(taskId);
      return task ? pollView(ctx, task) : undefined;
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
