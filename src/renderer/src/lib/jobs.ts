/** What the views say about a job: names, states and windows, derived from a JobView. */
import type { JobStatus, JobView, OutputView } from '../../../shared/domain';
import { PROVIDER_LABELS } from '../../../shared/labels';
import { daysUntil, pluralize } from './format';

export type Tone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'info';

const TASK_LABELS: Record<string, string> = {
  diffusion: 'Imagine',
  variation: 'Variation',
  upscale: 'Upscale',
  reroll: 'Reroll',
  blend: 'Blend',
  describe: 'Describe',
  shorten: 'Shorten',
  pan: 'Pan',
  outpaint: 'Zoom out',
  inpaint: 'Vary region',
  remix: 'Remix',
  edit: 'Edit',
  upload_paint: 'Paint',
  retexture: 'Retexture',
  remove_background: 'Remove background',
  enhance: 'Enhance',
  enhance_upscale: 'Topaz upscale',
  video_diffusion: 'Video',
  extend_video: 'Extended video',
  video_upscale: 'Video upscale',
};

export function taskLabel(taskType: string): string {
  return TASK_LABELS[taskType] ?? taskType.replace(/_/g, ' ');
}

export function providerLabel(provider: string): string {
  return (PROVIDER_LABELS as Record<string, string>)[provider] ?? provider;
}

export const STATUS_INFO: Record<JobStatus, { label: string; tone: Tone }> = {
  submitting: { label: 'Sending', tone: 'info' },
  queued: { label: 'Queued', tone: 'info' },
  running: { label: 'Running', tone: 'accent' },
  completed: { label: 'Done', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

export function isInFlight(job: JobView): boolean {
  return job.status === 'submitting' || job.status === 'queued' || job.status === 'running';
}

/** What an unfinished job is doing, in place of its pictures; null once it is finished. */
export function pendingWords(job: JobView): string | null {
  switch (job.status) {
    case 'submitting':
      return 'Sending…';
    case 'queued':
      return 'Queued…';
    case 'running':
      return 'Rendering…';
    default:
      return null;
  }
}

/** How much of the job is safe on disk; the same vocabulary as the library's archive filter. */
export type ArchiveState = 'none' | 'pending' | 'archived' | 'partial' | 'expired' | 'error';

export function archiveStateOf(job: JobView): ArchiveState {
  const outputs = job.outputs;
  if (outputs.length === 0) return 'none';
  if (outputs.some((o) => o.state === 'error')) return 'error';
  if (outputs.some((o) => o.state === 'remote' || o.state === 'downloading')) return 'pending';
  const archived = outputs.filter((o) => o.state === 'archived').length;
  if (archived === outputs.length) return 'archived';
  return archived === 0 ? 'expired' : 'partial';
}

export const ARCHIVE_INFO: Record<ArchiveState, { label: string; tone: Tone; hint: string }> = {
  none: { label: 'No files', tone: 'neutral', hint: 'This job has no files to keep.' },
  pending: { label: 'Downloading', tone: 'info', hint: 'GenVault is saving the files to your library.' },
  archived: { label: 'Archived', tone: 'success', hint: 'Every file is saved in your library.' },
  partial: {
    label: 'Partly archived',
    tone: 'warning',
    hint: 'Some files were saved; the rest left the CDN first.',
  },
  expired: { label: 'Expired', tone: 'danger', hint: 'The files left the CDN before GenVault saved them.' },
  error: { label: 'Download failed', tone: 'danger', hint: 'A download failed; GenVault will retry.' },
};

/** "Expires in N days" for a job whose files are on the CDN but not all safe yet; else null. */
export function expiryBadge(job: JobView, now: number): { label: string; tone: Tone } | null {
  const state = archiveStateOf(job);
  if (state === 'archived' || state === 'expired' || state === 'partial' || job.status === 'failed')
    return null;
  const days = daysUntil(job.cdnExpiresAt, now);
  if (days <= 0) return { label: 'Expiring now', tone: 'danger' };
  return { label: `Expires in ${pluralize(days, 'day')}`, tone: days <= 5 ? 'warning' : 'neutral' };
}

/** When Legnext stops accepting upscale/vary/animate for the job (ms), or null when it already has. */
export function followUpsUntil(job: JobView, now: number): number | null {
  if (job.status !== 'completed') return null;
  const end = Date.parse(job.actionsExpireAt);
  return end > now ? end : null;
}

/** Files shown on the card: the 4-up grid when there is one, else the first image or video. */
export function coverOutput(job: JobView): OutputView | undefined {
  return (
    job.outputs.find((o) => o.kind === 'grid') ??
    job.outputs.find((o) => o.kind === 'image') ??
    job.outputs.find((o) => o.kind === 'video')
  );
}

export function imagesOf(job: JobView): OutputView[] {
  return job.outputs.filter((o) => o.kind === 'image');
}

export function videosOf(job: JobView): OutputView[] {
  return job.outputs.filter((o) => o.kind === 'video');
}

/** The outputs a person looks at: images and videos, else the grid alone. */
export function viewableOutputs(job: JobView): OutputView[] {
  const items = job.outputs.filter((o) => o.kind !== 'grid');
  return items.length > 0 ? items : job.outputs.filter((o) => o.kind === 'grid');
}

/** The prompt without its leading image URLs and its `--flags`, for titles and cards. */
export function promptText(job: JobView): string {
  const text = (job.prompt ?? '')
    .replace(/^(?:<?https?:\/\/\S+>?\s+)+/i, '')
    .replace(/(?:^|\s)(?:--|\u2014)[a-z][\s\S]*$/i, '')
    .trim();
  if (text) return text;
  if (job.text?.prompts[0]) return job.text.prompts[0];
  return job.prompt ? job.prompt.trim() : taskLabel(job.taskType);
}

/** Width / height of an output for an aspect box, from its size or the job's `--ar`, else square. */
export function aspectOf(output: OutputView | undefined, job: JobView): string {
  if (output?.width && output.height) return `${output.width} / ${output.height}`;
  const ar = typeof job.params.aspect === 'string' ? /^(\d+):(\d+)$/.exec(job.params.aspect) : null;
  return ar ? `${ar[1]} / ${ar[2]}` : '1 / 1';
}

/** Follow-ups that start from one of the parent's videos rather than its images. */
const FROM_VIDEO = new Set(['extend_video', 'video_upscale']);

export function jobTitle(job: JobView): string {
  if (!job.parent || job.parent.index === null) return taskLabel(job.taskType);
  const noun = FROM_VIDEO.has(job.taskType) ? 'video' : 'image';
  return `${taskLabel(job.taskType)} of ${noun} ${job.parent.index + 1}`;
}

/** A failure in plain words, with the API's code kept out of the sentence. */
export function statusSentence(job: JobView): string {
  switch (job.status) {
    case 'submitting':
      return 'Sending the job to Midjourney.';
    case 'queued':
      return 'Waiting for Midjourney to start it.';
    case 'running':
      return 'Midjourney is working on it.';
    case 'completed':
      return 'Finished.';
    case 'failed':
      return job.error?.message ? job.error.message : 'The job failed without a reason.';
  }
}

export function progressOf(job: JobView): number | null {
  const value = (job as JobView & { progress?: unknown }).progress;
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : null;
}
