/**
 * The hidden file input behind a "Choose file…" button: it hands over the chosen files and then
 * forgets them, so choosing the same file again still counts as a choice.
 */
import type { RefObject } from 'react';

/** Every image format `files.import` takes. */
export const IMPORTABLE_IMAGE_TYPES = 'image/png,image/jpeg,image/webp,image/gif';

export function HiddenFileInput({
  inputRef,
  accept,
  label,
  onFiles,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  accept: string;
  label: string;
  onFiles(files: File[]): void;
}) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept={accept}
      hidden
      aria-label={label}
      onChange={(e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        if (files.length > 0) onFiles(files);
      }}
    />
  );
}
