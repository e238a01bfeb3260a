import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PriorityPool } from '../../src/main/core/archive/pool';
import { InvalidInputError } from '../../src/main/core/errors';
import { deferred } from './fixtures';

const pools: PriorityPool[] = [];
function makePool(concurrency?: number): PriorityPool {
  const pool = new PriorityPool(concurrency === undefined ? {} : { concurrency });
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

/** Occupies the single slot of a concurrency-1 pool until `release` is called. */
function blocker(pool: PriorityPool, order: string[]): { release: () => void } {
  const gate = deferred();
  void pool.add(-Infinity, 'blocker', async () => {
    order.push('blocker');
    await gate.promise;
  });
  return { release: gate.resolve };
}

describe('PriorityPool', () => {
  it('runs lower priority numbers first and equal ones in the order added', async () => {
    const pool = makePool(1);
    const order: string[] = [];
    const block = blocker(pool, order);
    for (const [priority, key] of [
      [5, 'e'],
      [1, 'a'],
      [3, 'c'],
      [1, 'b'],
      [3, 'd'],
    ] as const) {
      void pool.add(priority, key, async () => void order.push(key));
    }
    expect(pool.pendingCount).toBe(5);
    block.release();
    await pool.onIdle();
    expect(order).toEqual(['blocker', 'a', 'b', 'c', 'd', 'e']);
  });

  it('keeps priority order over many interleaved additions', async () => {
    const pool = makePool(1);
    const order: string[] = [];
    const block = blocker(pool, order);
    // A fixed linear congruential sequence: varied priorities with many ties, the same on every run.
    let seed = 12345;
    const expected: Array<{ priority: number; seq: number; key: string }> = [];
    for (let seq = 0; seq < 300; seq++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const priority = seed % 40;
      const key = `k${seq}`;
      expected.push({ priority, seq, key });
      void pool.add(priority, key, async () => void order.push(key));
    }
    block.release();
    await pool.onIdle();
    expected.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    expect(order).toEqual(['blocker', ...expected.map((e) => e.key)]);
  });

  it('never runs more tasks at once than its concurrency', async () => {
    const pool = makePool(2);
    const gate = deferred();
    let running = 0;
    let peak = 0;
    const ran: number[] = [];
    for (let i = 0; i < 6; i++) {
      void pool.add(i, `t${i}`, async () => {
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        ran.push(i);
        running -= 1;
      });
    }
    expect([pool.activeCount, pool.pendingCount]).toEqual([2, 4]);
    gate.resolve();
    await pool.onIdle();
    expect(peak).toBe(2);
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('defaults to four tasks at once', async () => {
    const pool = makePool();
    const gate = deferred();
    for (let i = 0; i < 6; i++) void pool.add(0, `t${i}`, () => gate.promise);
    expect([pool.concurrency, pool.activeCount, pool.pendingCount]).toEqual([4, 4, 2]);
    gate.resolve();
    await pool.onIdle();
  });

  it('does not add a key that is waiting or running, and accepts it again once done', async () => {
    const pool = makePool(1);
    const order: string[] = [];
    const block = blocker(pool, order);
    let calls = 0;
    const first = pool.add(1, 'k', async () => ++calls);
    const second = pool.add(1, 'k', async () => 100);
    expect(second).toBe(first);
    const duplicateOfRunning = pool.add(0, 'blocker', async () => order.push('second blocker'));
    block.release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    await duplicateOfRunning;
    expect(order).toEqual(['blocker']);
    expect(pool.has('k')).toBe(false);
    expect(await pool.add(1, 'k', async () => ++calls)).toBe(2);
  });

  it('moves a waiting task up when it is added again with a sooner priority', async () => {
    const pool = makePool(1);
    const order: string[] = [];
    const block = blocker(pool, order);
    void pool.add(5, 'y', async () => void order.push('y'));
    void pool.add(7, 'z', async () => void order.push('z'));
    void pool.add(9, 'x', async () => void order.push('x'));
    void pool.add(1, 'x', async () => void order.push('x again'));
    void pool.add(8, 'y', async () => void order.push('y again'));
    block.release();
    await pool.onIdle();
    expect(order).toEqual(['blocker', 'x', 'y', 'z']);
  });

  it('settles each promise with its task outcome and keeps going after a failure', async () => {
    const pool = makePool(1);
    const failure = new Error('disk on fire');
    const failed = pool.add(0, 'bad', async () => {
      throw failure;
    });
    const thrownSync = pool.add(0, 'sync', () => {
      throw failure;
    });
    const ok = pool.add(1, 'good', async () => 'done');
    await expect(failed).rejects.toBe(failure);
    await expect(thrownSync).rejects.toBe(failure);
    await expect(ok).resolves.toBe('done');
  });

  it('does not report an ignored task failure as an unhandled rejection', async () => {
    const pool = makePool(1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      void pool.add(0, 'ignored', async () => {
        throw new Error('nobody listens');
      });
      await pool.onIdle();
      await nextMacrotask();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('resolves onIdle at once when empty, otherwise after the last task', async () => {
    const pool = makePool(2);
    await pool.onIdle();
    const gate = deferred();
    let finished = 0;
    for (let i = 0; i < 3; i++) {
      void pool.add(i, `t${i}`, async () => {
        await gate.promise;
        finished += 1;
      });
    }
    const idle = pool.onIdle().then(() => finished);
    gate.resolve();
    expect(await idle).toBe(3);
  });

  it('stop() aborts running tasks, awaits their cleanup, rejects waiting ones and refuses new ones', async () => {
    const pool = makePool(1);
    let cleanedUp = false;
    let signalSeen: AbortSignal | undefined;
    const started = deferred();
    const running = pool.add(0, 'running', async (signal) => {
      signalSeen = signal;
      started.resolve();
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await nextMacrotask();
      cleanedUp = true;
      throw signal.reason;
    });
    let waitingRan = false;
    const waiting = pool.add(1, 'waiting', async () => {
      waitingRan = true;
    });
    await started.promise;

    const stopped = pool.stop();
    expect(pool.stop()).toBe(stopped);
    expect(signalSeen?.aborted).toBe(true);
    expect(cleanedUp).toBe(false);
    await stopped;
    expect(cleanedUp).toBe(true);
    expect(pool.activeCount).toBe(0);

    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(waitingRan).toBe(false);
    let lateRan = false;
    await expect(
      pool.add(0, 'late', async () => {
        lateRan = true;
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(lateRan).toBe(false);
    await pool.onIdle();
  });

  it('stops when disposed', async () => {
    const pool = makePool(1);
    const aborted = pool.add(
      0,
      'a',
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    await pool[Symbol.asyncDispose]();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });

  it.each([0, 1.5, -2])('refuses a concurrency of %s', (concurrency) => {
    expect(() => new PriorityPool({ concurrency })).toThrow(InvalidInputError);
  });
});
