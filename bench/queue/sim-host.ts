/**
 * Runs the Legnext simulator in its own process for the queue benchmark (see lib/child.ts), so serving
 * requests and rendering CDN media never delay the client whose timing is being measured. The sim's
 * clock is wall time with no offset here, the same clock the benchmark process reads.
 *
 * Calls: `start(options)` → `{ url, apiKey }`; `seed(init)` → job id; `apiRequests()` → the API
 * requests received so far; `stop()`; `close()`.
 */
import { startLegnextSim } from '../../test/sim/legnext';
import type { LegnextSim, LegnextSimOptions, SeedJobInit } from '../../test/sim/legnext';
import { serveCalls } from '../lib/child';

export interface ApiRequest {
  method: string;
  path: string;
  /** Arrival on the simulator's clock (ms since the epoch). */
  at: number;
}

let sim: LegnextSim | undefined;

function current(): LegnextSim {
  if (!sim) throw new Error('The simulator is not running.');
  return sim;
}

async function stop(): Promise<void> {
  const running = sim;
  sim = undefined;
  await running?.close();
}

serveCalls({
  async start(options: LegnextSimOptions) {
    await stop();
    sim = await startLegnextSim(options);
    return { url: sim.url, apiKey: sim.apiKey };
  },
  seed: (init: SeedJobInit) => current().seedJob(init),
  apiRequests: (): ApiRequest[] =>
    current()
      .requests.filter((r) => r.path.startsWith('/api/'))
      .map((r) => ({ method: r.method, path: r.path, at: r.at })),
  stop,
  close: stop,
});
