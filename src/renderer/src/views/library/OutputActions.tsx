/**
 * What can be done with one output outside the app: drag it (as a file to the desktop or another app,
 * or onto Blend and Describe), show it in the file manager (desktop app), copy the image, export it.
 * Self-contained, for any view that shows an output (the job detail mounts it under each output).
 */
import type { JobView, OutputView } from '../../../../shared/domain';
import { Icon } from '../../components/Icon';
import { copyOutputImage, requestExport, revealOutput, useOutputs } from '../../store/outputs';
import { useSettings } from '../../store/settings';
import { beginOutputDrag, isDraggable } from './dnd';

export function OutputActions({ job, output }: { job: JobView; output: OutputView }) {
  const canReveal = useSettings((s) => s.library?.canReveal === true);
  const exporting = useOutputs((s) => s.busy);
  const saved = output.state === 'archived';
  const noun = output.kind === 'video' ? 'video' : 'image';
  const notSaved = saved ? undefined : `This ${noun} is not saved in the library yet.`;
  return (
    <div
      className="output-actions"
      role="group"
      aria-label={`${noun === 'video' ? 'Video' : 'Image'} ${output.index + 1} file`}
    >
      {isDraggable(output) ? (
        // Dragging is a pointer gesture; the buttons beside it do the same for keyboards.
        <span
          className="btn btn-sm btn-ghost output-drag"
          draggable
          aria-hidden="true"
          title={`Drag the ${noun} to your desktop, another app, or onto Blend or Describe`}
          onDragStart={(e) => beginOutputDrag(e, job, output)}
        >
          <Icon name="grip" size={14} /> Drag
        </span>
      ) : null}
      {canReveal ? (
        <button
          type="button"
          className="btn btn-sm"
          disabled={!saved}
          title={notSaved ?? 'Show the file in your file manager'}
          onClick={() => void revealOutput(job, output)}
        >
          <Icon name="folder" size={14} /> Reveal
        </button>
      ) : null}
      {output.kind !== 'video' ? (
        <button
          type="button"
          className="btn btn-sm"
          disabled={!saved}
          title={notSaved ?? 'Copy the image to the clipboard'}
          onClick={() => void copyOutputImage(job, output)}
        >
          <Icon name="copy" size={14} /> Copy image
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-sm"
        disabled={!saved || exporting}
        title={notSaved ?? `Export the ${noun} to a folder`}
        onClick={() =>
          void requestExport([{ id: job.id, kind: output.kind, index: output.index }], `this ${noun}`)
        }
      >
        <Icon name="export" size={14} /> Export…
      </button>
    </div>
  );
}
