/**
 * The contract implemented over the core: one async handler per call of `src/shared/contract.ts`,
 * `dispatch` (the single entry every transport uses: Electron IPC and the web bridge) and `bindEvents`
 * (queue events → contract events). Plain Node: the transports add their own sender checks around it.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import {
  contract,
  type CallError,
  type CallName,
  type CallRequest,
  type CallResponse,
  type CallResult,
  type EventMap,
  type EventName,
  type JobsPage,
  type KeyStatusView,
  type LineageView,
} from '../../../shared/contract';
import type { JobView, Provider } from '../../../shared/domain';
import { ApiError, GenVaultError, InvalidInputError } from '../errors';
import { estimateCost, parsePrompt, promptIssues } from '../params';
import { LegnextClient } from '../providers/legnext/client';
import { isFollowUpOp } from '../providers/legnext/followups';
import { SecretUnavailableError } from '../secrets';
import type { Vault } from '../vault';
import { followUpStates } from './followups';
import { imageHandlers } from './images';
import { outputHandlers } from './outputs';
import { checkLeonardoKey, checkUniAllKey, providerHandlers } from './providers';
import { applyBaseUrls, checkBaseUrls, readSettings, writeSettings } from './settings';
import { clientJobView, clientPage, queueState } from './views';

export type Handlers = { [K in CallName]: (req: CallRequest<K>) => Promise<CallResponse<K>> };

export interface HandlerContext {
  vault: Vault;
  /** Shows a file or folder in the system file manager; absent where there is none (the web bridge). */
  reveal?: (absPath: string) => Promise<void>;
  /** Shown with the key status when keys are kept in an encrypted file instead of the OS keychain. */
  keyNote?: string | null;
  /** Used for the balance call that checks a new key; tests point it at loopback. */
  dispatcher?: Dispatcher;
  now?: () => number;
  /** Asks the user for a folder (Electron's dialog); absent on the web bridge, where a `dir` must be given. */
  chooseFolder?: (title: string) => Promise<string | null>;
  /** Puts an image file on the system clipboard; absent on the web bridge (the browser copies it itself). */
  copyImage?: (absPath: string) => Promise<void>;
  /** Moves files or folders to the system Trash; absent where there is none (removed files are deleted). */
  trash?: (absPaths: string[]) => Promise<void>;
}

/** A part of the contract implemented in its own module (images, provider videos, outputs). */
export type HandlerGroup<K extends CallName> = { [P in K]: Handlers[P] };

/** The pause a person asks for from the Activity view; the reason shows in the queue banner. */
export const USER_PAUSE_REASON = 'Paused: new jobs wait until you resume the queue.';

export function createHandlers(ctx: HandlerContext): Handlers {
  const { vault } = ctx;
  const library = vault.library;
  const now = ctx.now ?? Date.now;
  const view = (job: JobView): JobView => clientJobView(library.root, job);
  const byId = (id: string): JobView => view(library.jobView(library.resolveJobRef(id).id));
  /** A listing page as the renderer receives it; a stacked page keeps its families. */
  const listingPage = (page: JobsPage): JobsPage =>
    page.stacks === undefined
      ? clientPage(library.root, page)
      : { ...clientPage(library.root, page), stacks: page.stacks };

  const keyStatus = async (provider: Provider): Promise<KeyStatusView> => ({
    provider,
    ...(await vault.keyStatus(provider)),
    note: ctx.keyNote ?? null,
  });

  /** Spends nothing: a balance call with the candidate key, before anything is stored. */
  const checkLegnextKey = async (key: string): Promise<void> => {
    const client = new LegnextClient({
      baseUrl: vault.legnext.baseUrl,
      apiKey: async () => key,
      dispatcher: ctx.dispatcher,
    });
    try {
      await client.balance();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        throw new InvalidInputError(
          'Legnext did not accept this API key; check that it was copied whole.',
          'key',
        );
      }
      throw err;
    }
  };

  return {
    ...imageHandlers(ctx),
    ...providerHandlers(ctx),
    ...outputHandlers(ctx),

    'keys.status': ({ provider }) => keyStatus(provider),

    'keys.set': async ({ provider, key }) => {
      if (provider === 'legnext') await checkLegnextKey(key);
      else if (provider === 'leonardo') await checkLeonardoKey(vault, key, ctx.dispatcher);
      else checkUniAllKey(key);
      await vault.setKey(key, provider);
      return keyStatus(provider);
    },

    'keys.clear': async ({ provider }) => {
      await vault.clearKey(provider);
      return keyStatus(provider);
    },

    'account.balance': async () => {
      const b = await vault.balance();
      return { credits: b.credits, points: b.points, balanceUsd: b.balanceUsd, lowBalance: b.lowBalance };
    },

    'jobs.list': async (query) => listingPage(vault.list(query)),

    'jobs.search': async ({ text, query }) => listingPage(vault.search(text, query)),

    'jobs.get': async ({ id }) => byId(id),

    'jobs.lineage': async ({ id }): Promise<LineageView> => {
      const job = library.resolveJobRef(id);
      const ancestors = library.ancestors(job.id);
      const descendants = library.descendants(job.id);
      const steps = [...ancestors, ...descendants];
      // Generation relative to the asked job orders the family parents-first; API creation times
      // have one-second precision, so a parent and its quick child can share one.
      const generation = new Map<string, number>([[job.id, 0]]);
      for (const s of ancestors)
        generation.set(s.parentId, Math.min(generation.get(s.parentId) ?? 0, -s.depth));
      for (const s of descendants)
        generation.set(s.childId, Math.max(generation.get(s.childId) ?? 0, s.depth));
      const jobs = [...generation.keys()]
        .map((jobId) => library.getJob(jobId))
        .filter((row) => row !== undefined)
        .sort((a, b) => generation.get(a.id)! - generation.get(b.id)! || a.createdAt - b.createdAt)
        .map((row) => view(library.jobView(row.id)));
      const edges = steps.map((s) => ({
        parentId: s.parentId,
        parentIndex: s.parentIndex,
        childId: s.childId,
        relation: s.relation,
      }));
      return { jobs, edges };
    },

    'jobs.followUps': async ({ id }) => followUpStates(vault, library.resolveJobRef(id), now()),

    'jobs.imagine': async ({ prompt }) => view(vault.imagine(prompt)),

    'jobs.video': async ({ prompt, quality }) => view(vault.video(prompt, { quality })),

    'jobs.followUp': async ({ op, id, index, options }) => {
      if (!isFollowUpOp(op)) throw new InvalidInputError(`"${op}" is not a follow-up GenVault offers.`, 'op');
      // A mask image is checked against its image, and an end frame or mask that must be uploaded is
      // uploaded now, so their problems show here rather than as a failed job.
      const subject = index === null ? null : { kind: 'output' as const, jobId: id, index };
      await vault.prepareImages(op, subject, options);
      return view(vault.followUp(op, { ref: id, index }, options));
    },

    'jobs.retry': async ({ id }) => view(vault.retry(id)),

    'jobs.remove': async ({ ids }) => vault.removeJobs(ids, { trash: ctx.trash }),

    'jobs.setFavorite': async ({ id, favorite }) => {
      const job = library.resolveJobRef(id);
      library.setFavorite(job.id, favorite);
      library.writeSidecar(job.id);
      return byId(job.id);
    },

    'jobs.setTags': async ({ id, tags }) => {
      const job = library.resolveJobRef(id);
      library.setTags(job.id, tags);
      library.writeSidecar(job.id);
      return byId(job.id);
    },

    'outputs.retry': async ({ id, kind, index }) => {
      const job = library.resolveJobRef(id);
      const output = library.getOutput(job.id, kind, index);
      if (!output) throw new InvalidInputError(`This job has no ${kind} ${index}.`, 'index');
      if (output.state === 'archived') throw new InvalidInputError('This file is already in the library.');
      vault.queue.retryOutput(job.id, kind, index);
      return byId(job.id);
    },

    'prompt.check': async ({ prompt, kind }) => {
      const parsed = parsePrompt(prompt);
      const cost = estimateCost(kind === 'video' ? 'video-diffusion' : 'diffusion', prompt);
      return {
        issues: promptIssues(prompt, { kind }),
        cost: { points: cost.points, basis: cost.basis },
        version: parsed.version,
        aspectRatio: parsed.aspectRatio,
      };
    },

    'queue.state': async () => queueState(vault),

    'queue.pause': async () => {
      vault.queue.pause('legnext', USER_PAUSE_REASON);
      return queueState(vault);
    },

    'queue.resume': async () => {
      vault.queue.resume('legnext');
      return queueState(vault);
    },

    'library.info': async () => ({
      dir: library.root,
      ...library.stats(),
      canReveal: ctx.reveal !== undefined,
      removeFilesTo: ctx.trash ? ('trash' as const) : ('deleted' as const),
    }),

    'settings.get': async () => readSettings(library),

    'settings.set': async (patch) => {
      if (patch.baseUrls) checkBaseUrls(patch.baseUrls);
      const next = writeSettings(library, patch);
      vault.queue.setConcurrency(next.concurrency);
      if (patch.baseUrls) applyBaseUrls(vault, next.baseUrls);
      return next;
    },
  };
}

// ── dispatch ─────────────────────────────────────────────────────────────────────────────────────

const GENERIC_FAILURE = 'Something went wrong inside GenVault; the details were written to its log.';

function isCallName(name: string): name is CallName {
  return Object.hasOwn(contract, name);
}

function fieldOf(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** The first problem of a request that does not fit its schema, as one sentence naming the field. */
function invalidRequest(error: z.ZodError): CallError {
  const issue = error.issues[0];
  if (!issue) return { kind: 'invalid', message: 'The request is not valid.' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const parent = fieldOf(issue.path);
    const field = parent ? `${parent}.${key}` : key;
    return { kind: 'invalid', message: `The request has a field GenVault does not know: "${field}".`, field };
  }
  const field = fieldOf(issue.path);
  return field
    ? { kind: 'invalid', message: `The field "${field}" is not valid: ${issue.message}.`, field }
    : { kind: 'invalid', message: `The request is not valid: ${issue.message}.` };
}

/** Secret values from the request (the key of `keys.set`) must never reach a log. */
/** The payload fields that carry secrets: an API key (`keys.set`) and the image host's secret. */
const SECRET_FIELDS = ['key', 'secretAccessKey'] as const;

function scrubSecrets(text: string, payload: unknown): string {
  let scrubbed = text;
  for (const field of SECRET_FIELDS) {
    const value = (payload as Record<string, unknown> | null)?.[field];
    if (typeof value === 'string' && value.trim().length >= 4) {
      scrubbed = scrubbed.split(value.trim()).join('[secret]');
    }
  }
  return scrubbed;
}

export function toCallError(err: unknown): CallError | null {
  if (err instanceof GenVaultError) {
    const field = err instanceof InvalidInputError ? err.field : undefined;
    return field === undefined
      ? { kind: err.kind, message: err.message }
      : { kind: err.kind, message: err.message, field };
  }
  if (err instanceof SecretUnavailableError) return { kind: 'unavailable', message: err.message };
  return null;
}

/**
 * Runs one call by name: unknown names and requests that do not fit the contract are refused before
 * any handler runs; every failure comes back as a `CallResult`, never as a rejection.
 */
export async function dispatch(
  handlers: Handlers,
  name: string,
  payload: unknown,
): Promise<CallResult<unknown>> {
  if (typeof name !== 'string' || !isCallName(name)) {
    const shown = typeof name === 'string' ? name.slice(0, 60) : typeof name;
    return { ok: false, error: { kind: 'invalid', message: `GenVault has no call named "${shown}".` } };
  }
  const parsed = (contract[name].request as z.ZodType).safeParse(payload === undefined ? {} : payload);
  if (!parsed.success) return { ok: false, error: invalidRequest(parsed.error) };
  const handler = handlers[name] as (req: unknown) => Promise<unknown>;
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    const known = toCallError(err);
    if (known) return { ok: false, error: known };
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`genvault: ${name} failed:`, scrubSecrets(detail, payload));
    return { ok: false, error: { kind: 'internal', message: GENERIC_FAILURE } };
  }
}

// ── events ───────────────────────────────────────────────────────────────────────────────────────

export type EventSink = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/**
 * Forwards queue events as contract events until the returned function is called: every job change as
 * `job`, download progress as `download`, and the whole queue state as `queue` whenever it changes
 * (pause, resume, offline, online, or the counts of jobs in flight, waiting and downloads pending).
 */
export function bindEvents(vault: Vault, emit: EventSink): () => void {
  let lastQueue = JSON.stringify(queueState(vault));
  const emitQueueIfChanged = () => {
    const state = queueState(vault);
    const text = JSON.stringify(state);
    if (text === lastQueue) return;
    lastQueue = text;
    emit('queue', state);
  };
  return vault.queue.on((event) => {
    switch (event.type) {
      case 'job':
        emit('job', clientJobView(vault.library.root, event.job));
        emitQueueIfChanged();
        break;
      case 'download':
        emit('download', {
          jobId: event.jobId,
          kind: event.kind,
          index: event.index,
          received: event.received,
          total: event.total,
        });
        break;
      default:
        emitQueueIfChanged();
    }
  });
}
