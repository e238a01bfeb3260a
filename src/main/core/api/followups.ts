/**
 * The one-click follow-ups the job detail view offers, each decided per output with the same rules the
 * Vault applies when the button is pressed (`followUpBlocker`), so a disabled button carries the exact
 * reason and an enabled one will not be refused locally.
 */
import type { FollowUpStateView } from '../../../shared/contract';
import type { JobRow } from '../library';
import { estimateCost } from '../params';
import { FOLLOW_UP_OPS, followUpBlocker, type FollowUpOp } from '../providers/legnext/followups';
import type { Vault } from '../vault';

interface FollowUpPreset {
  op: FollowUpOp;
  label: string;
  options: Record<string, unknown>;
}

/** The variants a person picks with one click; the order is the order of the buttons. */
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
];

const VIDEO_TASK_TYPES = new Set(['video_diffusion', 'extend_video', 'video_upscale']);
const TEXT_TASK_TYPES = new Set(['describe', 'shorten']);

/** Which kind of output a job has (or will have), deciding which follow-ups concern it at all. */
function outputKindOf(job: JobRow, kinds: readonly string[]): 'image' | 'video' | null {
  if (kinds.includes('video')) return 'video';
  if (kinds.includes('image')) return 'image';
  if (VIDEO_TASK_TYPES.has(job.taskType)) return 'video';
  if (TEXT_TASK_TYPES.has(job.taskType)) return null;
  return 'image';
}

/** Points the follow-up will freeze: prompt-priced ops re-render the parent's prompt. */
function costOf(preset: FollowUpPreset, parent: JobRow): number {
  const quality = preset.options.quality;
  const prompt =
    preset.op === 'variation' || preset.op === 'reroll' ? (parent.prompt ?? undefined) : undefined;
  return estimateCost(preset.op, prompt, { videoQuality: quality === 720 ? 720 : undefined }).points;
}

export function followUpStates(vault: Vault, job: JobRow, now: number): FollowUpStateView[] {
  const parent = vault.followUpParent(job);
  const kind = outputKindOf(job, parent.outputKinds);
  if (kind === null) return [];
  const indexes = vault.library
    .outputsOf(job.id)
    .filter((o) => o.kind === kind)
    .map((o) => o.index)
    .sort((a, b) => a - b);

  const states: FollowUpStateView[] = [];
  for (const preset of FOLLOW_UP_PRESETS) {
    const info = FOLLOW_UP_OPS[preset.op];
    if (info.parentKind !== kind) continue;
    const cost = costOf(preset, job);
    const targets: Array<number | null> = info.needsIndex && indexes.length > 0 ? indexes : [null];
    for (const index of targets) {
      const reason = followUpBlocker(parent, preset.op, index, now);
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
