/**
 * App settings (theme, notifications, concurrency, provider base URLs) live in the library's settings
 * table, so they move with the library folder. Values that no longer fit the schema fall back to the
 * defaults one by one. Base URLs reach the live provider clients through `applyBaseUrls`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_SETTINGS,
  settingsSchema,
  type ProviderEndpointView,
  type Settings,
} from '../../../shared/contract';
import { PROVIDERS, type Provider } from '../../../shared/domain';
import { InvalidInputError } from '../errors';
import { DB_FILE, openLibrary, type Library } from '../library';
import { DEFAULT_LEGNEXT_BASE_URL } from '../providers/legnext/client';
import { DEFAULT_LEONARDO_BASE_URL } from '../providers/leonardo/client';
import type { Vault } from '../vault';

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

// ── provider base URLs ───────────────────────────────────────────────────────────────────────────

/** The environment variable that fixes each provider's base URL (it wins over Settings). */
export const BASE_URL_ENV: Record<Provider, string> = {
  legnext: 'LEGNEXT_BASE_URL',
  leonardo: 'LEONARDO_BASE_URL',
  vidu: 'UNIALL_BASE_URL',
};

const PROVIDER_NAMES: Record<Provider, string> = { legnext: 'Legnext', leonardo: 'Leonardo', vidu: 'UniAll' };

/** What every provider client offers for Settings to change its base URL while it runs. */
interface SettableBaseUrl {
  readonly baseUrl: string | null;
  readonly baseUrlSource: ProviderEndpointView['source'];
  applySettingsBaseUrl(url: string | null): void;
}

function clientsOf(vault: Vault): Record<Provider, SettableBaseUrl> {
  return { legnext: vault.legnext, leonardo: vault.leonardo(), vidu: vault.vidu };
}

/**
 * Refuses a base URL no client could use (the schema lets through some strings `URL` cannot parse),
 * before anything is stored; the error names the field.
 */
export function checkBaseUrls(baseUrls: Settings['baseUrls']): void {
  for (const provider of Object.keys(baseUrls) as Provider[]) {
    const value = baseUrls[provider].trim();
    if (value === '') continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidInputError(
        `The ${PROVIDER_NAMES[provider]} base URL "${value}" is not an http(s) URL.`,
        `baseUrls.${provider}`,
      );
    }
  }
}

/**
 * Points the live clients at the stored base URLs (blank: the public default); the next request of
 * each goes there, and the queue needs no restart. A client whose base URL the environment fixed
 * keeps it.
 */
export function applyBaseUrls(vault: Vault, baseUrls: Settings['baseUrls']): void {
  const clients = clientsOf(vault);
  for (const provider of Object.keys(clients) as Provider[]) {
    const client = clients[provider];
    try {
      client.applySettingsBaseUrl(baseUrls[provider].trim() || null);
    } catch (err) {
      // `settings.set` refuses such values; one written into the database some other way is ignored.
      if (!(err instanceof InvalidInputError)) throw err;
    }
  }
}

const DEFAULT_BASE_URLS: Record<Provider, string | null> = {
  legnext: DEFAULT_LEGNEXT_BASE_URL,
  leonardo: DEFAULT_LEONARDO_BASE_URL,
  vidu: null,
};

/** Where each provider's calls go now and what decided it, for Settings. */
export function endpointViews(vault: Vault): ProviderEndpointView[] {
  const clients = clientsOf(vault);
  return PROVIDERS.map((provider) => {
    const client = clients[provider];
    return {
      provider,
      url: client.baseUrl,
      defaultUrl: DEFAULT_BASE_URLS[provider],
      source: client.baseUrlSource,
      envVar: BASE_URL_ENV[provider],
    };
  });
}
