/** Calls for the other video providers (Leonardo, Vidu): the model list and submitting a video. */
import type { HandlerContext, HandlerGroup } from './handlers';

export function providerHandlers(_ctx: HandlerContext): HandlerGroup<'jobs.videoWith' | 'video.models'> {
  const pending = (): never => {
    throw new Error('provider calls are being built');
  };
  return {
    'jobs.videoWith': async () => pending(),
    'video.models': async () => pending(),
  };
}
