/** Edit: resize the canvas, move and scale the image on it, optionally repaint regions, with a prompt. */
import { CanvasPanel } from './CanvasPanel';
import { sendFollowUp, type PanelProps } from './types';

export function EditPanel(props: PanelProps) {
  return (
    <CanvasPanel
      props={props}
      title="Edit"
      icon="crop"
      description="Change the canvas and where the image sits on it; Midjourney fills the empty canvas and any regions you mark, following the prompt."
      maskRequired={false}
      submitLabel={`Edit image ${props.output.index + 1}`}
      send={(options) => sendFollowUp(props, 'edit', 'Edit', options)}
    />
  );
}
