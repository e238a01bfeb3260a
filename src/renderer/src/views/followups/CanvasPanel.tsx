/**
 * The shared body of Edit and Paint on a canvas: a canvas size (typed or from an aspect preset), the
 * image placed on it by dragging and resizing, what to repaint on the original image — drawn regions
 * (`mask`) or a mask image (`maskImage`), never both; optional for Edit, required for Paint — and a
 * prompt.
 */
import { useState } from 'react';
import {
  canvasAround,
  canvasProblem,
  fitImageInCanvas,
  keepOnCanvas,
  toCanvasPlacement,
  GeometryError,
  type Rect,
  type Size,
} from '../../../../shared/geometry';
import type { IconName } from '../../components/Icon';
import { CanvasEditor } from './CanvasEditor';
import { MeasureImage } from './FramePreview';
import { MASK_MODES, MaskArea, maskImageProblem, useMaskImage, type MaskMode } from './MaskImageField';
import { useMaskHistory } from './mask-history';
import { CANVAS_ASPECTS, MAX_CANVAS_SIDE } from './options';
import {
  Choice,
  Field,
  PanelFrame,
  PromptField,
  controlProps,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { maskOf } from './RegionPanel';
import { outputSrc, useOutputSize, type PanelProps } from './types';

interface Layout {
  canvas: Size;
  placement: Rect;
}

function validCanvas(canvas: Size): boolean {
  return canvasProblem(canvas) === null;
}

function sideProblem(field: 'canvas.width' | 'canvas.height', value: number): Problem | null {
  if (Number.isInteger(value) && value >= 1 && value <= MAX_CANVAS_SIDE) return null;
  return { field, message: `${field} must be a whole number of pixels from 1 to ${MAX_CANVAS_SIDE}.` };
}

export function CanvasPanel({
  props,
  title,
  icon,
  description,
  maskRequired,
  submitLabel,
  send,
}: {
  props: PanelProps;
  title: string;
  icon: IconName;
  description: string;
  maskRequired: boolean;
  submitLabel: string;
  send(options: Record<string, unknown>): void;
}) {
  const [size, measure] = useOutputSize(props.output);
  const [layout, setLayout] = useState<Layout | null>(null);
  const [useMask, setUseMask] = useState(maskRequired);
  const [maskMode, setMaskMode] = useState<MaskMode>('draw');
  const [prompt, setPrompt] = useState(props.job.prompt ?? '');
  const history = useMaskHistory();
  const maskImage = useMaskImage(size);
  const check = usePromptCheck(prompt, 'image');
  const src = outputSrc(props.output);

  // The editor starts like Midjourney's: the canvas is the image, the image fills it.
  const current: Layout | null =
    layout ??
    (size ? { canvas: size, placement: { x: 0, y: 0, width: size.width, height: size.height } } : null);

  const setCanvas = (canvas: Size) => {
    if (!current) return;
    const valid = canvasProblem(canvas) === null;
    setLayout({ canvas, placement: valid ? keepOnCanvas(current.placement, canvas) : current.placement });
  };

  const problems: Problem[] = [];
  let placement: ReturnType<typeof toCanvasPlacement> | null = null;
  if (current) {
    const sides = [
      sideProblem('canvas.width', current.canvas.width),
      sideProblem('canvas.height', current.canvas.height),
    ];
    problems.push(...sides.filter((p): p is Problem => p !== null));
    if (problems.length === 0) {
      try {
        placement = toCanvasPlacement(current.canvas, current.placement);
      } catch (err) {
        if (!(err instanceof GeometryError)) throw err;
        problems.push({ field: err.field, message: err.message });
      }
    }
  } else {
    problems.push({ field: 'canvas.width', message: 'canvas: the image is still loading.' });
  }
  const masked = useMask || maskRequired;
  const drawn = maskOf(history.regions, size);
  const maskProblem = maskMode === 'draw' ? drawn.problem : maskImageProblem(maskImage, true);
  if (masked && maskProblem) problems.push(maskProblem);
  if (prompt.trim() === '')
    problems.push({
      field: 'remixPrompt',
      message: 'remixPrompt is required: say what the edited image shows.',
    });
  const issue = promptProblem('remixPrompt', prompt, check);
  if (issue) problems.push(issue);

  const validation = useValidation(
    problems,
    ['canvas.width', 'canvas.height', 'imgPos', 'mask', 'maskImage', 'remixPrompt'],
    () =>
      send({
        ...placement,
        remixPrompt: prompt.trim(),
        ...(!masked
          ? {}
          : maskMode === 'draw'
            ? { mask: drawn.mask }
            : { maskImage: maskImage.picked?.source }),
      }),
  );
  const maskLabel = `Regions to repaint on image ${props.output.index + 1}`;

  return (
    <PanelFrame
      title={title}
      icon={icon}
      description={description}
      panel={props}
      submitLabel={submitLabel}
      validation={validation}
    >
      <div className="canvas-controls">
        {(['width', 'height'] as const).map((side) => {
          const field = `canvas.${side}` as const;
          const error = validation.errorFor(field);
          return (
            <Field key={side} field={field} label={`Canvas ${side} (px)`} error={error}>
              <input
                {...controlProps(field, error)}
                className="input input-sm fu-number"
                type="number"
                min={1}
                max={MAX_CANVAS_SIDE}
                step={1}
                value={current ? String(current.canvas[side]) : ''}
                onChange={(e) =>
                  current &&
                  setCanvas({
                    ...current.canvas,
                    [side]: e.target.value === '' ? Number.NaN : Number(e.target.value),
                  })
                }
              />
            </Field>
          );
        })}
        <div className="field fu-field">
          <span className="field-label" id="fu-canvas-shape">
            Canvas shape
          </span>
          <div className="button-row" role="group" aria-labelledby="fu-canvas-shape">
            {CANVAS_ASPECTS.map((a) => (
              <button
                key={a.label}
                type="button"
                className="btn btn-sm"
                disabled={!current}
                onClick={() => {
                  if (!current) return;
                  const canvas = canvasAround(current.placement, a.ratio);
                  setLayout({ canvas, placement: fitImageInCanvas(current.placement, canvas) });
                }}
              >
                {a.label}
              </button>
            ))}
            <button
              type="button"
              className="btn btn-sm"
              disabled={!size}
              onClick={() => size && setLayout({ canvas: size, placement: { x: 0, y: 0, ...size } })}
            >
              Reset
            </button>
          </div>
        </div>
      </div>
      <div className={`canvas-layout${masked ? ' with-mask' : ''}`}>
        <div>
          <h4>Placement on the canvas</h4>
          {current && validCanvas(current.canvas) ? (
            <CanvasEditor
              src={src}
              canvas={current.canvas}
              placement={current.placement}
              onChange={(p) => setLayout({ canvas: current.canvas, placement: p })}
              error={validation.errorFor('imgPos')}
            />
          ) : (
            <p className="muted small">
              {current ? 'Enter a canvas size to place the image.' : 'Loading the image size…'}
            </p>
          )}
          <MeasureImage src={src} size={size} onMeasure={measure} />
          {maskRequired ? null : (
            <label className="check canvas-mask-toggle">
              <input type="checkbox" checked={useMask} onChange={(e) => setUseMask(e.target.checked)} />
              Also repaint parts of the image
            </label>
          )}
        </div>
        {masked ? (
          <div className="canvas-mask">
            <h4 id="fu-mask-mode-heading">What to repaint</h4>
            <Choice<MaskMode>
              labelledBy="fu-mask-mode-heading"
              value={maskMode}
              onChange={setMaskMode}
              options={MASK_MODES}
            />
            <MaskArea
              mode={maskMode}
              history={history}
              maskImage={maskImage}
              src={src}
              image={size}
              index={props.output.index}
              drawLabel={maskLabel}
              errorFor={validation.errorFor}
              onMeasure={measure}
            />
          </div>
        ) : null}
      </div>
      <PromptField
        field="remixPrompt"
        label="Prompt"
        required
        value={prompt}
        onChange={setPrompt}
        error={validation.errorFor('remixPrompt')}
        check={check}
      />
    </PanelFrame>
  );
}
