/**
 * A slot for images (a last frame, references): drop a file from the computer (stored in the library
 * with `files.import`), a library image dragged from the grid or a job (used as itself, not a copy),
 * or an image link; or choose a file with the keyboard. Drops are read by the library's `readDrop`,
 * so the desktop app's native file drag of an output is recognised as that output too.
 */
import { useId, useRef, useState, type DragEvent } from 'react';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/ui';
import { shortId } from '../../lib/format';
import { thumbSrc } from '../../lib/media';
import { fetchJob, getJob } from '../../store/jobs';
import { ACCEPTED_IMAGE_TYPES, importImageFile, type PickedImage } from '../../store/providers';
import { mayHoldImage, readDrop, type DroppedImage } from '../library/dnd';
import '../../styles/providers.css';

function isAccepted(file: File): boolean {
  return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type);
}

async function pickOutput(jobId: string, index: number): Promise<PickedImage> {
  const job = getJob(jobId) ?? (await fetchJob(jobId));
  const output = job.outputs.find((o) => o.kind === 'image' && o.index === index);
  if (!output) throw new Error(`That job has no image ${index + 1} to use.`);
  return {
    source: { kind: 'output', jobId, index },
    label: `Image ${index + 1} of job ${shortId(jobId)}`,
    preview: thumbSrc(output),
  };
}

async function pickFile(file: File): Promise<PickedImage> {
  if (!isAccepted(file)) throw new Error(`${file.name} is not a PNG, JPEG or WebP image.`);
  const imported = await importImageFile(file);
  return {
    source: { kind: 'file', ref: imported.ref },
    label: imported.name,
    preview: URL.createObjectURL(file),
  };
}

function pickUrl(url: string): PickedImage {
  const { hostname, pathname } = new URL(url);
  // The page may only show images from the library, so a link is named rather than previewed.
  return { source: { kind: 'url', url }, label: `${hostname}${pathname}`, preview: null };
}

function pick(dropped: DroppedImage): () => Promise<PickedImage> {
  switch (dropped.kind) {
    case 'output':
      return () => pickOutput(dropped.jobId, dropped.index);
    case 'file':
      return () => pickFile(dropped.file);
    case 'url':
      return async () => pickUrl(dropped.url);
  }
}

export function PickedThumb({
  image,
  removeLabel,
  onRemove,
}: {
  image: PickedImage;
  removeLabel: string;
  onRemove(): void;
}) {
  return (
    <div className="picked">
      {image.preview ? (
        <img className="picked-img" src={image.preview} alt="" draggable={false} />
      ) : (
        <span className="picked-img picked-none" aria-hidden="true">
          <Icon name="image" size={18} />
        </span>
      )}
      <span className="picked-label" title={image.label}>
        {image.label}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-icon btn-sm"
        aria-label={removeLabel}
        onClick={onRemove}
      >
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

/**
 * An empty slot. `room` is how many images it may still take from one drop (reference images take
 * several); each is reported through `onPick` as soon as it is ready.
 */
export function ImageDrop({
  label,
  hint,
  room = 1,
  onPick,
}: {
  label: string;
  hint: string;
  room?: number;
  onPick(image: PickedImage): void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const take = async (work: Array<() => Promise<PickedImage>>) => {
    setBusy(true);
    setError(null);
    try {
      for (const next of work.slice(0, room)) onPick(await next());
      if (work.length > room) setError(`Only ${room} more ${room === 1 ? 'image fits' : 'images fit'} here.`);
    } catch (err) {
      setError(failureMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (busy) return;
    const dropped = readDrop(e.dataTransfer);
    if (dropped.length === 0) {
      setError('Drop an image file, an image from your library, or an image link.');
      return;
    }
    void take(dropped.map(pick));
  };

  return (
    <div className="image-drop-wrap">
      <div
        className={`image-drop${over ? ' over' : ''}`}
        role="group"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        aria-busy={busy}
        onDragEnter={(e) => {
          if (mayHoldImage(e.dataTransfer)) setOver(true);
        }}
        onDragOver={(e) => {
          if (!mayHoldImage(e.dataTransfer)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={onDrop}
      >
        {busy ? <Spinner label="Adding the image" /> : <Icon name="image" size={20} />}
        <span className="image-drop-text">
          <strong id={`${id}-label`}>{label}</strong>
          <span id={`${id}-hint`} className="muted small">
            {hint}
          </span>
        </span>
        <button type="button" className="btn btn-sm" disabled={busy} onClick={() => input.current?.click()}>
          Choose file…
        </button>
        <input
          ref={input}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          accept={ACCEPTED_IMAGE_TYPES.join(',')}
          multiple={room > 1}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) void take(files.map((file) => () => pickFile(file)));
          }}
        />
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
