/**
 * The core under test, for real: a Legnext simulator on 127.0.0.1 (port 0), a Vault on a library in a
 * fresh temp folder, an in-memory key store behind the real `SecretStore`, and one clock shared by the
 * Vault and the simulator so tests can jump days ahead. Every harness is closed (vault, dispatcher,
 * simulator) and its folder removed after its test, or after the file for shared ones.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, afterEach } from 'vitest';
import type { JobView } from '../../src/shared/domain';
import type { SecretBackend } from '../../src/main/core/secrets';
import { SecretStore } from '../../src/main/core/secrets';
import { Vault, type VaultOptions } from '../../src/main/core/vault';
import { DEFAULT_POLL_POLICY, type BackoffPolicy } from '../../src/main/core/queue/backoff';
import type { QueueEvent } from '../../src/main/core/queue/queue';
import {
  startLegnextSim,
  type LegnextSim,
  type LegnextSimOptions,
  type RecordedRequest,
} from '../sim/legnext/index';

/** Polls and retries in tens of milliseconds instead of the real ~30 s first poll. */
export const FAST_BACKOFF: BackoffPolicy = { baseMs: 20, maxMs: 200, factor: 2, jitter: 0 };
export const FAST_QUEUE: NonNullable<VaultOptions['queue']> = {
  pollPolicy: { ...DEFAULT_POLL_POLICY, minMs: 20, maxMs: 200, expectedMs: { default: 200 } },
  retryPolicy: FAST_BACKOFF,
  downloadRetryPolicy: FAST_BACKOFF,
  random: () => 0.5,
};

/** Long enough for any job of these tests on two busy cores; only reached when something is broken. */
export const WAIT_MS = 20_000;

/** A key store that forgets everything at exit: the real interface, kept in a Map. */
export class MemoryBackend implements SecretBackend {
  readonly source = 'keychain' as const;
  readonly values = new Map<string, string>();
  get(account: string): Promise<string | null> {
    return Promise.resolve(this.values.get(account) ?? null);
  }
  set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
    return Promise.resolve();
  }
  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.values.delete(account));
  }
}

export interface HarnessOptions {
  sim?: LegnextSimOptions;
  /** The key the Vault sends; default the simulator's. */
  key?: string;
  queue?: VaultOptions['queue'];
}

export interface Harness {
  sim: LegnextSim;
  dir: string;
  vault: Vault;
  backend: MemoryBackend;
  secrets: SecretStore;
  /** Every event the current Vault's queue emitted. */
  events: QueueEvent[];
  now(): number;
  /** Moves the Vault's clock and the simulator's together. */
  advance(ms: number): void;
  /** Closes the current Vault and opens (does not start) a new one on the same folder. */
  reopen(): Promise<Vault>;
  /** POSTs the simulator received (submits), in order. */
  posts(endpoint?: string): RecordedRequest[];
}

/** `each`: every harness is torn down after its test; `file`: after the last test of the file. */
export function useHarness(scope: 'each' | 'file' = 'each'): {
  start(opts?: HarnessOptions): Promise<Harness>;
} {
  const cleanups: Array<() => Promise<void>> = [];
  (scope === 'each' ? afterEach : afterAll)(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async start(opts: HarnessOptions = {}): Promise<Harness> {
      const sim = await startLegnextSim({ apiKey: 'sk-sim-7c41e9a0b2d5f836', ...opts.sim });
      const dir = mkdtempSync(path.join(tmpdir(), 'genvault-core-'));
      const dispatcher = new Agent({ connections: 16 });
      let offset = 0;
      const backend = new MemoryBackend();
      backend.values.set('legnext', opts.key ?? sim.apiKey);
      const secrets = new SecretStore(backend, {});
      const events: QueueEvent[] = [];
      const open = (): Vault => {
        const vault = Vault.open({
          libraryDir: dir,
          secrets,
          env: { LEGNEXT_BASE_URL: sim.url },
          now: () => Date.now() + offset,
          dispatcher,
          queue: { ...FAST_QUEUE, ...opts.queue },
        });
        vault.queue.on((event) => events.push(event));
        return vault;
      };
      const h: Harness = {
        sim,
        dir,
        vault: open(),
        backend,
        secrets,
        events,
        now: () => Date.now() + offset,
        advance(ms) {
          offset += ms;
          sim.clock.advance(ms);
        },
        async reopen() {
          await h.vault.close();
          events.length = 0;
          h.vault = open();
          return h.vault;
        },
        posts: (endpoint) =>
          sim.requests.filter(
            (r) =>
              r.method === 'POST' &&
              r.path.startsWith('/api/v1/') &&
              (endpoint === undefined || r.path === `/api/v1/${endpoint}`),
          ),
      };
      cleanups.push(async () => {
        await h.vault.close();
        await dispatcher.close();
        await sim.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return h;
    },
  };
}

/** Resolves with the first queue event of `type` that passes `test`; rejects after `timeoutMs`. */
export function nextEvent<T extends QueueEvent['type']>(
  vault: Vault,
  type: T,
  test: (event: Extract<QueueEvent, { type: T }>) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<Extract<QueueEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`No ${type} event as expected within ${timeoutMs} ms.`));
    }, timeoutMs);
    const off = vault.queue.on((event) => {
      if (event.type !== type || !test(event as Extract<QueueEvent, { type: T }>)) return;
      clearTimeout(timer);
      off();
      resolve(event as Extract<QueueEvent, { type: T }>);
    });
  });
}

/** The first job event of `id` in which `test` holds. */
export async function jobEvent(vault: Vault, id: string, test: (job: JobView) => boolean): Promise<JobView> {
  return (await nextEvent(vault, 'job', (e) => e.job.id === id && test(e.job))).job;
}

/** `vault.waitFor`, bounded in time so a broken queue fails the test instead of hanging it. */
export async function settled(vault: Vault, id: string, timeoutMs = WAIT_MS): Promise<JobView> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  try {
    return await vault.waitFor(id, { signal: stop.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** Checks `condition` every 10 ms until it holds; throws after `timeoutMs`. For state only files show. */
export async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file under `dir`, recursively, as absolute paths. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** An imagine job run to the end: completed and every output archived. */
export async function imagined(h: Harness, prompt: string): Promise<JobView> {
  await h.vault.start();
  const view = h.vault.imagine(prompt);
  return settled(h.vault, view.id);
}
