/**
 * The one mapping from a library file to a URL the renderer can put in `<img src>` / `<video src>`.
 * Paths come from JobViews, relative to the library folder (`media/2025/01/<id>/0.png`,
 * `thumbs/2025/01/<id>/0.webp`). Electron serves them through the `genvault://media/` protocol, the web
 * bridge under `/media/` of its own origin; both refuse anything outside the library's media folders.
 */
import type { Transport } from './contract';

export const ELECTRON_MEDIA_ORIGIN = 'genvault://media';
export const BRIDGE_MEDIA_PREFIX = '/media/';

export function mediaUrl(libraryRelativePath: string, transport: Transport = 'bridge'): string {
  const encoded = libraryRelativePath
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
  return transport === 'electron'
    ? `${ELECTRON_MEDIA_ORIGIN}/${encoded}`
    : `${BRIDGE_MEDIA_PREFIX}${encoded}`;
}
