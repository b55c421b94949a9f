// KEK rotation with objects in the store: every blob is re-sealed under the new KEK and still opens (DESIGN: key custody).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { rewrapObjects } from '../../src/operations/rewrap-objects.js';
import { child } from '../helpers/kmip-messages.js';
import { byUid, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());

const keyOf = async (uid: string): Promise<string> => {
  const got = await h.ok('2.1', byUid(Enum.Operation.Get, uid));
  const m = child(child(child(child(got, Tag.SymmetricKey)!, Tag.KeyBlock)!, Tag.KeyValue)!, Tag.KeyMaterial)!;
  return Buffer.from(m.value as Uint8Array).toString('hex');
};

t.test('rotate, re-seal, and every key still opens with the same bytes', async (t) => {
  const uids: string[] = [];
  for (let i = 0; i < 25; i++) uids.push(uidOf(await h.ok('2.1', createAes('2.1'))));
  const before = new Map<string, string>();
  for (const uid of uids) before.set(uid, await keyOf(uid));
  const oldBlobs = new Map(uids.map((u) => [u, Buffer.from(h.store.get(u)!.material!.blob).toString('hex')]));

  t.equal(h.services.keys.rotateKek(), 2);
  const r = await rewrapObjects(h.services, 10);
  t.equal(r.rewrapped, 25);
  t.equal(r.failed.length, 0);
  t.ok(r.batches >= 3, 'in batches');
  for (const uid of uids) {
    const m = h.store.get(uid)!.material!;
    t.equal(m.kekVersion, 2, 'sealed under KEK 2');
    t.not(Buffer.from(m.blob).toString('hex'), oldBlobs.get(uid), 'a new blob');
    t.equal(await keyOf(uid), before.get(uid), 'the same key bytes');
  }
  const again = await rewrapObjects(h.services);
  t.equal(again.rewrapped, 0, 'a second run finds nothing to do');
  t.equal(h.services.keys.refresh(), 2);
});
