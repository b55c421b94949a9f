// The store's cache of decoded objects (DESIGN: storage): bounded, and never showing what the database no longer
// holds. The store drops or replaces an entry when it writes the object and empties the cache on any rollback;
// commits by other connections are noticed through SQLite's PRAGMA data_version.
import type { ManagedObject } from '../model/managed-object.js';

/**
 * Storage fleets Get and poll the same few thousand keys all day, and reading an object's attribute rows and
 * decoding each was a fifth of a Get (bench/README.md). Only sealed material is kept, never plaintext; the oldest
 * goes first. An entry is ~3 KiB of heap for a key of ~20 attributes, and every full collection marks them all:
 * with 10,000 entries (~30 MiB) one took ~40 ms of wall time under Creates, 22 ms of it on the event loop, and the
 * requests queued behind it were the paced p99; with 4,096 (~12 MiB), 21 and 12 ms.
 */
export const OBJECT_CACHE_ENTRIES = 4096;
/** How stale a read outside a transaction may be with respect to another process's commit. */
const DATA_VERSION_RECHECK_MS = 1;
/**
 * Objects just written wait apart, in a short queue, for the request that follows a write (the Activate after a
 * Create). In the main cache every Create pushed out a polled key, and each entry lived long enough to be
 * promoted to the old generation, so a stream of Creates fed the full collections (bench/README.md). Here an entry
 * is gone, or read again (into the main cache), within a few hundred writes.
 */
export const WRITTEN_ENTRIES = 256;

export class ObjectCache {
  /** Objects read, the oldest first. */
  readonly #entries = new Map<string, ManagedObject>();
  /** Objects written and not read since from the database, the oldest first; never also in #entries. */
  readonly #written = new Map<string, ManagedObject>();
  #version: unknown;
  /** When data_version was last read outside a transaction (performance.now()). */
  #checkedAt = -Infinity;

  /**
   * `dataVersion` reads PRAGMA data_version, which changes when another connection commits (`kmipd token
   * rotate-kek` re-seals rows from another process).
   */
  constructor(private readonly dataVersion: () => unknown) {
    this.#version = dataVersion();
  }

  /**
   * The cached object, after making sure no other connection committed since. Reading data_version costs about
   * as much as the rest of a hit, so: inside a write transaction (the lock held, nobody else can commit) it is
   * always read, and no write builds on another process's stale row; a plain read checks once a millisecond, so it
   * may be that old, like a read that arrived a millisecond earlier.
   */
  get(uid: string, inTransaction: boolean): ManagedObject | undefined {
    const now = performance.now();
    if (inTransaction || now - this.#checkedAt >= DATA_VERSION_RECHECK_MS) {
      const version = this.dataVersion();
      if (version !== this.#version) {
        this.clear();
        this.#version = version;
      }
      if (!inTransaction) this.#checkedAt = now;
    }
    return this.#written.get(uid) ?? this.#entries.get(uid);
  }

  /** An object as read from the database. */
  set(object: ManagedObject): void {
    this.#written.delete(object.uid);
    putBounded(this.#entries, object, OBJECT_CACHE_ENTRIES);
  }

  /** An object as just written. */
  setWritten(object: ManagedObject): void {
    this.#entries.delete(object.uid);
    putBounded(this.#written, object, WRITTEN_ENTRIES);
  }

  delete(uid: string): void {
    this.#entries.delete(uid);
    this.#written.delete(uid);
  }

  /** After a rollback: an entry read or written inside it may show what was undone. */
  clear(): void {
    this.#entries.clear();
    this.#written.clear();
  }
}

/** Puts `object` last, dropping the oldest entry when `map` is full. */
function putBounded(map: Map<string, ManagedObject>, object: ManagedObject, bound: number): void {
  map.delete(object.uid);
  if (map.size >= bound) map.delete(map.keys().next().value!);
  map.set(object.uid, object);
}
