import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { QUEUE_LOCK_FILE, acquireQueueLock } from '../../src/main/core/queue/lock';
import { Vault } from '../../src/main/core/vault';
import { FAST_QUEUE, settled, useHarness } from './harness';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'genvault-lock-'));
  dirs.push(dir);
  return dir;
}

describe('acquireQueueLock', () => {
  it('gives the lock to one holder at a time and frees it on release', () => {
    const dir = tempDir();
    const first = acquireQueueLock(dir);
    expect(first.held).toBe(true);
    const second = acquireQueueLock(dir);
    expect(second).toEqual({
      held: false,
      owner: expect.objectContaining({ pid: process.pid, host: os.hostname() }),
    });
    if (first.held) first.release();
    expect(existsSync(path.join(dir, QUEUE_LOCK_FILE))).toBe(false);
    const third = acquireQueueLock(dir);
    expect(third.held).toBe(true);
    if (third.held) third.release();
  });

  it('takes over the lock of a process that is gone', () => {
    const dir = tempDir();
    // A pid far above the kernel's default pid_max is never a live process.
    writeFileSync(
      path.join(dir, QUEUE_LOCK_FILE),
      JSON.stringify({ pid: 2 ** 30, host: os.hostname(), since: Date.now() - 1000 }),
    );
    const lock = acquireQueueLock(dir);
    expect(lock.held).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, QUEUE_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    if (lock.held) lock.release();
  });

  it('takes over a half-written lock, respects another machine’s until it is a day old', () => {
    const dir = tempDir();
    const file = path.join(dir, QUEUE_LOCK_FILE);
    writeFileSync(file, '{"pid": 12');
    const torn = acquireQueueLock(dir);
    expect(torn.held).toBe(true);
    if (torn.held) torn.release();

    const now = Date.now();
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'another-machine', since: now - 3600_000 }));
    expect(acquireQueueLock(dir, () => now).held).toBe(false);
    const later = acquireQueueLock(dir, () => now + 25 * 3600_000);
    expect(later.held).toBe(true);
    if (later.held) later.release();
  });

  it('release does not remove a lock that someone else took over meanwhile', () => {
    const dir = tempDir();
    const file = path.join(dir, QUEUE_LOCK_FILE);
    const mine = acquireQueueLock(dir);
    const successor = JSON.stringify({ pid: process.pid, host: os.hostname(), since: 1 });
    writeFileSync(file, successor);
    if (mine.held) mine.release();
    expect(readFileSync(file, 'utf8')).toBe(successor);
  });
});

describe('two vaults on one library', () => {
  const harness = useHarness();

  it('only the first runs the queue; a job made by the second is sent once, by the first', async () => {
    const h = await harness.start();
    await h.vault.start();
    expect(h.vault.queueRunner).toBe('self');

    const dispatcher = new Agent();
    const other = Vault.open({
      libraryDir: h.dir,
      secrets: h.secrets,
      env: { LEGNEXT_BASE_URL: h.sim.url },
      dispatcher,
      queue: FAST_QUEUE,
    });
    try {
      await other.start();
      expect(other.queueRunner).toEqual(expect.objectContaining({ pid: process.pid }));
      const job = other.imagine('a lighthouse made by the command line');
      // The second vault follows the database while the first one sends, polls and archives.
      const done = await settled(other, job.id);
      expect(done.status).toBe('completed');
      expect(done.outputs.every((o) => o.state === 'archived')).toBe(true);
      expect(h.posts('diffusion')).toHaveLength(1);
    } finally {
      await other.close();
      await dispatcher.close();
    }
    // Closing the follower leaves the owner's lock in place.
    expect(existsSync(path.join(h.dir, QUEUE_LOCK_FILE))).toBe(true);
  });
});
