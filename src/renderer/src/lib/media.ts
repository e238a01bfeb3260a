/** Local file URLs for outputs: served from the library folder, so they work offline. */
import type { OutputView } from '../../../shared/domain';
import { mediaUrl } from '../../../shared/media';
import { transport } from '../api';

/** The full-size file, or null while it is not on disk. */
export function fileSrc(output: OutputView | undefined): string | null {
  return output?.state === 'archived' && output.path ? mediaUrl(output.path, transport()) : null;
}

/** The small preview (a video's poster frame), falling back to the file itself for images. */
export function thumbSrc(output: OutputView | undefined): string | null {
  if (!output) return null;
  if (output.thumbPath) return mediaUrl(output.thumbPath, transport());
  return output.kind === 'video' ? null : fileSrc(output);
}
