/** Zoom out (outpaint): the canvas grows 1.1–2.0× every way around the centred image. */
import { useState } from 'react';
import { OUTPAINT_SCALE, outpaintFrame, outpaintScaleProblem } from '../../../../shared/geometry';
import { FramePreview } from './FramePreview';
import {
  PanelFrame,
  PromptField,
  ScaleField,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { costOf, outputSrc, sendFollowUp, useOutputSize, type PanelProps } from './types';

const PRESETS = [1.5, 2] as const;

export function ZoomPanel(props: PanelProps) {
  const [scale, setScale] = useState(1.5);
  const [prompt, setPrompt] = useState('');
  const [size, measure] = useOutputSize(props.output);
  const check = usePromptCheck(prompt, 'image');
  const src = outputSrc(props.output);

  const problems: Problem[] = [];
  const scaleIssue = outpaintScaleProblem(scale);
  if (scaleIssue) problems.push({ field: 'scale', message: scaleIssue });
  const issue = promptProblem('remixPrompt', prompt, check);
  if (issue) problems.push(issue);
  const validation = useValidation(problems, ['scale', 'remixPrompt'], () =>
    sendFollowUp(props, 'outpaint', `Zoom out ${scale}×`, { scale, remixPrompt: prompt.trim() || undefined }),
  );
  const shownScale = scaleIssue
    ? Math.min(OUTPAINT_SCALE.max, Math.max(OUTPAINT_SCALE.min, scale || OUTPAINT_SCALE.min))
    : scale;
  const frame = size ? outpaintFrame(size, shownScale) : null;

  return (
    <PanelFrame
      title="Zoom out"
      icon="zoomOut"
      description="Pull the camera back: the image stays in the middle and Midjourney paints around it."
      availability={props.availability}
      blocker={props.blocker}
      alternatives={props.alternatives}
      cost={costOf(props.states)}
      submitLabel={`Zoom out ${shownScale}×`}
      validation={validation}
    >
      <div className="zoom-layout">
        <div className="zoom-preview">
          {frame ? (
            <FramePreview
              src={src}
              frame={frame}
              caption={`after zooming out ${shownScale}×; the striped area is new.`}
            />
          ) : (
            <p className="muted small">Loading the image size…</p>
          )}
          {src && !size ? (
            <img
              className="measure"
              src={src}
              alt=""
              onLoad={(e) =>
                measure({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
              }
            />
          ) : null}
        </div>
        <div className="zoom-controls">
          <div className="button-row" role="group" aria-label="Common zooms">
            {PRESETS.map((p) => (
              <button
                key={p}
                type="button"
                className="btn btn-sm"
                aria-pressed={scale === p}
                onClick={() => setScale(p)}
              >
                {p}×
              </button>
            ))}
          </div>
          <ScaleField
            field="scale"
            label="Scale"
            value={scale}
            min={OUTPAINT_SCALE.min}
            max={OUTPAINT_SCALE.max}
            step={0.05}
            onChange={setScale}
            error={validation.errorFor('scale')}
            hint={`${OUTPAINT_SCALE.min}–${OUTPAINT_SCALE.max.toFixed(1)}: 2× leaves the image a quarter of the new picture.`}
          />
          <PromptField
            field="remixPrompt"
            label="Prompt for the new area"
            value={prompt}
            onChange={setPrompt}
            error={validation.errorFor('remixPrompt')}
            check={check}
            placeholder="Leave empty to continue the original prompt"
          />
        </div>
      </div>
    </PanelFrame>
  );
}
