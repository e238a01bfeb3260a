/**
 * A provider's API root as every client keeps it: fixed by the constructor or the environment
 * variable (which then wins over everything), else taken from Settings while the app runs, else the
 * public default (Vidu has none: the UniAll gateway is the user's own). An invalid or missing value is
 * kept as the error to throw on the next request, so a bad setting never stops the app from opening.
 */
import { InvalidInputError } from '../errors';

/** Where the base URL in use came from. */
export type BaseUrlSource = 'env' | 'settings' | 'default' | 'none';

export interface BaseUrlRules {
  /** The service's name in messages ("The Legnext base URL … is not a valid URL"). */
  service: string;
  /** The environment variable that fixes it. */
  envVar: string;
  /** The public default; null when the user must set one. */
  defaultUrl: string | null;
  /** A documented suffix the client's own paths already include (`/api`, `/v1`), dropped if given. */
  dropSuffix?: RegExp;
  /** The error while no URL is set (only where there is no default). */
  missing?: () => InvalidInputError;
}

/** `raw` as `scheme://host[:port][/path]`, without a trailing slash or the rules' suffix. */
export function normalizeBaseUrl(raw: string, rules: BaseUrlRules): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidInputError(`The ${rules.service} base URL "${raw}" is not a valid URL.`, 'baseUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(
      `The ${rules.service} base URL "${raw}" must start with http:// or https://.`,
      'baseUrl',
    );
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (rules.dropSuffix) path = path.replace(rules.dropSuffix, '');
  return `${url.origin}${path}`;
}

type Resolved = { url: string } | { error: InvalidInputError };

export class BaseUrl {
  private resolved: Resolved;
  private origin: BaseUrlSource;

  constructor(
    private readonly rules: BaseUrlRules,
    configured: string | null | undefined,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const fixed = configured?.trim() || env[rules.envVar]?.trim() || '';
    this.origin = fixed === '' ? (rules.defaultUrl === null ? 'none' : 'default') : 'env';
    this.resolved = this.resolve(fixed);
  }

  /** The URL requests go to now; throws the plain error when none (or an invalid one) is set. */
  get url(): string {
    if ('error' in this.resolved) throw this.resolved.error;
    return this.resolved.url;
  }

  /** The URL in use, or null while none is usable. */
  get current(): string | null {
    return 'url' in this.resolved ? this.resolved.url : null;
  }

  get source(): BaseUrlSource {
    return this.origin;
  }

  /**
   * The base URL from Settings, taking effect with the next request; null or blank means the default.
   * Ignored when the constructor or environment fixed it. An invalid URL throws and changes nothing.
   */
  applySetting(url: string | null): void {
    if (this.origin === 'env') return;
    const configured = url?.trim() ?? '';
    if (configured === '') {
      this.resolved = this.resolve('');
      this.origin = this.rules.defaultUrl === null ? 'none' : 'default';
      return;
    }
    this.resolved = { url: normalizeBaseUrl(configured, this.rules) };
    this.origin = 'settings';
  }

  private resolve(raw: string): Resolved {
    const value = raw || this.rules.defaultUrl;
    if (value === null) {
      return {
        error:
          this.rules.missing?.() ??
          new InvalidInputError(`Set the ${this.rules.service} base URL first.`, 'baseUrl'),
      };
    }
    try {
      return { url: normalizeBaseUrl(value, this.rules) };
    } catch (err) {
      if (err instanceof InvalidInputError) return { error: err };
      throw err;
    }
  }
}
