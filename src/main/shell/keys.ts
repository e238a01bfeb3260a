/**
 * Where the app keeps API keys: the OS keychain (keytar) when one answers; otherwise an encrypted file
 * in the app's data folder, encrypted by Electron's safeStorage, with a note the renderer shows so the
 * person knows. `LEGNEXT_API_KEY` still overrides both (SecretStore).
 */
import path from 'node:path';
import type { SafeStorage } from 'electron';
import {
  EncryptedFileBackend,
  KeytarBackend,
  SecretStore,
  SecretUnavailableError,
  type Cipher,
  type SecretBackend,
} from '../core/secrets';

export const KEY_FILE = 'keys.enc.json';

export interface ChosenSecrets {
  store: SecretStore;
  /** Null when keys live in the OS keychain. */
  keyNote: string | null;
}

function safeStorageCipher(safeStorage: SafeStorage): { cipher: Cipher; note: string } {
  if (!safeStorage.isEncryptionAvailable()) {
    const refuse = (): never => {
      throw new SecretUnavailableError(
        'This system has no keychain and no encryption to keep the key safe; set LEGNEXT_API_KEY before starting GenVault instead.',
      );
    };
    return {
      cipher: { encrypt: refuse, decrypt: refuse },
      note: 'No system keychain is available, so GenVault cannot store keys; set LEGNEXT_API_KEY before starting it.',
    };
  }
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    cipher: {
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (data) => safeStorage.decryptString(data),
    },
    note: weak
      ? 'No system keychain answered, so your key is kept in a file in GenVault’s data folder with basic encryption only; install a keyring (e.g. GNOME Keyring) for stronger protection.'
      : 'No system keychain answered, so your key is kept encrypted in a file in GenVault’s data folder.',
  };
}

/**
 * Asks the keychain once; if it does not answer (no Secret Service on Linux, a locked or missing
 * keychain) the encrypted file is used for the whole session.
 */
export async function chooseSecretStore(opts: {
  userDataDir: string;
  safeStorage: SafeStorage;
  env?: NodeJS.ProcessEnv;
  keychain?: SecretBackend;
}): Promise<ChosenSecrets> {
  const keychain = opts.keychain ?? new KeytarBackend();
  try {
    await keychain.get('legnext');
    return { store: new SecretStore(keychain, opts.env), keyNote: null };
  } catch (err) {
    if (!(err instanceof SecretUnavailableError)) throw err;
    const { cipher, note } = safeStorageCipher(opts.safeStorage);
    const file = new EncryptedFileBackend(path.join(opts.userDataDir, KEY_FILE), cipher);
    return { store: new SecretStore(file, opts.env), keyNote: note };
  }
}
