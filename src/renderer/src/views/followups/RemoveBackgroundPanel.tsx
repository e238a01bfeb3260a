/** Remove background: the subject cut out onto transparency, from the image's URL. */
import { PanelFrame, useValidation } from './parts';
import { outputSrc, sendOnImage, type PanelProps } from './types';

export function RemoveBackgroundPanel(props: PanelProps) {
  const validation = useValidation([], [], () =>
    sendOnImage(props, 'remove-background', 'Remove background', {}),
  );
  const src = outputSrc(props.output);
  return (
    <PanelFrame
      title="Remove background"
      icon="cutout"
      description="Cut the subject out onto a transparent background (PNG). Works from the image itself, so the 3-day window does not apply."
      panel={props}
      submitLabel="Remove background"
      validation={validation}
    >
      {src ? (
        <div className="fu-thumb checker">
          <img src={src} alt={`Image ${props.output.index + 1}, whose background will be removed`} />
        </div>
      ) : null}
    </PanelFrame>
  );
}
