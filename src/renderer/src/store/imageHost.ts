/**
 * The image host (the S3-compatible bucket that images from the computer and library images older than
 * 30 days are uploaded to): its settings and whether its secret access key is stored. The secret itself
 * goes to the core once, on save, and never comes back: the renderer only ever learns `secretSet`.
 */
import { create } from 'zustand';
import type { ImageHostConfig, ImageHostView } from '../../../shared/contract';
import { call, failureMessage } from '../api';

interface ImageHostState {
  view: ImageHostView | null;
  loadError: string | null;
  /** Bumped whenever `view` is replaced from the core, so a form showing it can start over from it. */
  revision: number;
}

export const useImageHost = create<ImageHostState>()(() => ({ view: null, loadError: null, revision: 0 }));

/** Where Settings opens scrolled to the image host panel; `parseHash` reads it as the Settings route. */
export const IMAGE_HOST_HASH = '#/settings/image-host';
/** The id of the image host panel in Settings. */
export const IMAGE_HOST_ANCHOR = 'image-host';

export const DEFAULT_PREFIX = 'genvault/';
export const DEFAULT_URL_MINUTES = 60;
export const MIN_URL_MINUTES = 5;
export const MAX_URL_MINUTES = 7 * 24 * 60;

function setView(view: ImageHostView): ImageHostView {
  useImageHost.setState((s) => ({ view, loadError: null, revision: s.revision + 1 }));
  return view;
}

export async function loadImageHost(): Promise<void> {
  try {
    setView(await call('imageHost.get', {}));
  } catch (err) {
    useImageHost.setState({ loadError: failureMessage(err) });
  }
}

/**
 * Stores the settings and, when given, the secret access key; without one the stored secret is kept.
 * Rejects with a `CallFailure` whose `field` names the setting at fault (`config.bucket`, `pathStyle`,
 * `secretAccessKey`…) when the core refuses it.
 */
export async function saveImageHost(
  config: ImageHostConfig,
  secretAccessKey?: string,
): Promise<ImageHostView> {
  return setView(
    await call('imageHost.set', secretAccessKey === undefined ? { config } : { config, secretAccessKey }),
  );
}

/** Uploads a tiny image to the stored host, reads it back through a presigned link and deletes it. */
export async function testImageHost(): Promise<string> {
  return (await call('imageHost.test', {})).message;
}

/** Forgets the settings and deletes the secret access key from the keychain. */
export async function removeImageHost(): Promise<void> {
  setView(await call('imageHost.clear', {}));
}
