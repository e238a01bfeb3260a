/**
 * The large preview (Space in the library): a modal over everything with the job's outputs one at a
 * time. Left/Right step through them, Enter opens the job, Escape or Space closes.
 */
import { useEffect, useRef } from 'react';
import { promptText, taskLabel, viewableOutputs } from '../lib/jobs';
import { useJob } from '../store/jobs';
import { closePreview, navigate, useUi } from '../store/ui';
import { Icon } from './Icon';
import { Media } from './Media';

export function Preview() {
  const preview = useUi((s) => s.preview);
  const job = useJob(preview?.jobId);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const outputs = job ? viewableOutputs(job) : [];
  const position = preview ? Math.min(preview.position, Math.max(0, outputs.length - 1)) : 0;
  const output = outputs[position];
  const open = preview !== null && job !== undefined;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      closeRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const step = (delta: number) => {
    if (!preview || outputs.length === 0) return;
    const nextPosition = (position + delta + outputs.length) % outputs.length;
    useUi.setState({ preview: { ...preview, position: nextPosition } });
  };

  return (
    <dialog
      ref={dialogRef}
      className="lightbox"
      aria-label="Preview"
      onClose={closePreview}
      onKeyDown={(e) => {
        if (e.key === 'ArrowRight') step(1);
        else if (e.key === 'ArrowLeft') step(-1);
        else if (e.key === ' ') closePreview();
        else if (e.key === 'Enter' && job) {
          closePreview();
          navigate({ view: 'job', id: job.id });
        } else return;
        e.preventDefault();
      }}
    >
      {job ? (
        <div className="lightbox-inner">
          <div className="lightbox-bar">
            <strong>{taskLabel(job.taskType)}</strong>
            {outputs.length > 1 ? (
              <span className="muted-on-dark">
                {position + 1} of {outputs.length}
              </span>
            ) : null}
            <span className="spacer" />
            {outputs.length > 1 ? (
              <>
                <button type="button" className="btn btn-icon" aria-label="Previous" onClick={() => step(-1)}>
                  <Icon name="chevronLeft" />
                </button>
                <button type="button" className="btn btn-icon" aria-label="Next" onClick={() => step(1)}>
                  <Icon name="chevronRight" />
                </button>
              </>
            ) : null}
            <button
              type="button"
              className="btn"
              onClick={() => {
                closePreview();
                navigate({ view: 'job', id: job.id });
              }}
            >
              Open details
            </button>
            <button
              ref={closeRef}
              type="button"
              className="btn btn-icon"
              aria-label="Close preview"
              onClick={closePreview}
            >
              <Icon name="close" />
            </button>
          </div>
          <div className="lightbox-stage">
            {output ? (
              <Media
                key={`${output.kind}-${output.index}`}
                output={output}
                size="full"
                fit="contain"
                alt={`${taskLabel(job.taskType)}, output ${output.index + 1}`}
              />
            ) : null}
          </div>
          <p className="lightbox-caption">{promptText(job)}</p>
        </div>
      ) : null}
    </dialog>
  );
}
