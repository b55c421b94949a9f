// The object store interface operations see (DESIGN: storage): transactional, synchronous (better-sqlite3),
// with Locate answered by indexed queries.
import type { ManagedObject } from '../model/managed-object.js';
import type { SealedMaterial } from '../keystore/key-store.js';
import type { LocateQuery } from './locate-query.js';

export interface ObjectStore {
  /**
   * Runs `fn` in a transaction: committed when it returns (durable at once without group commit, by the time
   * durable() resolves with it), rolled back when it throws. Nested calls are savepoints, so an Undo batch can wrap its items. Synchronous: `fn` must not await.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Resolves once every transaction returned so far is committed durably; rejects if that commit (or the sync
   * of the WAL that makes it durable) failed. With group commit the COMMIT comes after the current turn of the
   * event loop and the sync after it; without, this is already resolved. `now`: the caller's request is alone (the
   * only one in flight, from the only client of late), so the open group is committed and synced at once, on the
   * caller's thread.
   */
  durable(now?: boolean): Promise<void>;
  /** Adds a new object; assigns its sequence. Throws if the UID exists. */
  insert(object: ManagedObject): void;
  /** Replaces an object's state, attributes and material. */
  update(object: ManagedObject): void;
  get(uid: string): ManagedObject | undefined;
  /** UIDs matching every filter, newest first, after offset, at most maxItems. */
  locate(query: LocateQuery): string[];
  /**
   * Objects whose material was sealed under a KEK version below `kekVersion`, in UID order after `afterUid`, at
   * most `limit`: the pages of a re-wrap after a KEK rotation.
   */
  sealedBelow(kekVersion: number, afterUid: string | undefined, limit: number): { uid: string; material: SealedMaterial }[];
  /** Replaces the sealed material if it is still `previous` (it may have changed meanwhile); true when replaced. */
  replaceMaterial(uid: string, previous: SealedMaterial, next: SealedMaterial): boolean;
  /** Objects whose Activation or Deactivation Date has passed but whose state has not moved: for the sweep. */
  dueForStateChange(nowSeconds: bigint, limit: number): string[];
  close(): void;
}
