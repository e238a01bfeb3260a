/**
 * Whether a follow-up (upscale, vary, pan, animate, extend…) can be started from a parent job, decided
 * locally from what the library knows, so the UI can disable a button with its reason and no request
 * is spent on something Legnext will refuse. Rules from the docs: "Output Storage" (3-day window),
 * `available_actions` of Get Task, Enhance ("original job must be … `--v 7 --draft`"), Extend Video
 * ("maximum of 4 extensions"), the model feature tables (no pan/outpaint/inpaint on v8 and v8.1) and
 * the V7 Omni Reference limits (no inpaint/pan/outpaint on `--oref` images).
 */
import { ACTIONS_WINDOW_MS } from '../../../../shared/domain';
import type { JobStatus, OutputKind } from '../../../../shared/domain';
import { MAX_VIDEO_EXTENDS } from '../../../../shared/legnext-options';
import { parsePrompt } from '../../params/parse';
import type { LegnextOp } from './ops';

export interface FollowUpParent {
  taskType: string;
  status: JobStatus;
  prompt: string | null;
  /** ms since epoch. */
  createdAt: number;
  availableActions: Record<string, number[] | boolean> | null;
  outputKinds: OutputKind[];
  imageCount: number;
  videoCount: number;
  /** Extends already in the chain that led to this job. */
  extendDepth: number;
}

export interface FollowUpInfo {
  label: string;
  /** Whether the follow-up acts on one output (imageNo / videoNo) rather than the whole job. */
  needsIndex: boolean;
  /** The kind of output the parent must have. */
  parentKind: 'image' | 'video';
  /** The key of `output.available_actions` that governs it, when the API lists one. */
  actionKey: string | null;
}

export const FOLLOW_UP_OPS = {
  upscale: { label: 'Upscale', needsIndex: true, parentKind: 'image', actionKey: 'upscale' },
  variation: { label: 'Vary', needsIndex: true, parentKind: 'image', actionKey: 'variation' },
  reroll: { label: 'Reroll', needsIndex: false, parentKind: 'image', actionKey: 'reroll' },
  remix: { label: 'Remix', needsIndex: true, parentKind: 'image', actionKey: 'remix' },
  pan: { label: 'Pan', needsIndex: true, parentKind: 'image', actionKey: 'pan' },
  outpaint: { label: 'Zoom out', needsIndex: true, parentKind: 'image', actionKey: 'outpaint' },
  inpaint: { label: 'Vary region', needsIndex: true, parentKind: 'image', actionKey: 'inpaint' },
  edit: { label: 'Edit', needsIndex: true, parentKind: 'image', actionKey: 'edit' },
  enhance: { label: 'Enhance draft', needsIndex: true, parentKind: 'image', actionKey: null },
  'enhance-upscale': { label: 'Topaz upscale', needsIndex: true, parentKind: 'image', actionKey: null },
  'video-diffusion': { label: 'Animate', needsIndex: true, parentKind: 'image', actionKey: null },
  'extend-video': { label: 'Extend video', needsIndex: true, parentKind: 'video', actionKey: null },
  'video-upscale': { label: 'Upscale video', needsIndex: true, parentKind: 'video', actionKey: null },
} as const satisfies Partial<Record<LegnextOp, FollowUpInfo>>;

export type FollowUpOp = keyof typeof FOLLOW_UP_OPS;

export function isFollowUpOp(op: string): op is FollowUpOp {
  return Object.hasOwn(FOLLOW_UP_OPS, op);
}

export { MAX_VIDEO_EXTENDS };

/** v8 and v8.1 render natively at 2K and have no pan/outpaint/inpaint ("Not available"). */
const NO_REGION_EDITS_MODELS = ['8', '8.1'];
const REGION_EDITS: readonly LegnextOp[] = ['pan', 'outpaint', 'inpaint'];

function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A plain reason the follow-up cannot be started, or null when it can. */
export function followUpBlocker(
  parent: FollowUpParent,
  op: LegnextOp,
  index: number | null,
  now: number,
): string | null {
  if (!isFollowUpOp(op)) return `${op} does not start from an existing job.`;
  const info: FollowUpInfo = FOLLOW_UP_OPS[op];

  if (parent.status === 'failed') return 'This job failed, so it has no outputs to follow up on.';
  if (parent.status !== 'completed') return 'This job has not finished yet.';

  const windowEnd = parent.createdAt + ACTIONS_WINDOW_MS;
  if (now > windowEnd) {
    return `Follow-ups for this job ended on ${formatUtc(windowEnd)} (Legnext allows them for 3 days).`;
  }

  const count = info.parentKind === 'image' ? parent.imageCount : parent.videoCount;
  if (count === 0 || !parent.outputKinds.includes(info.parentKind)) {
    return info.parentKind === 'image'
      ? `${info.label} needs a job that made images.`
      : `${info.label} needs a video job.`;
  }

  if (info.needsIndex) {
    const noun = info.parentKind === 'image' ? 'image' : 'video';
    if (index === null) return `Choose which ${noun} to ${info.label.toLowerCase()}.`;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      return count === 1
        ? `This job has one ${noun}, number 0.`
        : `This job has ${noun}s 0 to ${count - 1}; there is no ${noun} ${index}.`;
    }
  }

  const actionBlock = availableActionBlock(parent, info, index);
  if (actionBlock) return actionBlock;

  const parsed = parent.prompt === null ? null : parsePrompt(parent.prompt);
  if (op === 'enhance') {
    const isDraft = parsed !== null && parsed.version === '7' && parsed.flags.some((f) => f.name === 'draft');
    if (!isDraft) return 'Enhance only works on images made in draft mode (--v 7 --draft).';
  }
  if (REGION_EDITS.includes(op) && parsed !== null) {
    if (NO_REGION_EDITS_MODELS.includes(parsed.version)) {
      return `${info.label} is not available for --v ${parsed.version} images.`;
    }
    if (parsed.flags.some((f) => f.name === 'oref')) {
      return `${info.label} is not available for images made with --oref.`;
    }
  }
  if (op === 'extend-video' && parent.extendDepth >= MAX_VIDEO_EXTENDS) {
    return `This video has already been extended ${MAX_VIDEO_EXTENDS} times, the most Legnext allows.`;
  }
  return null;
}

/**
 * When the parent lists `available_actions`, an action it leaves out (or an index it leaves out of
 * that action's list) is not offered for this job: e.g. v8 images list no upscale.
 */
function availableActionBlock(
  parent: FollowUpParent,
  info: FollowUpInfo,
  index: number | null,
): string | null {
  const actions = parent.availableActions;
  if (info.actionKey === null || actions === null || Object.keys(actions).length === 0) return null;
  const allowed = actions[info.actionKey];
  if (allowed === undefined || allowed === false)
    return `Legnext does not offer ${info.label.toLowerCase()} for this job.`;
  if (Array.isArray(allowed) && info.needsIndex && index !== null && !allowed.includes(index)) {
    return `Legnext does not offer ${info.label.toLowerCase()} for image ${index} of this job.`;
  }
  return null;
}
