/**
 * Where API keys live: the OS keychain through keytar (under a real Secret Service when one answers),
 * the encrypted file fallback, the environment override, and the status that only ever shows the
 * last four characters.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedFileBackend, KeytarBackend, SecretStore, type Cipher } from '../../src/main/core/secrets';
import { MemoryBackend } from './harness';

/** AES-256-GCM under a key made for this run: stands in for Electron's safeStorage. */
function testCipher(): Cipher {
  const key = randomBytes(32);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('keytar under the Secret Service', () => {
  // A service of its own, so the test never touches a real GenVault entry.
  const service = `GenVault-test-${randomUUID()}`;
  const keychain = new KeytarBackend(service);
  let unavailable: string | null = null;

  beforeAll(async () => {
    const probe = `probe-${randomUUID()}`;
    try {
      await keychain.set(probe, 'probe-value');
      if ((await keychain.get(probe)) !== 'probe-value') throw new Error('it returned another value');
      await keychain.delete(probe);
    } catch (err) {
      unavailable =
        `no Secret Service answered a set/get (${(err as Error).message}); ` +
        'run the suite through `./run test`, which starts one under dbus-run-session';
    }
  }, 15_000);

  afterAll(async () => {
    if (!unavailable) await keychain.delete('legnext').catch(() => false);
  });

  it('stores, reads, reports and removes a key', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const store = new SecretStore(keychain, {});
    const key = `sk-live-${randomUUID()}`;

    await store.setKey('legnext', `  ${key}\n`);
    expect(await store.getKey('legnext')).toBe(key);
    expect(await store.status('legnext')).toEqual({ set: true, last4: key.slice(-4), source: 'keychain' });
    // Another instance (another process would do the same) reads the same entry.
    expect(await new KeytarBackend(service).get('legnext')).toBe(key);

    expect(await store.clearKey('legnext')).toBe(true);
    expect(await store.getKey('legnext')).toBeNull();
    expect(await store.status('legnext')).toEqual({ set: false, last4: null, source: null });
    expect(await store.clearKey('legnext')).toBe(false);
  });
});

describe('the encrypted key file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'genvault-secrets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips keys per provider, never writing one in the clear', async () => {
    const file = path.join(dir, 'keys', 'secrets.json');
    const cipher = testCipher();
    const store = new SecretStore(new EncryptedFileBackend(file, cipher), {});
    const legnext = `sk-legnext-${randomUUID()}`;
    const leonardo = `sk-leonardo-${randomUUID()}`;

    await store.setKey('legnext', legnext);
    await store.setKey('leonardo', leonardo);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain(legnext);
    expect(onDisk).not.toContain(leonardo);
    expect(await store.status('legnext')).toEqual({ set: true, last4: legnext.slice(-4), source: 'file' });

    // A fresh backend on the same file and cipher (the next app start) reads them back.
    const again = new SecretStore(new EncryptedFileBackend(file, cipher), {});
    expect(await again.getKey('legnext')).toBe(legnext);
    expect(await again.getKey('leonardo')).toBe(leonardo);

    expect(await again.clearKey('legnext')).toBe(true);
    expect(await again.getKey('legnext')).toBeNull();
    expect(await again.clearKey('leonardo')).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('cannot be read with another cipher key', async () => {
    const file = path.join(dir, 'other.json');
    await new EncryptedFileBackend(file, testCipher()).set('legnext', 'sk-secret-value');
    await expect(new EncryptedFileBackend(file, testCipher()).get('legnext')).rejects.toThrow();
  });
});

describe('the environment and the status', () => {
  it('lets LEGNEXT_API_KEY win over the stored key', async () => {
    const backend = new MemoryBackend();
    backend.values.set('legnext', 'sk-stored-aaaa');
    const store = new SecretStore(backend, { LEGNEXT_API_KEY: ' sk-from-env-bbbb ' });

    expect(await store.getKey('legnext')).toBe('sk-from-env-bbbb');
    expect(await store.status('legnext')).toEqual({ set: true, last4: 'bbbb', source: 'env' });
    // Other providers read their own variable, not Legnext's.
    expect(await store.getKey('leonardo')).toBeNull();
    // A blank variable does not hide the stored key.
    const blank = new SecretStore(backend, { LEGNEXT_API_KEY: '  ' });
    expect(await blank.getKey('legnext')).toBe('sk-stored-aaaa');
  });

  it('shows the last four characters and nothing else of the key', async () => {
    const key = 'sk-0123456789abcdef-wxyz';
    const backend = new MemoryBackend();
    const store = new SecretStore(backend, {});
    await store.setKey('legnext', key);
    const status = await store.status('legnext');

    expect(status.last4).toBe('wxyz');
    const shown = JSON.stringify(status);
    expect(shown).not.toContain(key);
    expect(shown).not.toContain(key.slice(0, -4));
  });

  it('refuses to store an empty key', async () => {
    const store = new SecretStore(new MemoryBackend(), {});
    await expect(store.setKey('legnext', '   ')).rejects.toThrow(/empty/);
  });
});
