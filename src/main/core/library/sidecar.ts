/**
 * `job.json`, the per-job sidecar beside a job's media. It holds everything needed to re-create the
 * job's rows (`genvault rebuild`), in a form a person can read: ISO times, library-relative paths.
 * Queue bookkeeping (attempts, next poll) is deliberately left out; it is state of a running app,
 * not of the job.
 */
import path from 'node:path';
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { JOB_STATUSES, OUTPUT_KINDS, OUTPUT_STATES, PROVIDERS } from '../../../shared/domain';
import { JOB_ID_PATTERN } from './paths';
import { iso } from './rows';
import type { JobRow, LineageEdge, OutputRow } from './rows';
import { redactSecrets } from './redact';

export const SIDECAR_FORMAT = 'genvault-job';
export const SIDECAR_VERSION = 1;

const isoTime = z.iso.datetime();
const nullableIso = isoTime.nullable();

const sidecarOutputSchema = z.object({
  kind: z.enum(OUTPUT_KINDS),
  index: z.number().int(),
  url: z.string().nullable(),
  state: z.enum(OUTPUT_STATES),
  path: z.string().nullable(),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  mime: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  thumbPath: z.string().nullable(),
  archivedAt: nullableIso,
  error: z.string().nullable(),
});

export const sidecarSchema = z.object({
  format: z.literal(SIDECAR_FORMAT),
  version: z.literal(SIDECAR_VERSION),
  id: z.string().regex(JOB_ID_PATTERN),
  provider: z.enum(PROVIDERS),
  remoteId: z.string().nullable(),
  taskType: z.string().min(1),
  status: z.enum(JOB_STATUSES),
  prompt: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  request: z.object({ op: z.string(), body: z.record(z.string(), z.unknown()) }).nullable(),
  modelVersion: z.string().nullable(),
  aspectRatio: z.string().nullable(),
  parent: z.object({ id: z.string(), index: z.number().int().nullable() }).nullable(),
  rootId: z.string().min(1),
  lineage: z.array(
    z.object({
      parentId: z.string(),
      parentIndex: z.number().int().nullable(),
      relation: z.string().min(1),
      position: z.number().int(),
    }),
  ),
  createdAt: isoTime,
  submittedAt: nullableIso,
  startedAt: nullableIso,
  endedAt: nullableIso,
  /** Written for people reading the file; a rebuild derives both from `createdAt`. */
  cdnExpiresAt: isoTime.optional(),
  actionsExpireAt: isoTime.optional(),
  cost: z.object({ frozen: z.number(), consumed: z.number() }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  seed: z.string().nullable(),
  availableActions: z.record(z.string(), z.union([z.array(z.number().int()), z.boolean()])).nullable(),
  progress: z.number().nullable(),
  favorite: z.boolean(),
  tags: z.array(z.string()),
  text: z.object({ prompts: z.array(z.string()), description: z.string().nullable() }).nullable(),
  outputs: z.array(sidecarOutputSchema),
  updatedAt: isoTime,
  raw: z.unknown(),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

export interface SidecarParts {
  job: JobRow;
  outputs: OutputRow[];
  tags: string[];
  texts: string[];
  lineage: LineageEdge[];
}

export function buildSidecar({ job, outputs, tags, texts, lineage }: SidecarParts): Sidecar {
  return {
    format: SIDECAR_FORMAT,
    version: SIDECAR_VERSION,
    id: job.id,
    provider: job.provider,
    remoteId: job.remoteId,
    taskType: job.taskType,
    status: job.status,
    prompt: job.prompt,
    params: job.params,
    request: redactSecrets(job.request) as Sidecar['request'],
    modelVersion: job.modelVersion,
    aspectRatio: job.aspectRatio,
    parent: job.parentId === null ? null : { id: job.parentId, index: job.parentIndex },
    rootId: job.rootId,
    lineage: lineage.map(({ parentId, parentIndex, relation, position }) => ({
      parentId,
      parentIndex,
      relation,
      position,
    })),
    createdAt: iso(job.createdAt),
    submittedAt: iso(job.submittedAt),
    startedAt: iso(job.startedAt),
    endedAt: iso(job.endedAt),
    cdnExpiresAt: iso(job.cdnExpiresAt),
    actionsExpireAt: iso(job.actionsExpireAt),
    cost: { frozen: job.costFrozen, consumed: job.costConsumed },
    error: job.errorMessage === null ? null : { code: job.errorCode ?? '', message: job.errorMessage },
    seed: job.seed,
    availableActions: job.availableActions,
    progress: job.progress,
    favorite: job.favorite,
    tags,
    text:
      texts.length === 0 && job.description === null
        ? null
        : { prompts: texts, description: job.description },
    outputs: outputs.map((o) => ({
      kind: o.kind,
      index: o.index,
      url: o.url,
      state: o.state,
      path: o.path,
      bytes: o.bytes,
      sha256: o.sha256,
      mime: o.mime,
      width: o.width,
      height: o.height,
      durationMs: o.durationMs,
      thumbPath: o.thumbPath,
      archivedAt: iso(o.archivedAt),
      error: o.error,
    })),
    updatedAt: iso(job.updatedAt),
    raw: redactSecrets(job.raw),
  };
}

/**
 * Replaces `target` with `text` so a reader (or a crash) sees the old file or the new one, never half
 * of one: write a temp file in the same folder, flush it to disk, rename over the target.
 */
export function writeFileAtomic(target: string, text: string): void {
  // The writer's pid in the name lets a later write tell a dead writer's leftover from a live one's.
  const temp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  removeStaleTemps(target);
}

/** A temp sibling older than this was left by a process that died mid-write (a live one renames in ms). */
const STALE_TEMP_MS = 60_000;

function writerIsGone(name: string): boolean {
  const pid = Number(/\.(\d+)-[0-9a-f]+\.tmp$/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes `<target>.<pid>-<hex>.tmp` files that a killed process left next to `target`. */
function removeStaleTemps(target: string): void {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const file = path.join(dir, name);
    try {
      if (writerIsGone(name) || now - statSync(file).mtimeMs > STALE_TEMP_MS) rmSync(file, { force: true });
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
}
