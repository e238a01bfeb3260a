/**
 * Pan: the canvas grows in one direction by 1.1–3.0× and Midjourney paints the new strip. The arrows
 * sit around a live preview of the new canvas, and arrow keys pick the direction they point to.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import {
  PAN_DIRECTIONS,
  PAN_SCALE,
  panFrame,
  panScaleProblem,
  type PanDirection,
} from '../../../../shared/geometry';
import { Icon, type IconName } from '../../components/Icon';
import { FramePreview } from './FramePreview';
import {
  Field,
  labelId,
  PanelFrame,
  PromptField,
  ScaleField,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { costOf, outputSrc, sendFollowUp, useOutputSize, type PanelProps } from './types';

const ARROWS: Record<PanDirection, { icon: IconName; key: string; label: string }> = {
  up: { icon: 'arrowUp', key: 'ArrowUp', label: 'Up' },
  left: { icon: 'arrowLeft', key: 'ArrowLeft', label: 'Left' },
  right: { icon: 'arrowRight', key: 'ArrowRight', label: 'Right' },
  down: { icon: 'arrowDown', key: 'ArrowDown', label: 'Down' },
};

export function PanPanel(props: PanelProps) {
  const [direction, setDirection] = useState<PanDirection>('right');
  const [scale, setScale] = useState(1.5);
  const [prompt, setPrompt] = useState('');
  const [size, measure] = useOutputSize(props.output);
  const check = usePromptCheck(prompt, 'image');
  const buttons = useRef<Partial<Record<PanDirection, HTMLButtonElement | null>>>({});
  const src = outputSrc(props.output);

  const problems: Problem[] = [];
  const scaleIssue = panScaleProblem(scale);
  if (scaleIssue) problems.push({ field: 'scale', message: scaleIssue });
  const issue = promptProblem('remixPrompt', prompt, check);
  if (issue) problems.push(issue);
  const validation = useValidation(problems, ['direction', 'scale', 'remixPrompt'], () =>
    sendFollowUp(props, 'pan', `Pan ${direction}`, {
      direction,
      scale,
      remixPrompt: prompt.trim() || undefined,
    }),
  );

  const shownScale = scaleIssue
    ? Math.min(PAN_SCALE.max, Math.max(PAN_SCALE.min, scale || PAN_SCALE.min))
    : scale;
  const frame = size ? panFrame(size, direction, shownScale) : null;

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const picked = PAN_DIRECTIONS.find((d) => ARROWS[d].key === e.key);
    if (!picked) return;
    e.preventDefault();
    setDirection(picked);
    buttons.current[picked]?.focus();
  };

  const arrow = (d: PanDirection) => (
    <button
      key={d}
      ref={(el) => {
        buttons.current[d] = el;
      }}
      type="button"
      role="radio"
      aria-checked={direction === d}
      tabIndex={direction === d ? 0 : -1}
      className={`pan-arrow pan-${d}`}
      onClick={() => setDirection(d)}
    >
      <Icon name={ARROWS[d].icon} size={18} />
      <span>{ARROWS[d].label}</span>
    </button>
  );

  return (
    <PanelFrame
      title="Pan"
      icon="pan"
      description="Extend the picture in one direction; the image keeps its size and Midjourney paints the new area."
      availability={props.availability}
      blocker={props.blocker}
      alternatives={props.alternatives}
      cost={costOf(props.states)}
      submitLabel={`Pan ${direction}`}
      validation={validation}
    >
      <Field field="direction" label="Direction" error={validation.errorFor('direction')} labelFor={false}>
        <div
          className="pan-picker"
          role="radiogroup"
          aria-labelledby={labelId('direction')}
          onKeyDown={onKey}
        >
          {arrow('up')}
          {arrow('left')}
          <div className="pan-preview">
            {frame ? (
              <FramePreview
                src={src}
                frame={frame}
                caption={`after panning ${direction} by ${shownScale}×; the striped area is new.`}
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
          {arrow('right')}
          {arrow('down')}
        </div>
      </Field>
      <ScaleField
        field="scale"
        label="Scale"
        value={scale}
        min={PAN_SCALE.min}
        max={PAN_SCALE.max}
        step={0.05}
        onChange={setScale}
        error={validation.errorFor('scale')}
        hint={`${PAN_SCALE.min}–${PAN_SCALE.max.toFixed(1)}: how much longer the picture gets in that direction.`}
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
    </PanelFrame>
  );
}
