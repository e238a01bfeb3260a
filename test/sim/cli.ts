/**
 * `npm run sim`: the Legnext simulator as a standalone server, to point GenVault (or curl) at, with
 * the Leonardo and UniAll (Vidu) simulators on the next two ports.
 *
 *   npm run sim -- [--port 8787] [--key test-key] [--speed 15] [--credits 100000]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DURATIONS, startLegnextSim, type LegnextSim } from './legnext/index';
import { startLeonardoSim } from './leonardo/index';
import { startViduSim } from './vidu/index';

const HELP = `Usage: npm run sim -- [options]

Runs a local simulator of the Legnext API (https://api.legnext.ai/api), and of Leonardo's
image-to-video and UniAll's Vidu video API on the next two ports.

Options:
  --port N       port on 127.0.0.1 (default 8787; 0 picks a free one)
  --key K        the API key it accepts (default test-key)
  --speed N      multiplies the phase durations (pending ${DEFAULT_DURATIONS.pending} ms, staged ${DEFAULT_DURATIONS.staged} ms,
                 processing ${DEFAULT_DURATIONS.processing} ms); default 15, about 3.5 s per job like a fast real job;
                 1 is test speed
  --credits N    starting balance in points (default 100000)
  -h, --help     show this help

Prompts containing "simulate:fail" end failed; "simulate:forbidden" is refused with 403.`;

function positive(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, not "${text}".`);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      key: { type: 'string' },
      speed: { type: 'string' },
      credits: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const port = positive('port', values.port, 8787, true);
  const speed = positive('speed', values.speed, 15);
  const credits = positive('credits', values.credits, 100_000, true);
  const sim: LegnextSim = await startLegnextSim({
    port,
    apiKey: values.key ?? 'test-key',
    credits,
    durations: {
      pending: DEFAULT_DURATIONS.pending * speed,
      staged: DEFAULT_DURATIONS.staged * speed,
      processing: DEFAULT_DURATIONS.processing * speed,
    },
  });

  const next = (offset: number) => (port === 0 ? 0 : port + offset);
  const leonardo = await startLeonardoSim({ port: next(1), apiKey: 'test-leonardo-key' });
  const vidu = await startViduSim({ port: next(2), apiKey: 'test-uniall-key' });

  console.log(`Legnext simulator listening on ${sim.url} (API ${sim.url}/api, outputs ${sim.url}/cdn)`);
  console.log(`Leonardo simulator on ${leonardo.baseUrl}; UniAll (Vidu) simulator on ${vidu.url}`);
  console.log('Point GenVault at them with:');
  console.log(`  export LEGNEXT_BASE_URL=${sim.url} LEGNEXT_API_KEY=${sim.apiKey}`);
  console.log(`  export LEONARDO_BASE_URL=${leonardo.baseUrl} LEONARDO_API_KEY=${leonardo.apiKey}`);
  console.log(`  export UNIALL_BASE_URL=${vidu.url} UNIALL_API_KEY=${vidu.apiKey}`);
  console.log('Press Ctrl-C to stop.');

  // Echo requests as they arrive so a user can watch the client work.
  let shown = 0;
  const echo = setInterval(() => {
    for (; shown < sim.requests.length; shown++) {
      const r = sim.requests[shown];
      if (r) console.log(`${new Date(r.at).toISOString()} ${r.method} ${r.path}`);
    }
  }, 200);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(echo);
    void Promise.all([sim.close(), leonardo.close(), vidu.close()]).then(() => {
      console.log(`Stopped (${signal}).`);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
});
