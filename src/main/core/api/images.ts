/**
 * Calls that take images from anywhere (library outputs, imported files, URLs): blend, describe,
 * shorten, image operations, file import and the S3-compatible image host settings.
 */
import type { HandlerContext, HandlerGroup } from './handlers';

type ImageCalls =
  | 'jobs.blend'
  | 'jobs.describe'
  | 'jobs.shorten'
  | 'jobs.onImage'
  | 'files.import'
  | 'imageHost.get'
  | 'imageHost.set'
  | 'imageHost.clear'
  | 'imageHost.test';

export function imageHandlers(_ctx: HandlerContext): HandlerGroup<ImageCalls> {
  const pending = (): never => {
    throw new Error('image calls are being built');
  };
  return {
    'jobs.blend': async () => pending(),
    'jobs.describe': async () => pending(),
    'jobs.shorten': async () => pending(),
    'jobs.onImage': async () => pending(),
    'files.import': async () => pending(),
    'imageHost.get': async () => pending(),
    'imageHost.set': async () => pending(),
    'imageHost.clear': async () => pending(),
    'imageHost.test': async () => pending(),
  };
}
