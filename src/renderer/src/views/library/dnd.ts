/**
 * Drag and drop of images, in and out of the app.
 *
 * Out: dragging an output from the grid (or a detail view) carries it three ways at once:
 *  - `application/x-genvault-output` = JSON `{ jobId, index }` for the app's own drop zones (Blend,
 *    Describe, "Animate with…"), which then use the library image itself rather than a copy;
 *  - in a browser, `DownloadURL` (`mime:filename:url`, dropping on the desktop saves the file) and
 *    `text/uri-list`;
 *  - in the desktop app, a real file drag started by the main process (`startFileDrag`). That drag
 *    replaces the page's own, so it carries only the file: the drag is remembered here, and a drop
 *    zone that receives exactly that file (same name and size) treats it as the library image.
 *
 * In: `readDrop` and `readPaste` turn whatever arrives (library items, image files, image URLs) into
 * `DroppedImage`s for the slots to import.
 */
import type { DragEvent } from 'react';
import type { JobView, OutputView } from '../../../../shared/domain';
import { canDragFiles, startFileDrag } from '../../api';
import { fileSrc } from '../../lib/media';

export const OUTPUT_DRAG_TYPE = 'application/x-genvault-output';

/** A library image as the app's drop zones receive it; `index` is the image's index in its job. */
export interface DraggedOutput {
  jobId: string;
  index: number;
}

export type DroppedImage =
  | { kind: 'output'; jobId: string; index: number }
  | { kind: 'file'; file: File }
  | { kind: 'url'; url: string };

const MIME_BY_EXT: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
};

function baseName(relative: string): string {
  return relative.slice(relative.lastIndexOf('/') + 1);
}

function extOf(relative: string): string {
  const name = baseName(relative);
  const dot = name.lastIndexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The desktop drag in progress or last made: the file it carries, to recognise it when it is dropped. */
let nativeDrag: (DraggedOutput & { name: string; bytes: number }) | null = null;

/**
 * The image a drop zone gets for an output: its own index, or the first image for the 4-up grid
 * (a grid is not an image the API can take).
 */
function payloadFor(job: JobView, output: OutputView): DraggedOutput {
  if (output.kind !== 'grid') return { jobId: job.id, index: output.index };
  const first = job.outputs.find((o) => o.kind === 'image');
  return { jobId: job.id, index: first?.index ?? 0 };
}

/** Whether `output` can be dragged at all: a file on disk, or an image the app can use. */
export function isDraggable(output: OutputView | undefined): output is OutputView {
  return output !== undefined && (output.state === 'archived' || output.kind !== 'video');
}

/** Call from `onDragStart` of anything that shows an output. */
export function beginOutputDrag(event: DragEvent<HTMLElement>, job: JobView, output: OutputView): void {
  event.stopPropagation();
  const payload = payloadFor(job, output);
  if (output.state === 'archived' && output.path && canDragFiles()) {
    // The desktop app hands the drag to the OS with the real file; the page's drag must not start.
    event.preventDefault();
    nativeDrag = { ...payload, name: baseName(output.path), bytes: output.bytes ?? -1 };
    startFileDrag(job.id, output.kind, output.index);
    return;
  }
  const dt = event.dataTransfer;
  dt.effectAllowed = 'copy';
  dt.setData(OUTPUT_DRAG_TYPE, JSON.stringify(payload));
  const src = fileSrc(output);
  if (src && output.path) {
    const url = new URL(src, window.location.href).href;
    const ext = extOf(output.path);
    const mime = MIME_BY_EXT[ext] ?? 'application/octet-stream';
    const name = `genvault-${job.id.slice(0, 8)}-${output.kind === 'grid' ? 'grid' : output.index + 1}.${ext}`;
    dt.setData('DownloadURL', `${mime}:${name}:${url}`);
    dt.setData('text/uri-list', url);
  }
}

/** For `onDragOver`/`onDragEnter`: whether the drag may hold something a slot can take. */
export function mayHoldImage(dt: DataTransfer): boolean {
  const types = [...dt.types];
  return (
    types.includes(OUTPUT_DRAG_TYPE) ||
    types.includes('Files') ||
    types.includes('text/uri-list') ||
    types.includes('text/plain')
  );
}

export function parseDraggedOutput(text: string): DraggedOutput | null {
  try {
    const value = JSON.parse(text) as Partial<DraggedOutput>;
    if (typeof value.jobId === 'string' && value.jobId && Number.isInteger(value.index)) {
      return { jobId: value.jobId, index: value.index! };
    }
  } catch {
    // Not ours: fall through to the other kinds of drop.
  }
  return null;
}

function httpUrls(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .filter((line) => {
      try {
        const url = new URL(line);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    });
}

function isImageFile(file: File): boolean {
  return file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif)$/i.test(file.name);
}

/** Files from the OS, with the desktop app's own output drag recognised as the library image. */
function fromFiles(files: readonly File[]): DroppedImage[] {
  return files.filter(isImageFile).map((file) => {
    if (nativeDrag && file.name === nativeDrag.name && file.size === nativeDrag.bytes) {
      return { kind: 'output', jobId: nativeDrag.jobId, index: nativeDrag.index };
    }
    return { kind: 'file', file };
  });
}

/** Everything usable in a drop, in order: library items, else image files, else http(s) URLs. */
export function readDrop(dt: DataTransfer): DroppedImage[] {
  const own = parseDraggedOutput(dt.getData(OUTPUT_DRAG_TYPE));
  if (own) return [{ kind: 'output', ...own }];
  const files = fromFiles([...dt.files]);
  if (files.length > 0) return files;
  return httpUrls(dt.getData('text/uri-list') || dt.getData('text/plain')).map((url) => ({
    kind: 'url' as const,
    url,
  }));
}

/** A paste: image data (a screenshot, a copied picture) first, else an http(s) URL in the text. */
export function readPaste(data: DataTransfer): DroppedImage[] {
  const files = fromFiles([...data.files]);
  if (files.length > 0) return files;
  return httpUrls(data.getData('text/uri-list') || data.getData('text/plain')).map((url) => ({
    kind: 'url' as const,
    url,
  }));
}
