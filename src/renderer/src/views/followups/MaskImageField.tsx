/**
 * A black-and-white mask image instead of drawn regions (Vary region, Edit, Paint on a canvas): white
 * is repainted, black is kept. It arrives as a file dropped from the OS, a library image dragged from
 * the grid, a pasted picture or "Choose file…"; files are stored with `files.import`, and the core
 * checks the mask against the original image's size (`images.checkMask`) before anything is sent.
 * The field shows the image with the mask's white parts tinted, the mask's size and what share it
 * repaints; the panel sends `options.maskImage` (never together with `mask`).
 */
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { ImageSource, MaskImageView } from '../../../../shared/contract';
import type { Size } from '../../../../shared/geometry';
import { mediaUrl } from '../../../../shared/media';
import { call, failureMessage, transport } from '../../api';
import { HiddenFileInput } from '../../components/FileInput';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/ui';
import { shortId } from '../../lib/format';
import { fileSrc, thumbSrc } from '../../lib/media';
import { fetchJob, getJob } from '../../store/jobs';
import { ACCEPTED_IMAGE_TYPES, importImageFile } from '../../store/providers';
import { mayHoldImage, readDrop, readPaste, type DroppedImage } from '../library/dnd';
import { MaskEditor, StageImage } from './MaskEditor';
import type { MaskHistory } from './mask-history';
import { fieldId, type Problem } from './parts';

/** How a panel marks what to repaint: polygons drawn on the image, or a mask image. */
export type MaskMode = 'draw' | 'image';

export const MASK_MODES: ReadonlyArray<{ value: MaskMode; label: string; title: string }> = [
  { value: 'draw', label: 'Draw regions', title: 'Outline the areas to repaint on the image' },
  { value: 'image', label: 'Mask image', title: 'A black-and-white image: white is repainted' },
];

/** What Legnext is sent as a mask (the core refuses GIF masks). */
const MASK_TYPES = ACCEPTED_IMAGE_TYPES.join(',');

/** What `options.maskImage` takes: an imported file or a library image (never a link). */
export type MaskImageSource = Extract<ImageSource, { kind: 'file' | 'output' }>;

/** The chosen mask and what the field shows of it. */
export interface PickedMask {
  source: MaskImageSource;
  name: string;
  /** A URL the page can show: the imported copy, or the library image's file. */
  preview: string | null;
  width: number | null;
  height: number | null;
}

export interface MaskImageState {
  picked: PickedMask | null;
  /** The core's verdict on `picked` for the current image size; null until it answers. */
  view: MaskImageView | null;
  /** Why the check itself failed (the file is gone, the core refused the request). */
  failure: string | null;
  checking: boolean;
  importing: boolean;
  /** Why the last drop, paste or choice was not taken. */
  note: string | null;
  take(images: readonly DroppedImage[]): void;
  clear(): void;
}

async function pickedOutput(jobId: string, index: number): Promise<PickedMask> {
  const job = getJob(jobId) ?? (await fetchJob(jobId));
  const output = job.outputs.find((o) => o.kind === 'image' && o.index === index);
  if (!output) throw new Error(`That job has no image ${index + 1} to use as a mask.`);
  return {
    source: { kind: 'output', jobId, index },
    name: `Image ${index + 1} of job ${shortId(jobId)}`,
    preview: fileSrc(output) ?? thumbSrc(output),
    width: output.width,
    height: output.height,
  };
}

async function pickedFile(file: File): Promise<PickedMask> {
  const imported = await importImageFile(file);
  return {
    source: { kind: 'file', ref: imported.ref },
    name: imported.name,
    preview: mediaUrl(imported.path, transport()),
    width: imported.width,
    height: imported.height,
  };
}

/**
 * The mask image a panel holds and the core's check of it against `image` (the original image's
 * pixel size), asked again whenever either changes. A newer pick wins over one still importing.
 */
export function useMaskImage(image: Size | null): MaskImageState {
  const [picked, setPicked] = useState<PickedMask | null>(null);
  const [importing, setImporting] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [result, setResult] = useState<{
    for: string;
    view: MaskImageView | null;
    failure: string | null;
  } | null>(null);
  const generation = useRef(0);
  const source = picked?.source ?? null;
  const width = image?.width ?? null;
  const height = image?.height ?? null;
  const key = source && width && height ? `${JSON.stringify(source)}@${width}x${height}` : null;

  useEffect(() => {
    if (!source || !width || !height) return;
    const asked = `${JSON.stringify(source)}@${width}x${height}`;
    let live = true;
    call('images.checkMask', { mask: source, width, height }).then(
      (view) => live && setResult({ for: asked, view, failure: null }),
      (err: unknown) => live && setResult({ for: asked, view: null, failure: failureMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [source, width, height]);

  const current = result && result.for === key ? result : null;

  const take = (images: readonly DroppedImage[]): void => {
    const first = images[0];
    if (!first) {
      setNote('That is not an image: drop or paste a PNG, JPEG or WebP mask, or a library image.');
      return;
    }
    if (first.kind === 'url') {
      setNote('A mask must be a file or a library image; save the linked image and drop the file.');
      return;
    }
    const mine = ++generation.current;
    setNote(null);
    setImporting(true);
    const picking = first.kind === 'file' ? pickedFile(first.file) : pickedOutput(first.jobId, first.index);
    picking.then(
      (mask) => {
        if (mine !== generation.current) return;
        setPicked(mask);
        setImporting(false);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setNote(failureMessage(err));
        setImporting(false);
      },
    );
  };

  return {
    picked,
    view: current?.view ?? null,
    failure: current?.failure ?? null,
    checking: key !== null && current === null,
    importing,
    note,
    take,
    clear() {
      generation.current++;
      setPicked(null);
      setImporting(false);
      setNote(null);
    },
  };
}

/** What the person must fix after choosing a mask: the core's verdict, or a failed check. */
export function maskImageVerdict(state: MaskImageState): string | null {
  return state.failure ?? state.view?.problem ?? null;
}

/** The problem that stops the mask image being sent (field `mask`), or null when it may go. */
export function maskImageProblem(state: MaskImageState, required: boolean): Problem | null {
  const message = state.importing
    ? 'The mask image is still being added.'
    : !state.picked
      ? required
        ? 'Choose a mask image: white where Midjourney repaints, black where it keeps the image.'
        : null
      : state.checking
        ? 'The mask image is still being checked.'
        : maskImageVerdict(state);
  return message ? { field: 'mask', message } : null;
}

function percent(share: number): string {
  if (share > 0 && share < 0.005) return 'under 1 %';
  return `${Math.round(share * 100)} %`;
}

function summary(state: MaskImageState): string {
  if (state.importing) return 'Adding the mask…';
  if (!state.picked) return '';
  if (state.checking) return 'Checking…';
  const view = state.view;
  if (!view || view.problem) return '';
  const grey = view.greyShare >= 0.01 ? `; ${percent(view.greyShare)} is grey (soft edges)` : '';
  return `Repaints ${percent(view.whiteShare)} of the image${grey}.`;
}

export function MaskImageField({
  state,
  src,
  image,
  label,
  error,
  onMeasure,
}: {
  state: MaskImageState;
  /** The original image, shown under the mask. */
  src: string | null;
  /** The original image's pixel size; null until known (then `onMeasure` reports it). */
  image: Size | null;
  label: string;
  /** The panel's error for `mask` (after a send was tried, or from the core). */
  error: string | undefined;
  onMeasure(size: Size): void;
}) {
  const [over, setOver] = useState(false);
  const zoneRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const take = useRef(state.take);
  const hintId = useId();
  const svgMaskId = `mask-image-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const id = fieldId('mask');
  const shown = error ?? maskImageVerdict(state) ?? undefined;
  const { picked } = state;
  const size = image ?? { width: 1, height: 1 };
  const maskSize =
    picked?.width && picked.height
      ? `${picked.width}×${picked.height}`
      : state.view
        ? `${state.view.width}×${state.view.height}`
        : null;

  useEffect(() => {
    take.current = state.take;
  });

  // Ctrl/Cmd+V while the field (or one of its buttons) has focus; text fields keep their own pastes.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const zone = zoneRef.current;
      const focused = document.activeElement;
      if (!zone || !e.clipboardData || !focused || !zone.contains(focused)) return;
      if ((e.target as HTMLElement | null)?.closest('input, textarea, [contenteditable="true"]')) return;
      e.preventDefault();
      take.current(readPaste(e.clipboardData));
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);

  const onDragOver = (e: DragEvent<HTMLDivElement>) => {
    if (!mayHoldImage(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (!over) setOver(true);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    state.take(readDrop(e.dataTransfer));
  };

  const describedBy = [shown ? `${id}-error` : null, hintId].filter(Boolean).join(' ');

  return (
    <div className="mask-image">
      <div
        ref={zoneRef}
        id={id}
        className={`mask-image-zone${over ? ' over' : ''}${shown ? ' invalid' : ''}${picked ? ' filled' : ''}`}
        role="group"
        aria-label={label}
        aria-describedby={describedBy}
        tabIndex={0}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={onDrop}
      >
        {picked ? (
          <div
            className="mask-image-stage"
            style={{
              aspectRatio: `${size.width} / ${size.height}`,
              ['--ratio' as string]: size.width / size.height,
            }}
          >
            <StageImage src={src} image={image} onMeasure={onMeasure} />
            {picked.preview ? (
              // A luminance mask: white parts of the mask let the accent tint through, black ones hide it.
              <svg
                className="mask-image-overlay"
                viewBox={`0 0 ${size.width} ${size.height}`}
                preserveAspectRatio="none"
                role="img"
                aria-label={`${picked.name} over the image: the tinted parts are repainted`}
              >
                <defs>
                  <mask
                    id={svgMaskId}
                    maskUnits="userSpaceOnUse"
                    x={0}
                    y={0}
                    width={size.width}
                    height={size.height}
                  >
                    <image
                      href={picked.preview}
                      x={0}
                      y={0}
                      width={size.width}
                      height={size.height}
                      preserveAspectRatio="none"
                    />
                  </mask>
                </defs>
                <rect
                  className="mask-image-tint"
                  width={size.width}
                  height={size.height}
                  mask={`url(#${svgMaskId})`}
                />
              </svg>
            ) : null}
          </div>
        ) : (
          <div className="mask-image-empty">
            {state.importing ? <Spinner label="Adding the mask" /> : <Icon name="image" size={28} />}
            <span>Drop a black-and-white mask here, paste one, or</span>
            <button
              type="button"
              className="btn btn-sm"
              disabled={state.importing}
              onClick={() => fileRef.current?.click()}
            >
              Choose file…
            </button>
          </div>
        )}
        <HiddenFileInput
          inputRef={fileRef}
          accept={MASK_TYPES}
          label="Choose a mask image file"
          onFiles={([file]) => state.take([{ kind: 'file', file: file! }])}
        />
      </div>
      {picked ? (
        <div className="mask-image-info">
          {picked.preview ? (
            <img className="mask-image-thumb" src={picked.preview} alt="" draggable={false} />
          ) : null}
          <span className="mask-image-name" title={picked.name}>
            {picked.name}
            {maskSize ? <span className="muted"> · {maskSize}</span> : null}
          </span>
          <span className="spacer" />
          <button
            type="button"
            className="btn btn-sm"
            disabled={state.importing}
            onClick={() => fileRef.current?.click()}
          >
            Replace…
          </button>
          <button type="button" className="btn btn-sm" onClick={state.clear}>
            <Icon name="close" size={14} /> Remove
          </button>
        </div>
      ) : null}
      <p className="mask-image-summary" aria-live="polite">
        {state.checking || (state.importing && picked) ? <Spinner label="Checking the mask" /> : null}
        {summary(state)}
      </p>
      <p className="field-hint" id={hintId}>
        White is repainted, black is kept.
        {image ? ` Make it the image's size (${image.width}×${image.height}) or at least its shape.` : ''}
      </p>
      {shown ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {shown}
        </p>
      ) : null}
      {state.note ? (
        <p className="field-error" role="alert">
          {state.note}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The mask area of Vary region, Edit and Paint: the drawn-regions editor or the mask-image field, as
 * the panel's mode says; both report under the panel's `mask` field (a mask image also under `maskImage`).
 */
export function MaskArea({
  mode,
  history,
  maskImage,
  src,
  image,
  index,
  drawLabel,
  errorFor,
  onMeasure,
}: {
  mode: MaskMode;
  history: MaskHistory;
  maskImage: MaskImageState;
  src: string | null;
  image: Size | null;
  /** The output's index, for the mask image's label. */
  index: number;
  drawLabel: string;
  errorFor(field: string): string | undefined;
  onMeasure(size: Size): void;
}) {
  return mode === 'draw' ? (
    <MaskEditor
      src={src}
      image={image}
      history={history}
      field="mask"
      label={drawLabel}
      error={errorFor('mask')}
      onMeasure={onMeasure}
    />
  ) : (
    <MaskImageField
      state={maskImage}
      src={src}
      image={image}
      label={`Mask image for image ${index + 1}`}
      error={errorFor('mask') ?? errorFor('maskImage')}
      onMeasure={onMeasure}
    />
  );
}
