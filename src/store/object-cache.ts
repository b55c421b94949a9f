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

export class ObjectCache {
  readonly #entries = new Map<string, ManagedObject>();
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
        this.#entries.clear();
        this.#version = version;
      }
      if (!inTransaction) this.#checkedAt = now;
    }
    return this.#entries.get(uid);
  }

  set(object: ManagedObject): void {
    this.#entries.delete(object.uid);
    if (this.#entries.size >= OBJECT_CACHE_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(object.uid, object);
  }

  delete(uid: string): void {
    this.#entries.delete(uid);
  }

  /** After a rollback: an entry read or written inside it may show what was undone. */
  clear(): void {
    this.#entries.clear();
  }
}
