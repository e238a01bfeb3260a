/** What the panel host gives each follow-up panel, and the helpers every panel uses to send. */
import { useState } from 'react';
import type { FollowUpStateView, LineageView } from '../../../../shared/contract';
import type { JobView, OutputView } from '../../../../shared/domain';
import type { Size } from '../../../../shared/geometry';
import { fileSrc, thumbSrc } from '../../lib/media';
import { sendPanel } from '../../store/followups';
import type { Alternative, Availability } from './parts';

export interface PanelProps {
  job: JobView;
  /** The output the panel acts on. */
  output: OutputView;
  /** This panel's op's states for that output, from `jobs.followUps` (several for Vary, Animate, Topaz). */
  states: FollowUpStateView[];
  availability: Availability;
  /** A reason nothing can be sent right now (offline, paused, no key). */
  blocker: string | null;
  /** What to do instead when the panel is not available. */
  alternatives: Alternative[];
  lineage: LineageView | null;
}

/** The picture a panel draws on: the saved file (works offline), else its thumbnail. */
export function outputSrc(output: OutputView): string | null {
  return fileSrc(output) ?? thumbSrc(output);
}

/** The output's pixel size from the library, or as measured once its file has loaded. */
export function useOutputSize(output: OutputView): [Size | null, (size: Size) => void] {
  const [measured, setMeasured] = useState<{ key: string; size: Size } | null>(null);
  const key = `${output.kind}:${output.index}:${output.path ?? ''}`;
  const measure = (size: Size): void => {
    if (size.width > 0 && size.height > 0) setMeasured({ key, size });
  };
  if (output.width && output.height) return [{ width: output.width, height: output.height }, measure];
  return [measured?.key === key ? measured.size : null, measure];
}

/** The cost of the first state that matches, else of the first state. */
export function costOf(
  states: readonly FollowUpStateView[],
  match?: (s: FollowUpStateView) => boolean,
): number | null {
  return (match ? states.find(match) : undefined)?.cost ?? states[0]?.cost ?? null;
}

/** Sends a job follow-up (`jobs.followUp`) on the panel's output. */
export function sendFollowUp(
  props: Pick<PanelProps, 'job' | 'output'>,
  op: string,
  label: string,
  options: Record<string, unknown>,
): void {
  void sendPanel(props.job.id, label, {
    call: 'jobs.followUp',
    request: { op, id: props.job.id, index: props.output.index, options },
  });
}

/** Sends an image operation (`jobs.onImage`) on the panel's output. */
export function sendOnImage(
  props: Pick<PanelProps, 'job' | 'output'>,
  op: 'upload-paint' | 'retexture' | 'remove-background' | 'enhance-upscale',
  label: string,
  options: Record<string, unknown>,
): void {
  void sendPanel(props.job.id, label, {
    call: 'jobs.onImage',
    request: { op, image: { kind: 'output', jobId: props.job.id, index: props.output.index }, options },
  });
}
