/** Calls that move outputs out of the app: reveal in the file manager, export to a folder, copy. */
import { existsSync } from 'node:fs';
import { mediaDirFor } from '../library';
import type { HandlerContext, HandlerGroup } from './handlers';

export function outputHandlers(
  ctx: HandlerContext,
): HandlerGroup<'library.reveal' | 'outputs.export' | 'outputs.copy'> {
  const library = ctx.vault.library;
  const pending = (): never => {
    throw new Error('output calls are being built');
  };
  return {
    'library.reveal': async ({ id }) => {
      if (!ctx.reveal) return { ok: false };
      let target = library.root;
      if (id !== undefined) {
        const folder = library.absolute(mediaDirFor(library.resolveJobRef(id)));
        if (existsSync(folder)) target = folder;
      }
      await ctx.reveal(target);
      return { ok: true };
    },
    'outputs.export': async () => pending(),
    'outputs.copy': async () => pending(),
  };
}
