/**
 * Paint on a canvas (upload-paint): like Edit, but from the image's URL, so it works on any image
 * GenVault can still reach, after the 3-day window too. Regions to repaint are required.
 */
import { CanvasPanel } from './CanvasPanel';
import { sendOnImage, type PanelProps } from './types';

export function PaintPanel(props: PanelProps) {
  return (
    <CanvasPanel
      props={props}
      title="Paint on a canvas"
      icon="brush"
      description="Place the image on a canvas and mark the regions to repaint; works from the image itself, so the 3-day window does not apply."
      maskRequired
      submitLabel="Paint"
      send={(options) => sendOnImage(props, 'upload-paint', 'Paint on a canvas', options)}
    />
  );
}
