/**
 * Content sniffing by magic bytes. The CDN's Content-Type is not trusted (object stores often say
 * `application/octet-stream`); the first bytes decide what a file is and which extension it gets.
 */

export type MediaKind = 'image' | 'video';

export interface MediaType {
  kind: MediaKind;
  mime: string;
  /** Extension without the dot, as the archived file is named. */
  ext: string;
}

/** Enough leading bytes to recognise every accepted format, including the WebM doctype. */
export const SNIFF_BYTES = 64;

/** ISO-BMFF brands that announce a still image or audio rather than a video. */
const NON_VIDEO_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'mif1',
  'msf1',
  'avif',
  'avis',
  'M4A ',
  'M4B ',
]);

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * The media type announced by a file's first bytes (PNG, JPEG, WebP, GIF, MP4/MOV, WebM), or null when
 * the bytes are something else. Pass at least `SNIFF_BYTES` bytes when the file has that many.
 */
export function sniffMedia(head: Uint8Array): MediaType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { kind: 'image', mime: 'image/png', ext: 'png' };
  }
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') {
    return { kind: 'image', mime: 'image/webp', ext: 'webp' };
  }
  if (head.length >= 6 && /^GIF8[79]a$/.test(ascii(head, 0, 6))) {
    return { kind: 'image', mime: 'image/gif', ext: 'gif' };
  }
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (NON_VIDEO_BRANDS.has(brand)) return null;
    return brand === 'qt  '
      ? { kind: 'video', mime: 'video/quicktime', ext: 'mov' }
      : { kind: 'video', mime: 'video/mp4', ext: 'mp4' };
  }
  // EBML is shared by Matroska and WebM; only the `webm` doctype is accepted.
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3]) && ascii(head, 4, head.length).includes('webm')) {
    return { kind: 'video', mime: 'video/webm', ext: 'webm' };
  }
  return null;
}

/** A few words naming what arrived, for a message like "The CDN sent <this> instead of the image". */
export function describeContent(head: Uint8Array): string {
  const media = sniffMedia(head);
  if (media) return `${media.kind === 'image' ? 'an image' : 'a video'} (${media.mime})`;
  if (head.length === 0) return 'an empty file';
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<(\?xml|svg)/i.test(text)) return 'an XML document';
  if (text.startsWith('<')) return 'a web page';
  if (text.startsWith('{') || text.startsWith('[')) return 'a JSON document';
  return isPlainText(text) ? 'a text document' : 'an unrecognised file';
}

/** No control characters besides whitespace and no invalid UTF-8, ignoring a character cut at the end. */
function isPlainText(text: string): boolean {
  const body = text.replace(/\uFFFD$/, '');
  for (const char of body) {
    const code = char.codePointAt(0) ?? 0;
    const whitespace = code === 0x09 || code === 0x0a || code === 0x0d;
    if ((code < 0x20 && !whitespace) || code === 0x7f || code === 0xfffd) return false;
  }
  return true;
}
