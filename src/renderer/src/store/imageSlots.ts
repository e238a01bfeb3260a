/**
 * The image slots of Blend and Describe: what a slot holds (a library image, an imported file, a URL),
 * turning a drop or paste into that (files are read here and stored in the library with
 * `files.import`), and the `ImageSource` each becomes for the call.
 */
import type { ImageSource, ImportedFileView } from '../../../shared/contract';
import { call } from '../api';
import { pluralize } from '../lib/format';
import type { DroppedImage } from '../views/library/dnd';
import { fetchJob, getJob } from './jobs';

export type SlotImage =
  | { kind: 'output'; jobId: string; index: number }
  | { kind: 'file'; file: ImportedFileView }
  | { kind: 'url'; url: string };

export interface Slot {
  /** Stable across reordering, for React keys and drag-to-reorder. */
  id: number;
  image: SlotImage | null;
  /** A file is being read and stored. */
  loading: boolean;
  error: string | null;
}

let nextSlotId = 1;

export function emptySlot(): Slot {
  return { id: nextSlotId++, image: null, loading: false, error: null };
}

export function toImageSource(image: SlotImage): ImageSource {
  switch (image.kind) {
    case 'output':
      return { kind: 'output', jobId: image.jobId, index: image.index };
    case 'file':
      return { kind: 'file', ref: image.file.ref };
    case 'url':
      return { kind: 'url', url: image.url };
  }
}

/** The limit `files.import` enforces, checked first so a huge file is not read for nothing. */
const MAX_IMPORT_BYTES = 30 * 1024 * 1024;
const IMPORTABLE = /^image\/(png|jpeg|webp|gif)$/;

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new Error(`${file.name} could not be read.`));
    reader.readAsDataURL(file);
  });
}

/** Stores a dropped, pasted or chosen file in the library; rejects with a sentence for the slot. */
export async function importFile(file: File): Promise<ImportedFileView> {
  if (file.type && !IMPORTABLE.test(file.type)) {
    throw new Error(`${file.name} is not a PNG, JPEG, WebP or GIF image.`);
  }
  if (file.size > MAX_IMPORT_BYTES) {
    throw new Error(`${file.name} is larger than 30 MB; use a smaller copy.`);
  }
  if (file.size === 0) throw new Error(`${file.name} is empty.`);
  const name = file.name.trim() || 'pasted-image.png';
  return call('files.import', { name: name.slice(0, 255), dataBase64: await readAsBase64(file) });
}

/**
 * What a drop or paste becomes in a slot. Library images are checked to exist (and land in the jobs
 * cache, for their thumbnail); files are imported.
 */
export async function resolveDropped(dropped: DroppedImage): Promise<SlotImage> {
  switch (dropped.kind) {
    case 'output': {
      const job = getJob(dropped.jobId) ?? (await fetchJob(dropped.jobId));
      const images = job.outputs.filter((o) => o.kind === 'image');
      if (!images.some((o) => o.index === dropped.index)) {
        throw new Error(
          images.length === 0
            ? 'This job has no image to use; drop an image instead.'
            : `This job has ${pluralize(images.length, 'image')}, not image ${dropped.index + 1}.`,
        );
      }
      return { kind: 'output', jobId: job.id, index: dropped.index };
    }
    case 'file':
      return { kind: 'file', file: await importFile(dropped.file) };
    case 'url':
      return { kind: 'url', url: dropped.url };
  }
}

/** Whether a call's failure is the "no image host" one, so the view can point to Settings. */
export function needsImageHost(message: string | null): boolean {
  return message !== null && /image host/i.test(message);
}
