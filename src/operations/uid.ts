// Unique Identifiers of new objects (1.4 §3.1; 2.1 §4.1): UUIDv7 text (RFC 9562 §5.7), increasing in creation order.
import { randomFillSync } from 'node:crypto';

/**
 * Random UUIDs (v4) put every new object at a random place in each b-tree keyed by UID: the objects' UID index and
 * the attributes table. Each Create then dirtied its own page of each, which its commit wrote whole to the WAL,
 * and a group commit of N Creates wrote N of them. Time-ordered UIDs append at the right edge, so the Creates of
 * a group share those pages. KMIP gives a UID no meaning (1.4 §3.1), and what v7 shows, the creation
 * millisecond, any reader of the object can see in its Initial Date.
 */
let lastMs = 0;
/** RFC 9562 §6.2 method 1: rand_a (12 bits) counts within a millisecond, so UIDs increase strictly. */
let counter = 0;
const pool = Buffer.alloc(8 * 256);
let poolOffset = pool.length;

function random8(): Buffer {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += 8;
  return pool.subarray(poolOffset - 8, poolOffset);
}

export function newUid(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 UIDs within one millisecond: borrow the next one, as §6.2 allows
    lastMs++;
    counter = 0;
  }
  const rand = random8();
  const hex = lastMs.toString(16).padStart(12, '0');
  const a = (0x7000 | counter).toString(16);
  rand[0] = (rand[0]! & 0x3f) | 0x80; // variant 10
  const b = rand.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${a}-${b.slice(0, 4)}-${b.slice(4, 16)}`;
}
