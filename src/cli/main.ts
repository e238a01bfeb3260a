/**
 * `genvault` — the core for scripts and cron. The same library, queue and archive as the app.
 *
 * Exit codes (the user-facing contract): 0 ok · 1 a job failed or an output could not be archived ·
 * 2 invalid input, nothing was sent · 3 rejected by the API (401/402/403/other 4xx) · 4 network or
 * server unavailable after retries. Errors go to stderr as one plain sentence; with `--json` stdout
 * carries exactly one JSON document, also on error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Agent } from 'undici';
import { defaultRendererDir, serve } from '../main/bridge/server';
import { readSettings } from '../main/core/api/settings';
import type { ImageHostConfig, JobsPage } from '../shared/contract';
import type { JobView } from '../shared/domain';
import { GenVaultError, InvalidInputError } from '../main/core/errors';
import { MISSING_SECRET_MESSAGE, NO_IMAGE_HOST_MESSAGE, sniffImage } from '../main/core/images';
import { KeytarBackend, SecretStore } from '../main/core/secrets';
import {
  Vault,
  defaultLibraryDir,
  parseOutputRef,
  readIdFile,
  type ImageOp,
  type OutputRef,
  type VaultOptions,
} from '../main/core/vault';
import type { LegnextOp } from '../main/core/providers/legnext/requests';
import type { QueueEvent } from '../main/core/queue/queue';
import {
  DEFAULT_POLL_POLICY,
  DOWNLOAD_RETRY_BACKOFF,
  RETRY_BACKOFF,
  type BackoffPolicy,
} from '../main/core/queue/backoff';
import { describeImageHost, describeJob, describeEvent, HELP } from './format';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, whole; `prompt` is shown first when it is a terminal. */
  stdin: (prompt?: string) => Promise<string>;
  env: NodeJS.ProcessEnv;
  /** Replaced by tests to use an in-memory or test keychain. */
  secrets?: SecretStore;
  /** `serve` runs until this resolves; by default until SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

const GLOBAL_OPTIONS = {
  library: { type: 'string' },
  json: { type: 'boolean', default: false },
  wait: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  provider: { type: 'string' },
  port: { type: 'string' },
  model: { type: 'string' },
  duration: { type: 'string' },
  last: { type: 'string' },
  ref: { type: 'string', multiple: true },
  seed: { type: 'string' },
  audio: { type: 'boolean' },
  bgm: { type: 'boolean' },
  // imagine / video / run options
  from: { type: 'string' },
  quality: { type: 'string' },
  type: { type: 'string' },
  prompt: { type: 'string' },
  mode: { type: 'string' },
  direction: { type: 'string' },
  scale: { type: 'string' },
  mask: { type: 'string' },
  resolution: { type: 'string' },
  ar: { type: 'string' },
  canvas: { type: 'string' },
  position: { type: 'string' },
  // list / search / import
  status: { type: 'string' },
  stacked: { type: 'boolean' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  file: { type: 'string' },
  // host set
  endpoint: { type: 'string' },
  region: { type: 'string' },
  bucket: { type: 'string' },
  'access-key-id': { type: 'string' },
  'path-style': { type: 'boolean' },
  'key-prefix': { type: 'string' },
  'url-minutes': { type: 'string' },
  'secret-stdin': { type: 'boolean' },
  // tag, remove
  remove: { type: 'boolean' },
  yes: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Flags = {
  [K in keyof typeof GLOBAL_OPTIONS]?: (typeof GLOBAL_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof GLOBAL_OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

class Usage extends InvalidInputError {}

function int(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Usage(`--${name} must be a whole number from ${min} to ${max}.`, `--${name}`);
  }
  return n;
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Usage(`--${name} must be a number.`, `--${name}`);
  return n;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '')
    throw new Usage(`Missing ${what}. Run \`genvault --help\` for usage.`);
  return value;
}

/** The follow-up operations of `genvault run <op>` and the API op each one maps to. */
const RUN_OPS: Record<string, LegnextOp> = {
  variation: 'variation',
  vary: 'variation',
  upscale: 'upscale',
  reroll: 'reroll',
  remix: 'remix',
  pan: 'pan',
  outpaint: 'outpaint',
  'zoom-out': 'outpaint',
  inpaint: 'inpaint',
  edit: 'edit',
  enhance: 'enhance',
  animate: 'video-diffusion',
  extend: 'extend-video',
  'video-upscale': 'video-upscale',
  topaz: 'enhance-upscale',
  'remove-background': 'remove-background',
  retexture: 'retexture',
  'upload-paint': 'upload-paint',
};

/** Operations on an image given by URL; `topaz` too when its target is not a library image. */
const IMAGE_OPS: ReadonlySet<string> = new Set<ImageOp>(['remove-background', 'retexture', 'upload-paint']);

/**
 * `--mask`: a black-and-white mask image (a PNG/JPEG/WebP file, or `JOBID:N` of a library image) →
 * `maskImage`; or a JSON file with Legnext's mask (`{"areas": …}` or `{"url": …}`) → `mask`.
 */
async function maskOptions(vault: Vault, value: string): Promise<Record<string, unknown>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(value);
  } catch {
    if (existsSync(value)) throw new Usage(`The mask file ${value} could not be read.`, '--mask');
    try {
      return { maskImage: await vault.imageSourceOf(value) };
    } catch {
      throw new Usage(`The mask ${value} is neither a file nor a library image (JOBID:N).`, '--mask');
    }
  }
  if (sniffImage(bytes)) return { maskImage: await vault.imageSourceOf(value) };
  try {
    return { mask: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    throw new Usage(
      `The mask file ${value} is neither an image nor JSON: give a black-and-white mask image, or {"areas":[{"width":W,"height":H,"points":[x1,y1,…]}]} or {"url":"https://…"}.`,
      '--mask',
    );
  }
}

function parseSize(value: string | undefined, name: string): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)x(\d+)$/.exec(value);
  if (!m) throw new Usage(`--${name} must be WIDTHxHEIGHT, e.g. 1024x1024.`, `--${name}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** Canvas and image placement of `edit` and `upload-paint`: `--canvas WxH [--position WxH+X+Y]`. */
function canvasOptions(f: Flags): Record<string, unknown> {
  const canvas = parseSize(need(f.canvas, '--canvas WxH'), 'canvas')!;
  const pos = f.position ? /^(\d+)x(\d+)\+(-?\d+)\+(-?\d+)$/.exec(f.position) : null;
  if (f.position && !pos) throw new Usage('--position must be WxH+X+Y, e.g. 800x800+112+112.', '--position');
  return {
    canvas,
    imgPos: pos
      ? { width: Number(pos[1]), height: Number(pos[2]), x: Number(pos[3]), y: Number(pos[4]) }
      : { width: canvas.width, height: canvas.height, x: 0, y: 0 },
  };
}

/** An operation on any image (URL, file, library image), uploading it to the image host if needed. */
async function runOnImage(vault: Vault, op: ImageOp, target: string, f: Flags): Promise<JobView> {
  const options: Record<string, unknown> = {};
  if (op === 'retexture') options.remixPrompt = need(f.prompt, '--prompt');
  if (op === 'upload-paint') {
    Object.assign(options, canvasOptions(f));
    options.remixPrompt = need(f.prompt, '--prompt');
    Object.assign(options, await maskOptions(vault, need(f.mask, '--mask FILE')));
  }
  if (op === 'enhance-upscale' && f.resolution) options.targetResolution = f.resolution;
  const source = await vault.imageSourceOf(target);
  await vault.stageImages([source], op);
  await vault.prepareImages(op, source, options);
  return vault.onImage(op, source, options);
}

async function runFollowUp(vault: Vault, opName: string, target: string, f: Flags): Promise<JobView> {
  const op = RUN_OPS[opName];
  if (!op) throw new Usage(`Unknown operation "${opName}". Operations: ${Object.keys(RUN_OPS).join(', ')}.`);
  if (IMAGE_OPS.has(op)) return runOnImage(vault, op as ImageOp, target, f);
  if (op === 'enhance-upscale' && (await vault.imageSourceOf(target)).kind !== 'output') {
    return runOnImage(vault, op, target, f);
  }
  const ref: OutputRef = parseOutputRef(target);
  const options: Record<string, unknown> = {};
  switch (op) {
    case 'variation':
      options.type = f.type ?? 'subtle';
      if (f.prompt) options.remixPrompt = f.prompt;
      break;
    case 'upscale':
      options.type = f.type ?? 'subtle';
      break;
    case 'remix':
      options.remixPrompt = need(f.prompt, '--prompt');
      if (f.mode) options.mode = f.mode;
      break;
    case 'pan':
      options.direction = need(f.direction, '--direction (down, right, up or left)');
      options.scale = num(f.scale, 'scale') ?? 1.5;
      if (f.prompt) options.remixPrompt = f.prompt;
      break;
    case 'outpaint':
      options.scale = num(f.scale, 'scale') ?? 1.5;
      if (f.prompt) options.remixPrompt = f.prompt;
      break;
    case 'inpaint':
      Object.assign(options, await maskOptions(vault, need(f.mask, '--mask FILE')));
      if (f.prompt) options.remixPrompt = f.prompt;
      break;
    case 'edit': {
      Object.assign(options, canvasOptions(f));
      options.remixPrompt = need(f.prompt, '--prompt');
      if (f.mask) Object.assign(options, await maskOptions(vault, f.mask));
      break;
    }
    case 'video-diffusion':
      if (f.prompt) options.prompt = f.prompt;
      if (f.quality) options.quality = int(f.quality, 'quality', 0, 2000);
      break;
    case 'extend-video':
      if (f.prompt) options.prompt = f.prompt;
      break;
    case 'enhance-upscale':
      if (f.resolution) options.targetResolution = f.resolution;
      break;
    default:
      break;
  }
  const subject = ref.index === null ? null : `${ref.ref}:${ref.index}`;
  await vault.prepareImages(op, subject, options);
  return vault.followUp(op, ref, options);
}

/**
 * `GENVAULT_POLL_SCALE`: multiplies every poll interval and retry backoff (not a server's Retry-After),
 * so runs against the simulator and the CLI's own tests finish in seconds instead of minutes.
 */
function queueTimingFromEnv(env: NodeJS.ProcessEnv): VaultOptions['queue'] {
  const raw = env.GENVAULT_POLL_SCALE?.trim();
  if (!raw) return undefined;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Usage(`GENVAULT_POLL_SCALE must be a number above 0, not "${raw}".`, 'GENVAULT_POLL_SCALE');
  }
  const scaled = (ms: number) => Math.max(1, Math.round(ms * scale));
  const backoff = (p: BackoffPolicy): BackoffPolicy => ({
    ...p,
    baseMs: scaled(p.baseMs),
    maxMs: scaled(p.maxMs),
  });
  return {
    pollPolicy: {
      ...DEFAULT_POLL_POLICY,
      minMs: scaled(DEFAULT_POLL_POLICY.minMs),
      maxMs: scaled(DEFAULT_POLL_POLICY.maxMs),
      expectedMs: Object.fromEntries(
        Object.entries(DEFAULT_POLL_POLICY.expectedMs).map(([task, ms]) => [task, scaled(ms)]),
      ),
    },
    retryPolicy: backoff(RETRY_BACKOFF),
    downloadRetryPolicy: backoff(DOWNLOAD_RETRY_BACKOFF),
  };
}

function openVault(f: Flags, io: CliIO): { vault: Vault; close: () => Promise<void> } {
  const libraryDir = f.library ? f.library : defaultLibraryDir(io.env);
  const secrets = io.secrets ?? new SecretStore(new KeytarBackend(), io.env);
  const queue = queueTimingFromEnv(io.env);
  const dispatcher = new Agent({ keepAliveTimeout: 4000, connections: 16 });
  const vault = Vault.open({ libraryDir, secrets, env: io.env, dispatcher, queue });
  // The concurrency chosen in the app's settings applies to the CLI too: one account, one limit.
  vault.queue.setConcurrency(readSettings(vault.library).concurrency);
  return {
    vault,
    // Closing the pool too lets the process exit the moment the work is done.
    close: async () => {
      await vault.close();
      await dispatcher.close();
    },
  };
}

/** Starts the queue, or says which process already runs it for this library (the app, another command). */
async function startQueue(vault: Vault, io: CliIO): Promise<void> {
  await vault.start();
  const runner = vault.queueRunner;
  if (runner && runner !== 'self') {
    io.stderr(
      `Another GenVault process (pid ${runner.pid}${runner.host ? ` on ${runner.host}` : ''}) runs the queue of this library; following its progress.`,
    );
  }
}

/** Progress on stderr, one line per change (the queue emits the same state more than once). */
function progressPrinter(io: CliIO, f: Flags, onlyJob: string | null): (event: QueueEvent) => void {
  const last = new Map<string, string>();
  return (event) => {
    if (f.json) return;
    const line = describeEvent(event, onlyJob);
    if (!line) return;
    const key = event.type === 'job' ? event.job.id : event.type;
    if (last.get(key) === line) return;
    last.set(key, line);
    io.stderr(line);
  };
}

/** `genvault host set|status|clear|test`: the S3-compatible image host for images without a public URL. */
async function hostCommand(
  vault: Vault,
  sub: string | undefined,
  f: Flags,
  io: CliIO,
): Promise<CommandResult> {
  switch (sub) {
    case 'set': {
      const current = vault.images.config();
      const config = {
        endpoint: f.endpoint ?? current?.endpoint,
        region: f.region ?? current?.region,
        bucket: f.bucket ?? current?.bucket,
        accessKeyId: f['access-key-id'] ?? current?.accessKeyId,
        pathStyle: f['path-style'] ?? current?.pathStyle ?? false,
        prefix: f['key-prefix'] ?? current?.prefix ?? 'genvault/',
        urlMinutes: int(f['url-minutes'], 'url-minutes', 5, 7 * 24 * 60) ?? current?.urlMinutes ?? 60,
      };
      if (!config.endpoint || !config.region || !config.bucket || !config.accessKeyId) {
        throw new Usage(
          'host set needs --endpoint, --region, --bucket and --access-key-id the first time.',
          '--endpoint',
        );
      }
      let secret: string | undefined;
      if (f['secret-stdin']) {
        secret = (await io.stdin('Paste the secret access key and press Enter: ')).trim();
        if (!secret) {
          throw new Usage(
            'No secret on standard input: run `printf %s "$SECRET" | genvault host set --secret-stdin`.',
            '--secret-stdin',
          );
        }
      }
      const view = await vault.images.set(config as ImageHostConfig, secret);
      return { json: view, human: describeImageHost(view) };
    }
    case 'status': {
      const view = await vault.images.view();
      return { json: view, human: describeImageHost(view) };
    }
    case 'clear': {
      const view = await vault.images.clear();
      return { json: view, human: 'The image host settings and its secret access key were removed.' };
    }
    case 'test': {
      const result = await vault.images.test();
      return { json: result, human: result.message };
    }
    default:
      throw new Usage('Use `genvault host set`, `host status`, `host clear` or `host test`.');
  }
}

/** What a command-line user does where the app's message points at its settings screen. */
const CLI_HINTS = new Map([
  [
    NO_IMAGE_HOST_MESSAGE,
    'On the command line: `genvault host set --endpoint … --region … --bucket … --access-key-id …`.',
  ],
  [
    MISSING_SECRET_MESSAGE,
    'On the command line: pipe it to `genvault host set --secret-stdin`, or set GENVAULT_S3_SECRET_ACCESS_KEY.',
  ],
]);

interface CommandResult {
  json: unknown;
  human: string;
  exitCode?: number;
  /** The command printed its own output already (`serve`). */
  printed?: boolean;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

async function submitAndMaybeWait(vault: Vault, view: JobView, f: Flags, io: CliIO): Promise<CommandResult> {
  if (!f.wait) {
    // Without --wait, still send the job before exiting, so it is on Legnext's side and `sync` finds it.
    await startQueue(vault, io);
    const sent = await vault.waitUntilSent(view.id);
    return { json: sent, human: describeJob(sent) };
  }
  await startQueue(vault, io);
  const done = await vault.waitFor(view.id, { onEvent: progressPrinter(io, f, view.id) });
  const failedOutputs = done.outputs.filter((o) => o.state !== 'archived');
  return { json: done, human: describeJob(done), exitCode: failedOutputs.length ? 1 : 0 };
}

async function execute(command: string, args: string[], f: Flags, io: CliIO): Promise<CommandResult> {
  if (command === 'key') {
    const sub = args[0];
    const secrets = io.secrets ?? new SecretStore(new KeytarBackend(), io.env);
    const provider = (f.provider ?? 'legnext') as 'legnext' | 'leonardo' | 'vidu';
    if (!['legnext', 'leonardo', 'vidu'].includes(provider)) {
      throw new Usage('--provider must be legnext, leonardo or vidu.', '--provider');
    }
    if (sub === 'set') {
      const key = (await io.stdin()).trim();
      if (!key) throw new Usage('No key on standard input: run `printf %s "$KEY" | genvault key set`.');
      await secrets.setKey(provider, key);
      const status = await secrets.status(provider);
      return {
        json: { provider, ...status },
        human: `The ${provider} key ending in ${status.last4} is stored.`,
      };
    }
    if (sub === 'status') {
      const status = await secrets.status(provider);
      return {
        json: { provider, ...status },
        human: status.set
          ? `A ${provider} key ending in ${status.last4} is set (from ${status.source === 'env' ? 'the environment' : `the ${status.source}`}).`
          : `No ${provider} key is set. Store one with \`genvault key set\`.`,
      };
    }
    if (sub === 'clear') {
      const removed = await secrets.clearKey(provider);
      return {
        json: { provider, removed },
        human: removed ? `The ${provider} key was removed.` : `No ${provider} key was stored.`,
      };
    }
    throw new Usage('Use `genvault key set`, `genvault key status` or `genvault key clear`.');
  }

  const { vault, close } = openVault(f, io);
  try {
    switch (command) {
      case 'balance': {
        const b = await vault.balance();
        return {
          json: b,
          human: `${b.credits} credits and ${b.points} points available${b.balanceUsd !== null ? ` ($${b.balanceUsd.toFixed(2)})` : ''}${b.lowBalance ? ' — low balance' : ''}.`,
        };
      }
      case 'imagine':
        return await submitAndMaybeWait(vault, vault.imagine(need(args.join(' '), 'a prompt')), f, io);
      case 'shorten':
        return await submitAndMaybeWait(vault, vault.shorten(need(args.join(' '), 'a prompt')), f, io);
      case 'video': {
        const provider = f.provider ?? 'legnext';
        if (provider === 'leonardo' || provider === 'vidu') {
          const view = await vault.videoWith({
            provider,
            prompt: need(args.join(' ').trim(), 'a prompt'),
            from: f.from,
            last: f.last,
            refs: f.ref,
            model: f.model,
            duration: num(f.duration, 'duration'),
            resolution: f.resolution,
            aspectRatio: f.ar,
            seed: int(f.seed, 'seed', 0, 2 ** 32 - 1),
            audio: f.audio,
            bgm: f.bgm,
          });
          return await submitAndMaybeWait(vault, view, f, io);
        }
        if (provider !== 'legnext')
          throw new Usage('--provider must be legnext, leonardo or vidu.', '--provider');
        for (const flag of ['last', 'ref', 'model', 'duration'] as const) {
          if (f[flag] !== undefined)
            throw new Usage(`--${flag} is for --provider leonardo or vidu.`, `--${flag}`);
        }
        const quality =
          f.quality === undefined ? undefined : f.quality === '480' ? 480 : f.quality === '720' ? 720 : null;
        if (quality === null) throw new Usage('--quality must be 480 or 720.', '--quality');
        const prompt = args.join(' ').trim() || undefined;
        const from = f.from ? parseOutputRef(f.from) : undefined;
        return await submitAndMaybeWait(vault, vault.video(prompt, { from, quality }), f, io);
      }
      case 'run': {
        const [opName, target] = args;
        return await submitAndMaybeWait(
          vault,
          await runFollowUp(vault, need(opName, 'an operation'), need(target, 'JOBID[:N]'), f),
          f,
          io,
        );
      }
      case 'blend': {
        if (args.length < 2) throw new Usage('blend needs 2 to 5 images (URLs, files or JOBID:N).');
        const ar = f.ar as '2:3' | '1:1' | '3:2' | undefined;
        const images = [];
        for (const arg of args) images.push(await vault.imageSourceOf(arg));
        await vault.stageImages(images, 'blend');
        return await submitAndMaybeWait(vault, vault.blend(images, ar), f, io);
      }
      case 'describe': {
        const image = await vault.imageSourceOf(need(args[0], 'an image (URL, file or JOBID:N)'));
        await vault.stageImages([image], 'describe');
        return await submitAndMaybeWait(vault, vault.describe(image), f, io);
      }
      case 'host':
        return await hostCommand(vault, args[0], f, io);
      case 'import': {
        const ids = [...args, ...(f.file ? await readIdFile(f.file) : [])];
        if (ids.length === 0) throw new Usage('import needs job ids, or --file with one id per line.');
        await startQueue(vault, io);
        const views = await vault.importJobs(ids);
        const summary = await vault.sync();
        const final = views.map((v) => vault.show(v.id));
        return {
          json: { items: final, next: null },
          human: final.map(describeJob).join('\n\n'),
          exitCode: summary.errors > 0 || summary.failed > 0 ? 1 : 0,
        };
      }
      case 'sync': {
        await startQueue(vault, io);
        const s = await vault.sync({ onEvent: progressPrinter(io, f, null) });
        return {
          json: s,
          human:
            s.jobs === 0
              ? 'Nothing to sync: every job has ended and every output is archived.'
              : `Synced ${s.jobs} jobs: ${s.completed} completed, ${s.failed} failed; ${s.archived} files archived, ${s.expired} expired, ${s.errors} could not be downloaded.`,
          exitCode: s.errors > 0 ? 1 : 0,
        };
      }
      case 'list': {
        const page = vault.list({
          taskType: f.type,
          status: f.status as never,
          stacked: f.stacked,
          limit: int(f.limit, 'limit', 1, 500),
          cursor: f.cursor ?? null,
        });
        return {
          json: page,
          human: describePage(page),
        };
      }
      case 'search': {
        const page = vault.search(need(args.join(' '), 'search words'), {
          limit: int(f.limit, 'limit', 1, 500),
          cursor: f.cursor ?? null,
          taskType: f.type,
          status: f.status as never,
          stacked: f.stacked,
        });
        return {
          json: page,
          human: describePage(page),
        };
      }
      case 'show': {
        const view = vault.show(need(args[0], 'a job id'));
        return { json: view, human: describeJob(view) };
      }
      case 'tag': {
        const job = vault.library.resolveJobRef(need(args[0], 'a job id'));
        const given = args.slice(1);
        if (given.length > 0) {
          const current = vault.library.jobView(job.id).tags;
          const drop = new Set(given.map((t) => t.trim().toLocaleLowerCase()));
          const next = f.remove
            ? current.filter((t) => !drop.has(t.toLocaleLowerCase()))
            : [...current, ...given];
          vault.library.setTags(job.id, next);
          vault.library.writeSidecar(job.id);
        } else if (f.remove) {
          throw new Usage('Name the tags to remove: `genvault tag JOBID TAG… --remove`.', '--remove');
        }
        const tags = vault.library.jobView(job.id).tags;
        return {
          json: { id: job.id, tags },
          human: tags.length ? tags.join('\n') : 'This job has no tags.',
        };
      }
      case 'remove': {
        if (args.length === 0) throw new Usage('Name the jobs to remove: `genvault remove JOBID… --yes`.');
        // Resolved first, so a typo is reported whether or not --yes was given.
        const jobs = args.map((ref) => vault.library.resolveJobRef(ref));
        if (!f.yes) {
          // Prefixes and Legnext ids resolve to jobs: say which, so --yes is given knowingly.
          const named = jobs.map((j) => `  ${j.id}  ${j.prompt ?? j.taskType}`).join('\n');
          throw new Usage(
            `This deletes ${jobs.length === 1 ? 'this job' : `these ${jobs.length} jobs`} and ${jobs.length === 1 ? 'its' : 'their'} files for good; add --yes to do it.\n${named}`,
            '--yes',
          );
        }
        const r = await vault.removeJobs(jobs.map((j) => j.id));
        const done = `Removed ${r.removed.length === 1 ? '1 job' : `${r.removed.length} jobs`}; ${(r.bytes / 1e6).toFixed(1)} MB of files deleted.`;
        return r.problem ? { json: r, human: r.problem, exitCode: 1 } : { json: r, human: done };
      }
      case 'retry':
        return await submitAndMaybeWait(vault, vault.retry(need(args[0], 'a job id')), f, io);
      case 'serve': {
        const rendererDir = defaultRendererDir();
        if (!existsSync(path.join(rendererDir, 'index.html'))) {
          throw new Usage('The app interface is not built yet: run `npm run build` first.');
        }
        const handle = await serve(vault, { port: int(f.port, 'port', 0, 65535) ?? 0, rendererDir });
        io.stdout(
          f.json
            ? JSON.stringify({ url: handle.url })
            : `GenVault is open at ${handle.url}\n(only this computer can reach it; Ctrl-C stops it)`,
        );
        await (io.untilStopped ?? untilSignal)();
        await handle.close();
        return { json: undefined, human: '', printed: true };
      }
      case 'rebuild': {
        const r = vault.rebuild();
        return {
          json: r,
          human: `Rebuilt the library from the folder: ${r.jobs} jobs, ${r.outputs} outputs.`,
        };
      }
      default:
        throw new Usage(`Unknown command "${command}". Run \`genvault --help\` for the list.`);
    }
  } finally {
    await close();
  }
}

/** A listing for people: each job, and with --stacked how many jobs its family holds. */
function describePage(page: JobsPage): string {
  if (page.items.length === 0) return 'No jobs match.';
  return page.items
    .map((job) => {
      const size = page.stacks?.[job.id]?.jobs ?? 1;
      return size > 1 ? `${describeJob(job)}\n  family: ${size} jobs` : describeJob(job);
    })
    .join('\n\n');
}

function plainMessage(err: unknown): { message: string; exitCode: number; kind: string } {
  if (err instanceof GenVaultError) {
    const hint = CLI_HINTS.get(err.message);
    return { message: hint ? `${err.message} ${hint}` : err.message, exitCode: err.exitCode, kind: err.kind };
  }
  const e = err as Error;
  if (e?.name === 'SecretUnavailableError') return { message: e.message, exitCode: 2, kind: 'invalid' };
  return { message: `Unexpected error: ${e?.message ?? String(err)}`, exitCode: 1, kind: 'failed' };
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof GLOBAL_OPTIONS; allowPositionals: true; strict: true }>
  >;
  const wantsJson = argv.includes('--json');
  try {
    parsed = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const message = `${(err as Error).message.replace(/\.$/, '')}. Run \`genvault --help\` for usage.`;
    io.stderr(message);
    if (wantsJson) io.stdout(JSON.stringify({ error: { kind: 'invalid', message } }));
    return 2;
  }
  const f = parsed.values as Flags;
  const [command, ...rest] = parsed.positionals;
  if (f.help || !command || command === 'help') {
    io.stdout(HELP);
    return command || f.help ? 0 : 2;
  }
  try {
    const result = await execute(command, rest, f, io);
    if (!result.printed) io.stdout(f.json ? JSON.stringify(result.json, null, 2) : result.human);
    return result.exitCode ?? 0;
  } catch (err) {
    const { message, exitCode, kind } = plainMessage(err);
    io.stderr(message);
    if (f.json) io.stdout(JSON.stringify({ error: { kind, message } }));
    return exitCode;
  }
}

async function readStdin(prompt = 'Paste the API key and press Enter: '): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write(prompt);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (process.stdin.isTTY && chunk.includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isEntry = process.argv[1] && /(?:genvault(?:\.js)?|cli[\\/]main\.ts)$/.test(process.argv[1]);
if (isEntry) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    stdin: readStdin,
    env: process.env,
  });
  process.exitCode = code;
}
