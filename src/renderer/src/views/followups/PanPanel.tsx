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
import { NewCanvasPreview, previewScale } from './FramePreview';
import { NewAreaFields, useNewArea } from './NewArea';
import { Field, labelId, PanelFrame, useValidation } from './parts';
import { outputSrc, sendFollowUp, useOutputSize, type PanelProps } from './types';

const ARROWS: Record<PanDirection, { icon: IconName; key: string; label: string }> = {
  up: { icon: 'arrowUp', key: 'ArrowUp', label: 'Up' },
  left: { icon: 'arrowLeft', key: 'ArrowLeft', label: 'Left' },
  right: { icon: 'arrowRight', key: 'ArrowRight', label: 'Right' },
  down: { icon: 'arrowDown', key: 'ArrowDown', label: 'Down' },
};

export function PanPanel(props: PanelProps) {
  const [direction, setDirection] = useState<PanDirection>('right');
  const area = useNewArea(panScaleProblem);
  const [size, measure] = useOutputSize(props.output);
  const buttons = useRef<Partial<Record<PanDirection, HTMLButtonElement | null>>>({});
  const src = outputSrc(props.output);

  const validation = useValidation(area.problems, ['direction', 'scale', 'remixPrompt'], () =>
    sendFollowUp(props, 'pan', `Pan ${direction}`, {
      direction,
      scale: area.scale,
      remixPrompt: area.remixPrompt,
    }),
  );

  const shownScale = previewScale(area.scale, PAN_SCALE);
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
      panel={props}
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
            <NewCanvasPreview
              src={src}
              size={size}
              frame={frame}
              caption={`after panning ${direction} by ${shownScale}×; the striped area is new.`}
              onMeasure={measure}
            />
          </div>
          {arrow('right')}
          {arrow('down')}
        </div>
      </Field>
      <NewAreaFields
        area={area}
        range={PAN_SCALE}
        scaleHint="how much longer the picture gets in that direction."
        validation={validation}
      />
    </PanelFrame>
  );
}
