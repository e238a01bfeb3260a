/**
 * The Legnext operations GenVault can submit, spelled as their URL path segment (`POST /api/v1/<op>`).
 * The API reports the same operation back as `task_type` with underscores (`video_diffusion`).
 */
import type { TaskType } from '../../../../shared/domain';

export const LEGNEXT_OPS = [
  'diffusion',
  'variation',
  'upscale',
  'reroll',
  'blend',
  'describe',
  'shorten',
  'pan',
  'outpaint',
  'inpaint',
  'remix',
  'edit',
  'upload-paint',
  'retexture',
  'remove-background',
  'enhance',
  'enhance-upscale',
  'video-diffusion',
  'extend-video',
  'video-upscale',
] as const;
export type LegnextOp = (typeof LEGNEXT_OPS)[number];

export function isLegnextOp(value: string): value is LegnextOp {
  return (LEGNEXT_OPS as readonly string[]).includes(value);
}

/** `video-diffusion` → `video_diffusion`: the task type the API reports for a submitted op. */
export function taskTypeOfOp(op: LegnextOp): TaskType {
  return op.replaceAll('-', '_') as TaskType;
}

/** Normalises a task type as received (the OpenAPI contract spells it with hyphens, the API with underscores). */
export function normaliseTaskType(raw: string): string {
  return raw.trim().toLowerCase().replaceAll('-', '_');
}
