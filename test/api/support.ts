/**
 * Shared fixtures for the contract handler and bridge tests: a real Vault on a temp library, pointed at
 * the real Legnext simulator on 127.0.0.1, with a poll policy fast enough for tests and an in-memory
 * key backend (the OS keychain is not what these tests are about).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { DEFAULT_POLL_POLICY } from '../../src/main/core/queue/backoff';
import { SecretStore, type SecretBackend } from '../../src/main/core/secrets';
import { Vault } from '../../src/main/core/vault';
import { startLegnextSim, type LegnextSim, type LegnextSimOptions } from '../sim/legnext/index';

export const FAST_POLL_POLICY = {
  ...DEFAULT_POLL_POLICY,
  minMs: 20,
  maxMs: 200,
  expectedMs: { default: 200 },
};

export class MemoryBackend implements SecretBackend {
  readonly source = 'keychain' as const;
  readonly values = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.values.get(account) ?? null;
  }
  async set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
  }
  async delete(account: string): Promise<boolean> {
    return this.values.delete(account);
  }
}

export interface TestVault {
  vault: Vault;
  sim: LegnextSim;
  backend: MemoryBackend;
  dir: string;
  /** Stops the queue, closes the library, the simulator and the connection pool, removes the folder. */
  close(): Promise<void>;
}

export async function openTestVault(
  opts: { key?: string | null; sim?: LegnextSimOptions; now?: () => number } = {},
): Promise<TestVault> {
  const sim = await startLegnextSim(opts.sim);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-api-'));
  const backend = new MemoryBackend();
  const key = opts.key === undefined ? sim.apiKey : opts.key;
  if (key !== null) backend.values.set('legnext', key);
  const env = { LEGNEXT_BASE_URL: sim.url };
  const dispatcher = new Agent({ keepAliveTimeout: 1000, connections: 16 });
  const vault = Vault.open({
    libraryDir: dir,
    secrets: new SecretStore(backend, env),
    env,
    dispatcher,
    now: opts.now,
    queue: {
      pollPolicy: FAST_POLL_POLICY,
      retryPolicy: { baseMs: 20, maxMs: 200, factor: 2, jitter: 0 },
      downloadRetryPolicy: { baseMs: 20, maxMs: 200, factor: 2, jitter: 0 },
    },
  });
  let closed = false;
  return {
    vault,
    sim,
    backend,
    dir,
    async close() {
      if (closed) return;
      closed = true;
      await vault.close();
      await sim.close();
      await dispatcher.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
