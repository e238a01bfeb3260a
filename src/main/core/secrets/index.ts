/**
 * API keys live in the OS keychain (keytar), never in the DB, sidecars, logs or the renderer.
 * An environment variable overrides the stored key (CLI, CI). Where no keychain answers, the Electron
 * shell supplies an encrypted-file store (safeStorage) through the same interface.
 */
import { readFile, rename, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Provider } from '../../../shared/domain';

export const KEYCHAIN_SERVICE = 'GenVault';

/** Env variables that override the stored key, named as the providers' SDK docs name them. */
export const KEY_ENV: Record<Provider, string> = {
  legnext: 'LEGNEXT_API_KEY',
  leonardo: 'LEONARDO_API_KEY',
  vidu: 'UNIALL_API_KEY',
};

/**
 * Secrets that are not a provider's API key, each under its own keychain account, with the env variable
 * that overrides it: the image host's S3 secret access key.
 */
export const SECRET_ENV = { 'image-host': 'GENVAULT_S3_SECRET_ACCESS_KEY' } as const;
export type SecretAccount = keyof typeof SECRET_ENV;

export type KeySource = 'env' | 'keychain' | 'file';

export interface SecretBackend {
  readonly source: Exclude<KeySource, 'env'>;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export interface KeyStatus {
  set: boolean;
  /** Last four characters, the only part of a key ever shown. */
  last4: string | null;
  source: KeySource | null;
}

export class SecretUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretUnavailableError';
  }
}

interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** A keychain call that never answers (no Secret Service on D-Bus) must not hang the app. */
const KEYCHAIN_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SecretUnavailableError(`The system keychain did not answer while trying to ${what}.`)),
      KEYCHAIN_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** keytar over the OS keychain: macOS Keychain, Windows Credential Vault, libsecret on Linux. */
export class KeytarBackend implements SecretBackend {
  readonly source = 'keychain' as const;
  private keytar: Promise<KeytarModule> | undefined;
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  private load(): Promise<KeytarModule> {
    this.keytar ??= import('keytar').then(
      (m) => ((m as { default?: KeytarModule }).default ?? m) as KeytarModule,
      (err: unknown) => {
        this.keytar = undefined;
        throw new SecretUnavailableError('The system keychain module could not be loaded.', { cause: err });
      },
    );
    return this.keytar;
  }

  private async call<T>(what: string, fn: (k: KeytarModule) => Promise<T>): Promise<T> {
    const keytar = await this.load();
    try {
      return await withTimeout(fn(keytar), what);
    } catch (err) {
      if (err instanceof SecretUnavailableError) throw err;
      throw new SecretUnavailableError(`The system keychain refused to ${what}.`, { cause: err });
    }
  }

  get(account: string): Promise<string | null> {
    return this.call('read the key', (k) => k.getPassword(this.service, account));
  }
  set(account: string, value: string): Promise<void> {
    return this.call('store the key', (k) => k.setPassword(this.service, account, value));
  }
  delete(account: string): Promise<boolean> {
    return this.call('remove the key', (k) => k.deletePassword(this.service, account));
  }
}

/** Encrypts and decrypts small strings; in Electron this is safeStorage. */
export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/**
 * Keys in one file, each value encrypted by the cipher, for machines where no keychain answers.
 * Written atomically so a crash never leaves a half-written file.
 */
export class EncryptedFileBackend implements SecretBackend {
  readonly source = 'file' as const;
  constructor(
    private readonly file: string,
    private readonly cipher: Cipher,
  ) {}

  private async readAll(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new SecretUnavailableError('The encrypted key file could not be read.', { cause: err });
    }
  }

  private async writeAll(entries: Record<string, string>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entries), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  async get(account: string): Promise<string | null> {
    const value = (await this.readAll())[account];
    return value === undefined ? null : this.cipher.decrypt(Buffer.from(value, 'base64'));
  }
  async set(account: string, value: string): Promise<void> {
    const all = await this.readAll();
    all[account] = this.cipher.encrypt(value).toString('base64');
    await this.writeAll(all);
  }
  async delete(account: string): Promise<boolean> {
    const all = await this.readAll();
    if (!(account in all)) return false;
    delete all[account];
    if (Object.keys(all).length === 0) await rm(this.file, { force: true });
    else await this.writeAll(all);
    return true;
  }
}

export function last4(key: string): string {
  return key.slice(-4);
}

/**
 * The one place keys are read: env override first, then the backend. `status()` is what any UI or
 * CLI output may show.
 */
export class SecretStore {
  constructor(
    private readonly backend: SecretBackend,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get backendSource(): SecretBackend['source'] {
    return this.backend.source;
  }

  private fromEnv(variable: string): string | null {
    const value = this.env[variable]?.trim();
    return value ? value : null;
  }

  async getKey(provider: Provider): Promise<string | null> {
    return this.fromEnv(KEY_ENV[provider]) ?? (await this.backend.get(provider));
  }

  async setKey(provider: Provider, key: string): Promise<void> {
    await this.store(provider, key);
  }

  async clearKey(provider: Provider): Promise<boolean> {
    return this.backend.delete(provider);
  }

  async status(provider: Provider): Promise<KeyStatus> {
    return this.statusOf(provider, KEY_ENV[provider]);
  }

  /** A secret of `SECRET_ENV` (never a provider key): env override first, then its own account. */
  async getSecret(account: SecretAccount): Promise<string | null> {
    return this.fromEnv(SECRET_ENV[account]) ?? (await this.backend.get(account));
  }

  async setSecret(account: SecretAccount, value: string): Promise<void> {
    await this.store(account, value);
  }

  async clearSecret(account: SecretAccount): Promise<boolean> {
    return this.backend.delete(account);
  }

  async secretStatus(account: SecretAccount): Promise<KeyStatus> {
    return this.statusOf(account, SECRET_ENV[account]);
  }

  private async store(account: string, value: string): Promise<void> {
    const trimmed = value.trim();
    if (!trimmed) throw new SecretUnavailableError('An empty key cannot be stored.');
    await this.backend.set(account, trimmed);
  }

  private async statusOf(account: string, envVariable: string): Promise<KeyStatus> {
    const fromEnv = this.fromEnv(envVariable);
    if (fromEnv) return { set: true, last4: last4(fromEnv), source: 'env' };
    const stored = await this.backend.get(account);
    return stored
      ? { set: true, last4: last4(stored), source: this.backend.source }
      : { set: false, last4: null, source: null };
  }
}
