/**
 * The follow-ups the job detail view offers, each decided per output with the same rules the Vault
 * applies when it is sent, so a disabled control carries the exact reason and an enabled one will not
 * be refused locally.
 *
 * Two families:
 * - job follow-ups (`jobs.followUp`): Legnext acts on its own job (`jobId` + `imageNo`/`videoNo`), so
 *   `followUpBlocker` applies: the 3-day window, `available_actions`, draft-only enhance, 4 extends.
 * - image operations (`jobs.onImage`): upload-paint, retexture and remove-background take an image
 *   URL, so they work on any image GenVault can still reach (its CDN copy inside 30 days, or the saved
 *   file through the image host), with no 3-day window. Topaz (`enhance-upscale`) takes either form:
 *   its state follows the image rules and the view sends it as a job follow-up inside the window.
 */
import type { FollowUpStateView } from '../../../shared/contract';
import { PROVIDER_LABELS } from '../../../shared/labels';
import type { JobRow, OutputRow } from '../library';
import { estimateCost } from '../params';
import { TOPAZ_RESOLUTIONS } from '../../../shared/legnext-options';
import { FOLLOW_UP_OPS, followUpBlocker, type FollowUpOp } from '../providers/legnext/followups';
import type { Vault } from '../vault';

/** Operations on an image by URL, offered for library images through `jobs.onImage`. */
export const IMAGE_URL_OPS = {
  'upload-paint': { label: 'Paint on a canvas' },
  retexture: { label: 'Retexture' },
  'remove-background': { label: 'Remove background' },
} as const;
export type ImageUrlOp = keyof typeof IMAGE_URL_OPS;

export type FollowUpStateOp = FollowUpOp | ImageUrlOp;

interface FollowUpPreset {
  op: FollowUpStateOp;
  label: string;
  /**
   * What to send as `options` when the preset is one click. Presets of ops that need controls (a
   * mask, a prompt, a direction) carry `{}`: the view collects those options in the op's panel.
   */
  options: Record<string, unknown>;
}

const TOPAZ_PRESETS: FollowUpPreset[] = TOPAZ_RESOLUTIONS.map((resolution) => ({
  op: 'enhance-upscale',
  label: `Topaz upscale (${resolution})`,
  options: { targetResolution: resolution },
}));

/**
 * Every follow-up, in the order the view lists them. The first ten are one click; the rest open a
 * panel (Topaz lists one state per resolution so each shows its own price).
 */
export const FOLLOW_UP_PRESETS: readonly FollowUpPreset[] = [
  { op: 'upscale', label: 'Upscale (subtle)', options: { type: 'subtle' } },
  { op: 'upscale', label: 'Upscale (creative)', options: { type: 'creative' } },
  { op: 'variation', label: 'Vary (subtle)', options: { type: 'subtle' } },
  { op: 'variation', label: 'Vary (strong)', options: { type: 'strong' } },
  { op: 'reroll', label: 'Reroll', options: {} },
  { op: 'enhance', label: 'Enhance draft', options: {} },
  { op: 'video-diffusion', label: 'Animate (480p)', options: { quality: 480 } },
  { op: 'video-diffusion', label: 'Animate (720p)', options: { quality: 720 } },
  { op: 'extend-video', label: 'Extend video', options: {} },
  { op: 'video-upscale', label: 'Upscale video', options: {} },
  { op: 'remix', label: 'Remix', options: {} },
  { op: 'pan', label: 'Pan', options: {} },
  { op: 'outpaint', label: 'Zoom out', options: {} },
  { op: 'inpaint', label: 'Vary region', options: {} },
  { op: 'edit', label: 'Edit', options: {} },
  ...TOPAZ_PRESETS,
  { op: 'retexture', label: IMAGE_URL_OPS.retexture.label, options: {} },
  { op: 'remove-background', label: IMAGE_URL_OPS['remove-background'].label, options: {} },
  { op: 'upload-paint', label: IMAGE_URL_OPS['upload-paint'].label, options: {} },
];

const VIDEO_TASK_TYPES = new Set(['video_diffusion', 'extend_video', 'video_upscale']);
const TEXT_TASK_TYPES = new Set(['describe', 'shorten']);

export function isImageUrlOp(op: string): op is ImageUrlOp {
  return Object.hasOwn(IMAGE_URL_OPS, op);
}

/** Which kind of output a job has (or will have), deciding which follow-ups concern it at all. */
function outputKindOf(job: JobRow, kinds: readonly string[]): 'image' | 'video' | null {
  if (kinds.includes('video')) return 'video';
  if (kinds.includes('image')) return 'image';
  if (VIDEO_TASK_TYPES.has(job.taskType)) return 'video';
  if (TEXT_TASK_TYPES.has(job.taskType)) return null;
  return 'image';
}

function parentKindOf(op: FollowUpStateOp): 'image' | 'video' {
  return isImageUrlOp(op) ? 'image' : FOLLOW_UP_OPS[op].parentKind;
}

/** Points the follow-up will freeze: prompt-priced ops re-render the parent's prompt. */
function costOf(preset: FollowUpPreset, parent: JobRow): number {
  const quality = preset.options.quality;
  const resolution = preset.options.targetResolution;
  const prompt =
    preset.op === 'variation' || preset.op === 'reroll' || preset.op === 'remix'
      ? (parent.prompt ?? undefined)
      : undefined;
  return estimateCost(preset.op, prompt, {
    videoQuality: quality === 720 ? 720 : undefined,
    targetResolution: typeof resolution === 'string' ? resolution : undefined,
  }).points;
}

/**
 * Why an image operation cannot start from image `index` of `job`, or null when it can: the job must
 * have finished with that image, and the image must still be reachable, on Legnext's CDN (30 days) or
 * saved in the library (sent through the image host).
 */
export function imageOpBlocker(
  job: JobRow,
  outputs: readonly OutputRow[],
  label: string,
  index: number | null,
  now: number,
): string | null {
  if (job.status === 'failed') return 'This job failed, so it has no outputs to follow up on.';
  if (job.status !== 'completed') return 'This job has not finished yet.';
  const images = outputs.filter((o) => o.kind === 'image');
  if (images.length === 0) return `${label} needs a job that made images.`;
  if (index === null) return `Choose which image to use for ${label.toLowerCase()}.`;
  const image = images.find((o) => o.index === index);
  if (!image) return `This job has no image ${index}.`;
  const onCdn = image.url !== null && now < job.cdnExpiresAt;
  if (onCdn || image.state === 'archived') return null;
  return `Image ${index + 1} left Legnext's CDN before GenVault saved it, so there is nothing to send.`;
}

export function followUpStates(vault: Vault, job: JobRow, now: number): FollowUpStateView[] {
  const parent = vault.followUpParent(job);
  const kind = outputKindOf(job, parent.outputKinds);
  if (kind === null) return [];
  const outputs = vault.library.outputsOf(job.id);
  const indexes = outputs
    .filter((o) => o.kind === kind)
    .map((o) => o.index)
    .sort((a, b) => a - b);
  // Legnext's follow-ups act on Legnext's own jobs; another provider's output is only an image to it.
  const foreign =
    job.provider === 'legnext'
      ? null
      : (label: string) =>
          `${label} works on Midjourney jobs; this one was made with ${PROVIDER_LABELS[job.provider]}.`;

  const states: FollowUpStateView[] = [];
  for (const preset of FOLLOW_UP_PRESETS) {
    if (parentKindOf(preset.op) !== kind) continue;
    const byUrl = isImageUrlOp(preset.op) || preset.op === 'enhance-upscale';
    const needsIndex = isImageUrlOp(preset.op) || FOLLOW_UP_OPS[preset.op].needsIndex;
    const cost = costOf(preset, job);
    const targets: Array<number | null> = needsIndex && indexes.length > 0 ? indexes : [null];
    for (const index of targets) {
      const reason = byUrl
        ? imageOpBlocker(job, outputs, preset.label.replace(/\s*\(.*\)$/, ''), index, now)
        : (followUpBlocker(parent, preset.op as FollowUpOp, index, now) ??
          foreign?.(FOLLOW_UP_OPS[preset.op as FollowUpOp].label) ??
          null);
      states.push({
        op: preset.op,
        label: preset.label,
        index,
        enabled: reason === null,
        reason,
        cost,
        options: preset.options,
      });
    }
  }
  return states;
}
