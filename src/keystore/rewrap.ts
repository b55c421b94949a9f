// Online KEK rotation (DESIGN: key custody): re-seals every blob made under an older KEK version with the current
// one, a batch at a time, yielding to the event loop between batches so the server keeps serving.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { KeyStoreError, type KeyStore, type SealedMaterial } from './key-store.js';

/** One stored blob, as the object store hands it out. */
export interface SealedRow {
  readonly uid: string;
  readonly sealed: SealedMaterial;
}

/** A re-sealed row: the store writes `sealed` only if the row still holds `previous` (it may have changed meanwhile). */
export interface RewrappedRow {
  readonly uid: string;
  readonly sealed: SealedMaterial;
  readonly previous: SealedMaterial;
}

export interface RewrapPage {
  /** Only rows whose KEK version is below this one. */
  readonly belowVersion: number;
  /** Only rows whose UID sorts after this one (undefined: from the start); the pages follow UID order. */
  readonly afterUid: string | undefined;
  readonly limit: number;
}

/** Returns the next page of rows, in UID order; fewer than `limit` rows means the last page. */
export type IterateSealed = (page: RewrapPage) => readonly SealedRow[] | Promise<readonly SealedRow[]>;
/** Stores one batch of re-sealed rows, ideally in one transaction. */
export type UpdateSealed = (rows: readonly RewrappedRow[]) => void | Promise<void>;

export interface RewrapOptions {
  /** Rows per batch (default 200): each batch holds the event loop for about batch / 30k seconds. */
  readonly batchSize?: number;
}

export interface RewrapResult {
  /** The KEK version every re-sealed blob now carries. */
  readonly kekVersion: number;
  readonly rewrapped: number;
  /** Rows whose blob did not open (altered, or its KEK gone): left as they are, for the operator to look at. */
  readonly failed: readonly { readonly uid: string; readonly reason: string }[];
  readonly batches: number;
}

export const DEFAULT_REWRAP_BATCH = 200;

/**
 * Re-seals under `keystore.currentKekVersion` every row `iterate` yields with an older KEK version. A token that
 * becomes unavailable aborts the run (KeyStoreError, unavailable); running it again resumes, as done rows no longer
 * match. Plaintext is zeroed as soon as it is re-sealed.
 */
export async function rewrapAll(
  keystore: KeyStore,
  iterate: IterateSealed,
  update: UpdateSealed,
  options: RewrapOptions = {},
): Promise<RewrapResult> {
  const batchSize = options.batchSize ?? DEFAULT_REWRAP_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive whole number, not ${batchSize}`);
  const target = keystore.currentKekVersion;
  const failed: { uid: string; reason: string }[] = [];
  let rewrapped = 0;
  let batches = 0;
  let afterUid: string | undefined;
  for (;;) {
    const rows = await iterate({ belowVersion: target, afterUid, limit: batchSize });
    const out: RewrappedRow[] = [];
    for (const row of rows) {
      if (row.sealed.kekVersion >= target) continue;
      let plain: Uint8Array;
      try {
        plain = keystore.open(row.uid, row.sealed);
      } catch (error) {
        if (error instanceof KeyStoreError && !error.unavailable) {
          failed.push({ uid: row.uid, reason: error.message });
          continue;
        }
        throw error;
      }
      try {
        out.push({ uid: row.uid, sealed: keystore.seal(row.uid, plain), previous: row.sealed });
      } finally {
        plain.fill(0);
      }
    }
    if (out.length > 0) {
      await update(out);
      rewrapped += out.length;
    }
    if (rows.length > 0) batches++;
    if (rows.length < batchSize) break;
    afterUid = rows[rows.length - 1]!.uid;
    await yieldToEventLoop();
  }
  return { kekVersion: target, rewrapped, failed, batches };
}
