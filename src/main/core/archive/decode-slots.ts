/**
 * sharp decodes on libuv's thread pool: the same few threads (4 unless UV_THREADPOOL_SIZE says otherwise)
 * that carry every asynchronous file operation. When every download slot is decoding at once, the writes
 * of the downloads still arriving wait behind those decodes and their transfers stall. So image work
 * takes one of a few decode slots, leaving at least two threads for file I/O, and never more slots than
 * cores: more decodes at once would only share the same cores.
 */
import { availableParallelism } from 'node:os';
import { PriorityPool } from './pool';

const THREAD_POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

export const DECODE_SLOTS = Math.max(1, Math.min(availableParallelism(), THREAD_POOL_SIZE - 2));

const slots = new PriorityPool({ concurrency: DECODE_SLOTS });
let nextKey = 0;

/** Runs `decode` once a slot is free, first come first served, and settles as it does. */
export function withDecodeSlot<T>(decode: () => Promise<T>): Promise<T> {
  return slots.add(0, String(nextKey++), () => decode());
}
