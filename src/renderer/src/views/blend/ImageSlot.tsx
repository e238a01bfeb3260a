/**
 * One image slot of Blend or Describe. It takes an image every way one can arrive: a file dropped from
 * the OS, a library image dragged from the grid, a dropped image link, "Choose file…", or a paste (the
 * view routes pastes to the slot with focus, else the first empty one). It shows what it holds: the
 * library image or the imported file itself; a link as its address (the page may not load outside
 * pictures).
 */
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { mediaUrl } from '../../../../shared/media';
import { transport } from '../../api';
import { HiddenFileInput, IMPORTABLE_IMAGE_TYPES } from '../../components/FileInput';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Spinner } from '../../components/ui';
import { promptText, taskLabel } from '../../lib/jobs';
import type { Slot, SlotImage } from '../../store/imageSlots';
import { fetchJob, getJob, useJob } from '../../store/jobs';
import { mayHoldImage, readDrop, type DroppedImage } from '../library/dnd';
import '../../styles/blend.css';

/** Drag data of a slot being moved to another position within its panel. */
export const SLOT_DRAG_TYPE = 'application/x-genvault-slot';

function OutputPicture({ image }: { image: Extract<SlotImage, { kind: 'output' }> }) {
  const job = useJob(image.jobId);
  useEffect(() => {
    if (!getJob(image.jobId)) void fetchJob(image.jobId).catch(() => undefined);
  }, [image.jobId]);
  const output = job?.outputs.find((o) => o.kind === 'image' && o.index === image.index);
  return (
    <>
      <div className="slot-picture">
        <Media
          output={output}
          size="thumb"
          fit="contain"
          alt={job ? `Image ${image.index + 1}: ${promptText(job)}` : ''}
        />
      </div>
      <p className="slot-caption" title={job ? promptText(job) : undefined}>
        <Icon name="library" size={13} />
        <span>
          {job ? taskLabel(job.taskType) : 'Library'}, image {image.index + 1}
        </span>
      </p>
    </>
  );
}

function SlotPicture({ image }: { image: SlotImage }) {
  switch (image.kind) {
    case 'output':
      return <OutputPicture image={image} />;
    case 'file':
      return (
        <>
          <div className="slot-picture">
            <img src={mediaUrl(image.file.path, transport())} alt={image.file.name} draggable={false} />
          </div>
          <p className="slot-caption">
            <Icon name="image" size={13} />
            <span title={image.file.name}>{image.file.name}</span>
            {image.file.width && image.file.height ? (
              <span className="muted">
                {image.file.width}×{image.file.height}
              </span>
            ) : null}
          </p>
        </>
      );
    case 'url': {
      let host = image.url;
      try {
        host = new URL(image.url).host;
      } catch {
        // Kept as typed.
      }
      return (
        <>
          <div className="slot-picture slot-link">
            <Icon name="link" size={26} />
            <span>{host}</span>
          </div>
          <p className="slot-caption">
            <Icon name="link" size={13} />
            <span title={image.url}>{image.url}</span>
          </p>
        </>
      );
    }
  }
}

export function ImageSlot({
  slot,
  label,
  hint = 'Drop an image here, paste one, or',
  onImages,
  onClear,
  clearLabel = 'Remove',
  onReorder,
  tools,
}: {
  slot: Slot;
  /** "Image 1": names the slot for screen readers and in its corner. */
  label: string;
  hint?: string;
  onImages(images: DroppedImage[]): void;
  onClear(): void;
  clearLabel?: string;
  /** Given when slots can be reordered by dragging: another slot with this id was dropped here. */
  onReorder?: (draggedSlotId: number) => void;
  /** Extra controls under the slot (move buttons). */
  tools?: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const error = dropError ?? slot.error;
  const errorId = `slot-error-${slot.id}`;

  useEffect(() => setDropError(null), [slot.image]);

  const accepts = (e: DragEvent<HTMLElement>) =>
    (onReorder !== undefined && e.dataTransfer.types.includes(SLOT_DRAG_TYPE)) ||
    mayHoldImage(e.dataTransfer);

  const onDragOver = (e: DragEvent<HTMLElement>) => {
    if (!accepts(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes(SLOT_DRAG_TYPE) ? 'move' : 'copy';
    if (!over) setOver(true);
  };

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const moved = e.dataTransfer.getData(SLOT_DRAG_TYPE);
    if (moved && onReorder) {
      const id = Number(moved);
      if (Number.isInteger(id) && id !== slot.id) onReorder(id);
      return;
    }
    const images = readDrop(e.dataTransfer);
    if (images.length === 0) {
      setDropError(
        'That is not an image GenVault can use: drop an image file, a library image or an image link.',
      );
      return;
    }
    setDropError(null);
    onImages(images);
  };

  return (
    <div className="slot-wrap">
      <div
        className={`slot${over ? ' over' : ''}${slot.image ? ' filled' : ''}${error ? ' invalid' : ''}`}
        data-slot-id={slot.id}
        role="group"
        aria-label={label}
        aria-describedby={error ? errorId : undefined}
        tabIndex={0}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={onDrop}
      >
        <span className="slot-number" aria-hidden="true">
          {label.replace(/^\D+/, '')}
        </span>
        <span className="slot-corner">
          {onReorder && slot.image ? (
            // Reordering by pointer; the move buttons under the slot do it by keyboard.
            <span
              className="slot-grip"
              draggable
              aria-hidden="true"
              title="Drag to change the order"
              onDragStart={(e) => {
                e.stopPropagation();
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData(SLOT_DRAG_TYPE, String(slot.id));
              }}
            >
              <Icon name="grip" size={16} />
            </span>
          ) : null}
          {slot.image || slot.error || clearLabel === 'Remove' ? (
            <button
              type="button"
              className="slot-remove"
              aria-label={`${clearLabel} ${label.toLowerCase()}`}
              title={clearLabel}
              disabled={slot.loading}
              onClick={onClear}
            >
              <Icon name="close" size={14} />
            </button>
          ) : null}
        </span>
        {slot.loading ? (
          <div className="slot-empty">
            <Spinner label="Adding the image" />
            <span>Adding the image…</span>
          </div>
        ) : slot.image ? (
          <SlotPicture image={slot.image} />
        ) : (
          <div className="slot-empty">
            <Icon name="image" size={28} />
            <span>{hint}</span>
            <button type="button" className="btn btn-sm" onClick={() => fileRef.current?.click()}>
              Choose file…
            </button>
          </div>
        )}
        <HiddenFileInput
          inputRef={fileRef}
          accept={IMPORTABLE_IMAGE_TYPES}
          label={`Choose a file for ${label.toLowerCase()}`}
          onFiles={([file]) => onImages([{ kind: 'file', file: file! }])}
        />
      </div>
      {error ? (
        <p id={errorId} className="field-error slot-error" role="alert">
          {error}
        </p>
      ) : null}
      {tools || slot.image ? (
        <div className="slot-tools">
          {tools}
          {slot.image ? (
            <button
              type="button"
              className="btn btn-sm slot-replace"
              aria-label={`Replace ${label.toLowerCase()} with a file`}
              onClick={() => fileRef.current?.click()}
            >
              Replace…
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
