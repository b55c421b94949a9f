// Destroy in every version: the allowed states, the wiped material, the kept metadata, the reused name, and the
// errors (1.4 §4.21, §11.22; 2.1 §6.1.15; OASIS AKLC-M-2, SKLC-M-2, OMOS-M-1, BL-M-8-21).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { dateAttributeOf, nameAttr, NOT_FOUND, reasonOf, registerAes, registerItem, revokeItem, stateOf, testBytes, usageMask } from '../helpers/lifecycle-items.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;
const S = Enum.State;

for (const version of ALL_VERSIONS) {
  const v1 = version.startsWith('1.');
  t.test(`KMIP ${version}: Destroy a Pre-Active key`, async (t) => {
    const uid = uidOf(await h.ok(version, createAes(version, 256, [{ name: 'Name', value: nameValue(`d-${version}`) }])));
    h.clock += 3n;
    t.equal(uidOf(await h.ok(version, byUid(Op.Destroy, uid))), uid);
    t.equal(await stateOf(h, uid, version), S.Destroyed, 'metadata kept: Get Attributes answers');
    t.equal(await dateAttributeOf(h, uid, 'Destroy Date', version), h.clock, 'Destroy Date = now');
    t.equal(h.store.get(uid)?.material, undefined, 'the sealed material is gone');
    t.equal(reasonOf(await h.one(version, byUid(Op.Get, uid))), v1 ? 'ItemNotFound' : 'ObjectDestroyed', 'Get fails');
    t.equal(reasonOf(await h.one(version, byUid(Op.Destroy, uid))), v1 ? 'PermissionDenied' : 'ObjectDestroyed', 'destroyed already (1.4 §11.22)');
    t.equal(reasonOf(await h.one(version, createAes(version, 256, [{ name: 'Name', value: nameValue(`d-${version}`) }]))), undefined, 'the name may be used again');
  });

  t.test(`KMIP ${version}: an Active key is refused, a Deactivated one destroyed (AKLC-M-2)`, async (t) => {
    const uid = uidOf(await h.ok(version, createAes(version)));
    await h.ok(version, byUid(Op.Activate, uid));
    t.equal(reasonOf(await h.one(version, byUid(Op.Destroy, uid))), v1 ? 'PermissionDenied' : 'WrongKeyLifecycleState');
    t.equal(await stateOf(h, uid, version), S.Active);
    await h.ok(version, revokeItem(uid, Enum.RevocationReasonCode.CessationOfOperation));
    await h.ok(version, byUid(Op.Destroy, uid));
    t.equal(await stateOf(h, uid, version), S.Destroyed);
  });
}

t.test('Destroy errors and access', async (t) => {
  t.match(reasonOf(await h.one('2.1', byUid(Op.Destroy, 'nothing-here'))), NOT_FOUND);
  const uid = uidOf(await h.ok('1.4', registerAes('1.4', testBytes(16, 1), [usageMask(4), nameAttr('bobs-target')])));
  t.match(reasonOf(await h.one('1.4', byUid(Op.Destroy, uid), 'bob')), NOT_FOUND, "bob cannot destroy alice's key");
  t.equal(await stateOf(h, uid), S.PreActive);
  await h.ok('1.4', byUid(Op.Archive, uid));
  t.equal(reasonOf(await h.one('1.4', byUid(Op.Destroy, uid))), 'ObjectArchived', 'archived: Object Archived');
  await h.ok('1.4', byUid(Op.Recover, uid));
  await h.ok('1.4', byUid(Op.Destroy, uid));
  const template = uidOf(await h.ok('1.3', registerItem('1.3', Enum.ObjectType.Template, ttlv.structure(Tag.Template, []), [nameAttr('t')])));
  t.equal(reasonOf(await h.one('1.3', byUid(Op.Destroy, template))), undefined, 'a Template can be destroyed');
});

t.test('destroyed key bytes are gone from the database files', async (t) => {
  const key = testBytes(32, 99);
  const uid = uidOf(await h.ok('2.1', registerAes('2.1', key)));
  await h.ok('2.1', byUid(Op.Destroy, uid));
  const { existsSync, readFileSync } = await import('node:fs');
  for (const f of ['kmipd.db', 'kmipd.db-wal']) {
    const path = `${h.dir}/${f}`;
    if (existsSync(path)) t.equal(readFileSync(path).indexOf(Buffer.from(key)), -1, `${f} does not hold the key`);
  }
});
