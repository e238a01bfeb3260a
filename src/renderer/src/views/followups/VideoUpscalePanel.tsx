/** Video upscale: this video at a higher resolution. */
import { PanelFrame, useValidation } from './parts';
import { sendFollowUp, type PanelProps } from './types';

export function VideoUpscalePanel(props: PanelProps) {
  const validation = useValidation([], [], () => sendFollowUp(props, 'video-upscale', 'Upscale video', {}));
  return (
    <PanelFrame
      title="Upscale video"
      icon="upscale"
      description="Render this video again at a higher resolution."
      panel={props}
      submitLabel={`Upscale video ${props.output.index + 1}`}
      validation={validation}
    >
      <p className="muted small">The upscaled video appears as a follow-up of this one.</p>
    </PanelFrame>
  );
}
