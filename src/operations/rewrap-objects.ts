// Re-seals every stored object under the current KEK after a rotation (DESIGN: key custody — the KEK can be
// rotated online): pages in UID order, one transaction per batch, the event loop free between batches.
import { rewrapAll, type RewrapResult } from '../keystore/rewrap.js';
import type { ObjectServices } from './operation.js';

export function rewrapObjects(svc: Pick<ObjectServices, 'store' | 'keys'>, batchSize?: number): Promise<RewrapResult> {
  return rewrapAll(
    svc.keys,
    ({ belowVersion, afterUid, limit }) =>
      svc.store.sealedBelow(belowVersion, afterUid, limit).map((r) => ({ uid: r.uid, sealed: r.material })),
    (rows) =>
      svc.store.transaction(() => {
        // A row that changed meanwhile (destroyed, re-sealed) is skipped: the next run finds it if still needed.
        for (const r of rows) svc.store.replaceMaterial(r.uid, r.previous, r.sealed);
      }),
    batchSize === undefined ? {} : { batchSize },
  );
}
