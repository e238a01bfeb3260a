/**
 * Where an image for an image-URL operation (blend, describe, retexture, remove background,
 * upload-paint, Topaz) comes from. The decision is pure, over facts the caller looked up, and a clock:
 *  - an http(s) URL is sent as it is;
 *  - a library image inside its 30 days is sent by its CDN URL, and becomes a lineage parent;
 *  - a library image past its 30 days that was archived is uploaded from disk to the image host;
 *  - a library image past its 30 days that was never archived has no copy left: an error;
 *  - an imported file is uploaded to the image host.
 * Uploads need an image host; without one the error says what to set up.
 */
import { CDN_RETENTION_MS } from '../../../shared/domain';
import { InvalidInputError } from '../errors';

export const NO_IMAGE_HOST_MESSAGE =
  'Set up an image host in Settings → Image host (any S3-compatible bucket) to use images from your ' +
  'computer or library images older than 30 days.';

/** What the library knows about the image a source names. */
export type ImageFacts =
  | { kind: 'url'; url: string }
  /** An imported file: `inputs/<sha256>.<ext>`, and whether it is still in the library folder. */
  | { kind: 'file'; path: string; present: boolean }
  | {
      kind: 'output';
      /** The local job id. */
      jobId: string;
      index: number;
      /** The job's creation, ms since epoch: the CDN keeps its files 30 days from here. */
      createdAt: number;
      /** The CDN URL, once the job has completed. */
      url: string | null;
      /** Library-relative path of the archived file; null until it is archived. */
      archivedPath: string | null;
    };

export interface LineageParent {
  jobId: string;
  index: number;
}

export type ImagePlan =
  | { kind: 'remote'; url: string; parent: LineageParent | null }
  /** `path` (library-relative) goes to the image host and is sent as a presigned URL. */
  | { kind: 'upload'; path: string; parent: LineageParent | null };

/** The decision for one image; throws `InvalidInputError` when it cannot be sent. */
export function planImage(facts: ImageFacts, hostConfigured: boolean, now: number): ImagePlan {
  const upload = (path: string, parent: LineageParent | null): ImagePlan => {
    if (!hostConfigured) throw new InvalidInputError(NO_IMAGE_HOST_MESSAGE, 'imageHost');
    return { kind: 'upload', path, parent };
  };
  switch (facts.kind) {
    case 'url':
      return { kind: 'remote', url: facts.url, parent: null };
    case 'file':
      if (!facts.present) {
        throw new InvalidInputError(
          'This imported image is no longer in the library folder; add it again.',
          'image',
        );
      }
      return upload(facts.path, null);
    case 'output': {
      const parent = { jobId: facts.jobId, index: facts.index };
      const onCdn = now < facts.createdAt + CDN_RETENTION_MS;
      if (onCdn && facts.url) return { kind: 'remote', url: facts.url, parent };
      if (facts.archivedPath) return upload(facts.archivedPath, parent);
      const name = `${facts.jobId}:${facts.index}`;
      throw new InvalidInputError(
        onCdn
          ? `Image ${name} has no file yet: wait until its job has completed.`
          : `Image ${name} is older than 30 days and was never archived, so no copy of it is left to send.`,
        'image',
      );
    }
  }
}

/** Documented input limits of the operations that state them, checked before a file is uploaded. */
const UPLOAD_RULES: Record<string, { label: string; formats: readonly string[]; maxBytes?: number }> = {
  // Retexture: "Supported Types: JPG, PNG, WebP · Max File Size: 10MB".
  retexture: { label: 'Retexture', formats: ['png', 'jpg', 'webp'], maxBytes: 10_000_000 },
  // Topaz: "Supports JPEG, PNG, TIFF" (GenVault imports no TIFF).
  'enhance-upscale': { label: 'Topaz upscale', formats: ['png', 'jpg'] },
  // Legnext names no mask formats; GenVault sends masks in the formats every op above accepts.
  mask: { label: 'A mask image', formats: ['png', 'jpg', 'webp'] },
};

const FORMAT_NAMES: Record<string, string> = { png: 'PNG', jpg: 'JPEG', webp: 'WebP', gif: 'GIF' };

/** Refuses a file `op` documents it cannot take (format `ext`, size `bytes`); other ops take any image. */
export function checkUpload(op: string, ext: string, bytes: number): void {
  const rule = UPLOAD_RULES[op];
  if (!rule) return;
  if (!rule.formats.includes(ext)) {
    const names = rule.formats.map((f) => FORMAT_NAMES[f] ?? f.toUpperCase());
    throw new InvalidInputError(
      `${rule.label} takes ${names.slice(0, -1).join(', ')} or ${names.at(-1)} images, not ${FORMAT_NAMES[ext] ?? ext.toUpperCase()}.`,
      'image',
    );
  }
  if (rule.maxBytes !== undefined && bytes > rule.maxBytes) {
    throw new InvalidInputError(
      `${rule.label} takes images of at most ${rule.maxBytes / 1e6} MB; this one is ${(bytes / 1e6).toFixed(1)} MB.`,
      'image',
    );
  }
}
