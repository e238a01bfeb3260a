import { availableParallelism } from 'node:os';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DECODE_SLOTS, withDecodeSlot } from '../../src/main/core/archive/decode-slots';
import { deferred } from './fixtures';

describe('decode slots', () => {
  it('leave threads of the libuv pool for file I/O and never outnumber the cores', () => {
    const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    expect(DECODE_SLOTS).toBeGreaterThanOrEqual(1);
    expect(DECODE_SLOTS).toBeLessThanOrEqual(Math.max(1, threads - 2));
    expect(DECODE_SLOTS).toBeLessThanOrEqual(availableParallelism());
  });

  it('run at most DECODE_SLOTS decodes at once, the rest in the order they came, also after a failure', async () => {
    const started: number[] = [];
    const gates = Array.from({ length: DECODE_SLOTS + 3 }, () => deferred());
    const results = gates.map((gate, i) =>
      withDecodeSlot(async () => {
        started.push(i);
        await gate.promise;
        if (i === 0) throw new Error('damaged image');
        return i;
      }),
    );
    await nextMacrotask();
    expect(started).toEqual(Array.from({ length: DECODE_SLOTS }, (_, i) => i));

    // A failed decode gives its slot to the next one waiting and reports its own error.
    gates[0]!.resolve();
    await expect(results[0]).rejects.toThrow('damaged image');
    await nextMacrotask();
    expect(started).toEqual(Array.from({ length: DECODE_SLOTS + 1 }, (_, i) => i));

    for (const gate of gates) gate.resolve();
    expect(await Promise.all(results.slice(1))).toEqual(gates.slice(1).map((_, i) => i + 1));
    expect(started).toEqual(gates.map((_, i) => i));
  });
});
