// The server process's garbage-collector setting (no spec section; bench/README.md, paced cells): the old
// generation may grow to four times what survived the last full collection before the next one starts.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 starts a full (mark-compact) collection when the old generation outgrows the live heap by a margin it
 * picks itself, and under kmipd's load it picked ~8 MiB: with ~16 MiB live, one every ~1.7 s at 9,000
 * Gets/s, and with the object cache full one every 2–4 s under Creates. On two cores each one slows the event
 * loop for 20–40 ms (marking steps on the main thread, and the concurrent markers take the other core from the
 * unseal worker and the clients), and requests queue behind it: those collections were the p99 and p999 at
 * half of the peak rate (bench/README.md). With a factor of 4 the margin is three times the live heap (48 MiB
 * at 16 MiB live), so they come several times less often; each costs the same (its work follows the live heap,
 * not the garbage), and memory stays bounded at four times the live heap. V8 reads this flag at each
 * collection, so setting it at start-up is enough.
 */
export const HEAP_GROWING_PERCENT = 300;

/** Applies the setting unless the process was started with its own (`node --heap-growing-percent=N`). */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
