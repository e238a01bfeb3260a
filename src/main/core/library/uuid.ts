import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then randomness. Ids sort by creation time as plain
 * strings, which keeps the jobs' id index append-mostly and makes ties on `created_at` stable.
 *
 * Within one millisecond the 12-bit `rand_a` field is a counter (RFC 9562 §6.2, method 1) so ids made
 * by one process stay strictly increasing; a counter overflow borrows the next millisecond.
 */
export function createUuidV7Generator(now: () => number): () => string {
  let lastMs = -1;
  let counter = 0;
  return () => {
    let ms = Math.max(Math.floor(now()), 0);
    if (ms <= lastMs) {
      ms = lastMs;
      counter += 1;
      if (counter > 0xfff) {
        ms += 1;
        counter = randomBytes(1)[0] ?? 0;
      }
    } else {
      // Start low in the 12-bit space so a burst within one ms rarely overflows.
      counter = randomBytes(1)[0] ?? 0;
    }
    lastMs = ms;
    const bytes = randomBytes(16);
    const high = Math.floor(ms / 2 ** 16);
    bytes.writeUInt32BE(high >>> 0, 0);
    bytes.writeUInt16BE(ms % 2 ** 16, 4);
    bytes.writeUInt16BE(0x7000 | counter, 6);
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
