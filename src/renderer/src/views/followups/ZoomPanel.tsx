/** Zoom out (outpaint): the canvas grows 1.1–2.0× every way around the centred image. */
import { OUTPAINT_SCALE, outpaintFrame, outpaintScaleProblem } from '../../../../shared/geometry';
import { NewCanvasPreview, previewScale } from './FramePreview';
import { NewAreaFields, useNewArea } from './NewArea';
import { PanelFrame, useValidation } from './parts';
import { outputSrc, sendFollowUp, useOutputSize, type PanelProps } from './types';

const PRESETS = [1.5, 2] as const;

export function ZoomPanel(props: PanelProps) {
  const area = useNewArea(outpaintScaleProblem);
  const { scale, setScale } = area;
  const [size, measure] = useOutputSize(props.output);
  const src = outputSrc(props.output);

  const validation = useValidation(area.problems, ['scale', 'remixPrompt'], () =>
    sendFollowUp(props, 'outpaint', `Zoom out ${scale}×`, { scale, remixPrompt: area.remixPrompt }),
  );
  const shownScale = previewScale(scale, OUTPAINT_SCALE);
  const frame = size ? outpaintFrame(size, shownScale) : null;

  return (
    <PanelFrame
      title="Zoom out"
      icon="zoomOut"
      description="Pull the camera back: the image stays in the middle and Midjourney paints around it."
      panel={props}
      submitLabel={`Zoom out ${shownScale}×`}
      validation={validation}
    >
      <div className="zoom-layout">
        <div className="zoom-preview">
          <NewCanvasPreview
            src={src}
            size={size}
            frame={frame}
            caption={`after zooming out ${shownScale}×; the striped area is new.`}
            onMeasure={measure}
          />
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
          <NewAreaFields
            area={area}
            range={OUTPAINT_SCALE}
            scaleHint="2× leaves the image a quarter of the new picture."
            validation={validation}
          />
        </div>
      </div>
    </PanelFrame>
  );
}
