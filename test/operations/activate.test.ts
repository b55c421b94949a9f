// Activate in every version and its errors, and the full lifecycle Create → Activate → Get → Revoke → Destroy → Get
// (1.4 §4.19, §11.20; 2.1 §6.1.1; OASIS SKLC-M-1/2, AKLC-M-2).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { Tag } from '../../src/kmip/tag.js';
import { dateAttributeOf, opaqueObject, NOT_FOUND, reasonOf, registerItem, revokeItem, stateOf, testBytes } from '../helpers/lifecycle-items.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;
const S = Enum.State;
const R = Enum.RevocationReasonCode;

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Activate a Pre-Active key`, async (t) => {
    const uid = uidOf(await h.ok(version, createAes(version)));
    h.clock += 10n;
    const r = await h.ok(version, byUid(Op.Activate, uid));
    t.equal(uidOf(r), uid, 'the response names the object');
    t.equal(await stateOf(h, uid, version), S.Active);
    t.equal(await dateAttributeOf(h, uid, 'Activation Date', version), h.clock, 'Activation Date = now');
    const again = await h.one(version, byUid(Op.Activate, uid));
    t.equal(reasonOf(again), version.startsWith('1.') ? 'PermissionDenied' : 'WrongKeyLifecycleState', 'Active already');
  });

  t.test(`KMIP ${version}: the full lifecycle`, async (t) => {
    const uid = uidOf(await h.ok(version, createAes(version)));
    await h.ok(version, byUid(Op.Activate, uid));
    await h.ok(version, byUid(Op.Get, uid));
    const early = await h.one(version, byUid(Op.Destroy, uid));
    t.equal(reasonOf(early), version.startsWith('1.') ? 'PermissionDenied' : 'WrongKeyLifecycleState', 'an Active key is not destroyed (AKLC-M-2)');
    await h.ok(version, revokeItem(uid, R.CessationOfOperation));
    t.equal(await stateOf(h, uid, version), S.Deactivated);
    await h.ok(version, byUid(Op.Destroy, uid));
    t.equal(await stateOf(h, uid, version), S.Destroyed);
    const get = await h.one(version, byUid(Op.Get, uid));
    t.equal(reasonOf(get), version.startsWith('1.') ? 'ItemNotFound' : 'ObjectDestroyed', 'Get after Destroy (BL-M-8-21)');
  });
}

t.test('Activate errors', async (t) => {
  t.match(reasonOf(await h.one('2.1', byUid(Op.Activate, 'no-such-object'))), NOT_FOUND);
  t.equal(reasonOf(await h.one('1.0', byUid(Op.Activate, undefined))), 'MissingData', 'no UID and no ID Placeholder');
  const uid = uidOf(await h.ok('2.1', createAes('2.1')));
  t.match(reasonOf(await h.one('2.1', byUid(Op.Activate, uid), 'bob')), NOT_FOUND, "bob cannot activate alice's key");
  t.equal(await stateOf(h, uid), S.PreActive, 'and it stays Pre-Active');
  // An Opaque Object is not a cryptographic object in 1.x (1.4 §2.2): Illegal Operation; 2.x activates any object.
  const opaque = uidOf(await h.ok('1.4', registerItem('1.4', Enum.ObjectType.OpaqueObject, opaqueObject(testBytes(8, 1)))));
  t.equal(reasonOf(await h.one('1.4', byUid(Op.Activate, opaque))), 'IllegalOperation', '1.x Opaque Object: Illegal Operation');
  t.equal(reasonOf(await h.one('2.1', byUid(Op.Activate, opaque))), undefined, '2.x: any Managed Object');
  // A Template (1.x) cannot be activated.
  const template = uidOf(await h.ok('1.2', registerItem('1.2', Enum.ObjectType.Template, ttlv.structure(Tag.Template, []))));
  t.equal(reasonOf(await h.one('1.2', byUid(Op.Activate, template))), 'IllegalOperation', 'Template: Illegal Operation');
  const archived = uidOf(await h.ok('2.1', createAes('2.1')));
  await h.ok('2.1', byUid(Op.Archive, archived));
  t.equal(reasonOf(await h.one('2.1', byUid(Op.Activate, archived))), 'ObjectArchived', 'an archived object: Object Archived');
  const destroyed = uidOf(await h.ok('1.4', createAes('1.4')));
  await h.ok('1.4', byUid(Op.Destroy, destroyed));
  t.equal(reasonOf(await h.one('1.4', byUid(Op.Activate, destroyed))), 'PermissionDenied', 'destroyed (1.x): Permission Denied');
  t.equal(reasonOf(await h.one('2.1', byUid(Op.Activate, destroyed))), 'WrongKeyLifecycleState', 'destroyed (2.x)');
  t.equal(reasonOf(await h.one('2.1', { operation: Op.Activate, payload: [ttlv.integer(Tag.UniqueIdentifier, 3)] })), 'InvalidMessage', 'a UID of the wrong type');
});

t.test('a batch Create → Activate → Get uses the ID Placeholder; the audit names the object', async (t) => {
  const r = await h.send({ version: '2.0', items: [createAes('2.0'), byUid(Op.Activate, undefined), byUid(Op.Get, undefined)] });
  t.same(r.items.map(reasonOf), [undefined, undefined, undefined]);
  const uid = uidOf(r.items[0]!.payload!);
  t.equal(uidOf(r.items[1]!.payload!), uid);
  const records = h.audit.records.filter((x) => x.operation === 'Activate');
  t.ok(records.some((x) => x.uniqueIdentifiers.includes(uid)), 'Activate audited with its UID');
});
