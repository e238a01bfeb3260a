/**
 * App settings (theme, notifications, concurrency) live in the library's settings table, so they move
 * with the library folder. Values that no longer fit the schema fall back to the defaults one by one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../shared/contract';
import { DB_FILE, openLibrary, type Library } from '../library';

export const SETTINGS_KEY = 'app.settings';

/** Read as a plain record so one stale field does not discard the others. */
const storedShape = z.record(z.string(), z.unknown());

export function readSettings(library: Library): Settings {
  const stored = library.getSetting(SETTINGS_KEY, storedShape) ?? {};
  const merged: Settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    const field = settingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) (merged as Record<keyof Settings, unknown>)[key] = field.data;
  }
  return merged;
}

/** Merges `patch` (already validated) into the stored settings and returns the result. */
export function writeSettings(library: Library, patch: Partial<Settings>): Settings {
  const next = settingsSchema.parse({ ...readSettings(library), ...patch });
  library.setSetting(SETTINGS_KEY, next);
  return next;
}

/**
 * The settings of the library in `libraryDir` before the Vault opens it, for what must be fixed at
 * start-up (the queue's concurrency). A library that does not exist yet has the defaults.
 */
export function storedSettings(libraryDir: string): Settings {
  if (!existsSync(path.join(libraryDir, DB_FILE))) return { ...DEFAULT_SETTINGS };
  let library: Library | undefined;
  try {
    library = openLibrary(libraryDir, { readonly: true });
    return readSettings(library);
  } catch {
    // A library that needs a migration (or cannot be read) says so when the Vault opens it.
    return { ...DEFAULT_SETTINGS };
  } finally {
    library?.close();
  }
}
