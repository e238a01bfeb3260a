/**
 * One queue per library. The app and a `genvault sync` from cron may open the same library at the
 * same time; if both ran the submit loop, a waiting job could be sent twice and paid for twice. The
 * first process to start its queue holds `queue.lock` in the library folder; the others leave the
 * loop to it and follow the database instead.
 *
 * A lock whose process is gone (killed, crashed) on this machine is taken over. A lock written by
 * another machine (a library on a network share) is respected until it is a day old.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const QUEUE_LOCK_FILE = 'queue.lock';
const FOREIGN_LOCK_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface LockOwner {
  pid: number;
  host: string;
  since: number;
}

export type LockResult = { held: true; release: () => void } | { held: false; owner: LockOwner };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.host === 'string' &&
      typeof parsed.since === 'number'
    ) {
      return { pid: parsed.pid, host: parsed.host, since: parsed.since };
    }
    return null;
  } catch {
    return null;
  }
}

function isStale(owner: LockOwner | null, now: number): boolean {
  // An unreadable lock was left half-written by a process that died while creating it.
  if (!owner) return true;
  if (owner.host === os.hostname()) return !isAlive(owner.pid);
  return now - owner.since > FOREIGN_LOCK_MAX_AGE_MS;
}

/** Takes the library's queue lock, or says who holds it. Never blocks. */
export function acquireQueueLock(libraryDir: string, now: () => number = Date.now): LockResult {
  const file = path.join(libraryDir, QUEUE_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      if (!isStale(owner, now())) return { held: false, owner: owner! };
      try {
        unlinkSync(file);
      } catch {
        // Another process removed it first; the next attempt decides.
      }
      continue;
    }
    const me: LockOwner = { pid: process.pid, host: os.hostname(), since: now() };
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    let released = false;
    return {
      held: true,
      release: () => {
        if (released) return;
        released = true;
        // Only remove our own lock: a takeover after a long suspend must not lose the new owner's.
        const current = readOwner(file);
        if (current && current.pid === me.pid && current.host === me.host && current.since === me.since) {
          try {
            unlinkSync(file);
          } catch {
            // Already gone.
          }
        }
      },
    };
  }
  // Two takeovers in a row lost to other processes: one of them owns it now.
  return { held: false, owner: readOwner(file) ?? { pid: 0, host: 'unknown', since: now() } };
}
