// rewrapAll: after a KEK rotation, every older blob is re-sealed under the current version, in batches.
import t from 'tap';
import { makeTestToken, SOFTHSM_MODULE } from './fixtures/softhsm.js';
import type { SealedMaterial } from '../../src/keystore/key-store.js';
import type { RewrapPage, RewrappedRow } from '../../src/keystore/rewrap.js';

const token = makeTestToken('kmipd-rewrap-test', 'rewrap-test-pin');
t.teardown(() => token.cleanup());
const { openPkcs11KeyStore } = await import('../../src/keystore/pkcs11-store.js');
const { rewrapAll } = await import('../../src/keystore/rewrap.js');

const store = openPkcs11KeyStore({ module: SOFTHSM_MODULE, tokenLabel: token.label, pin: token.pin });
t.teardown(() => store.close());

const material = (i: number): Uint8Array => new Uint8Array(32).fill(i & 0xff);
const uid = (i: number): string => `obj-${String(i).padStart(4, '0')}`;

t.test('old blobs are re-sealed under the current KEK; a bad blob is reported and left alone', async (t) => {
  // An in-memory stand-in for the object store: uid → sealed blob.
  const rows = new Map<string, SealedMaterial>();
  for (let i = 0; i < 45; i++) rows.set(uid(i), store.seal(uid(i), material(i)));
  const corrupt = Uint8Array.from(rows.get(uid(7))!.blob);
  corrupt[20]! ^= 1;
  rows.set(uid(7), { blob: corrupt, kekVersion: 1 });
  t.equal(store.rotateKek(), 2);
  rows.set(uid(45), store.seal(uid(45), material(45))); // already current: not touched

  const pages: RewrapPage[] = [];
  const updates: (readonly RewrappedRow[])[] = [];
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 0);
  const result = await rewrapAll(
    store,
    (page) => {
      pages.push(page);
      return [...rows]
        .filter(([u, s]) => s.kekVersion < page.belowVersion && (page.afterUid === undefined || u > page.afterUid))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, page.limit)
        .map(([u, s]) => ({ uid: u, sealed: s }));
    },
    async (batch) => {
      updates.push(batch);
      for (const row of batch) if (rows.get(row.uid) === row.previous) rows.set(row.uid, row.sealed);
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
    { batchSize: 10 },
  );
  clearInterval(ticker);

  t.equal(result.kekVersion, 2);
  t.equal(result.rewrapped, 44);
  t.same(result.failed.map((f) => f.uid), [uid(7)]);
  t.match(result.failed[0]!.reason, /does not authenticate/);
  t.equal(result.batches, 5, '45 old rows in pages of 10');
  t.ok(updates.every((b) => b.length <= 10), 'updates come in batches');
  t.ok(ticks > 0, 'the event loop ran between batches');
  t.ok(pages.every((p) => p.belowVersion === 2 && p.limit === 10));
  for (let i = 0; i <= 45; i++) {
    const sealed = rows.get(uid(i))!;
    if (i === 7) {
      t.equal(sealed.kekVersion, 1, 'the corrupt row is left as it was');
      continue;
    }
    t.equal(sealed.kekVersion, 2);
    t.same(Buffer.from(store.open(uid(i), sealed)), Buffer.from(material(i)));
  }

  const again = await rewrapAll(store, () => [], () => {
    t.fail('nothing to update');
  });
  t.same(again, { kekVersion: 2, rewrapped: 0, failed: [], batches: 0 }, 'a second run finds nothing to do');
});

t.test('a bad batch size is refused', async (t) => {
  await t.rejects(rewrapAll(store, () => [], () => {}, { batchSize: 0 }), RangeError);
});
