/**
 * The main window's size and position, remembered in the library settings between launches. A saved
 * position that is no longer on any screen (a monitor was unplugged) keeps only the size.
 */
import { z } from 'zod';
import type { Library } from '../core/library';

export const WINDOW_STATE_KEY = 'window.bounds';

const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof boundsSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };

/** Enough of the window (a 100×50 corner of the title bar area) must be on a screen to be reachable. */
function visibleOn(state: Rect, workAreas: readonly Rect[]): boolean {
  return workAreas.some(
    (a) =>
      state.x + 100 <= a.x + a.width &&
      state.x + state.width - 100 >= a.x &&
      state.y >= a.y &&
      state.y + 50 <= a.y + a.height,
  );
}

/** BrowserWindow bounds options for the next launch. */
export function restoreBounds(
  library: Library,
  workAreas: readonly Rect[],
): { width: number; height: number; x?: number; y?: number; maximized: boolean } {
  const saved = library.getSetting(WINDOW_STATE_KEY, boundsSchema);
  if (!saved) return { ...DEFAULT_SIZE, maximized: false };
  const size = { width: saved.width, height: saved.height, maximized: saved.maximized };
  return visibleOn(saved, workAreas) ? { ...size, x: saved.x, y: saved.y } : size;
}

export function saveBounds(library: Library, bounds: Rect, maximized: boolean): void {
  const state = boundsSchema.safeParse({
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(bounds.width),
    height: Math.round(bounds.height),
    maximized,
  });
  if (state.success) library.setSetting(WINDOW_STATE_KEY, state.data);
}
