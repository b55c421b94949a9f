// Revoke in every version: compromise and deactivation, the Revocation Reason attribute, the dates, and the errors
// (1.4 §4.20, §3.22, §11.21; 2.1 §6.1.44; OASIS BL-M-7/11-21, test case 4.1 of KMIP 1.1).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { child } from '../helpers/kmip-messages.js';
import { attributeValues, dateAttributeOf, opaqueObject, NOT_FOUND, reasonOf, registerItem, revokeItem, stateOf, testBytes } from '../helpers/lifecycle-items.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;
const S = Enum.State;
const R = Enum.RevocationReasonCode;

async function activeKey(version: (typeof ALL_VERSIONS)[number]): Promise<string> {
  const uid = uidOf(await h.ok(version, createAes(version)));
  await h.ok(version, byUid(Op.Activate, uid));
  return uid;
}

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Revoke for key compromise`, async (t) => {
    const uid = await activeKey(version);
    h.clock += 100n;
    const occurred = h.clock - 50n;
    t.equal(uidOf(await h.ok(version, revokeItem(uid, R.KeyCompromise, occurred, 'laptop stolen'))), uid);
    t.equal(await stateOf(h, uid, version), S.Compromised);
    t.equal(await dateAttributeOf(h, uid, 'Compromise Date', version), h.clock, 'Compromise Date = now');
    t.equal(await dateAttributeOf(h, uid, 'Compromise Occurrence Date', version), occurred, 'Compromise Occurrence Date as given');
    const [reason] = await attributeValues(h, version, uid, 'Revocation Reason');
    t.equal(child(reason!, Tag.RevocationReasonCode)?.value, R.KeyCompromise);
    t.equal(child(reason!, Tag.RevocationMessage)?.value, 'laptop stolen');
    // No occurrence date given: the Initial Date (1.4 §4.20).
    const otherCreated = h.clock;
    const other = await activeKey(version);
    h.clock += 7n;
    await h.ok(version, revokeItem(other, R.CACompromise));
    t.equal(await dateAttributeOf(h, other, 'Compromise Occurrence Date', version), otherCreated, 'the Initial Date');
    // The compromised key can be read still (KMIP 1.1 test case 4.1) and destroyed: Destroyed Compromised.
    t.equal(reasonOf(await h.one(version, byUid(Op.Get, uid))), undefined, 'a compromised key can be got');
    await h.ok(version, byUid(Op.Destroy, uid));
    t.equal(await stateOf(h, uid, version), S.DestroyedCompromised);
  });

  t.test(`KMIP ${version}: Revoke for another reason deactivates`, async (t) => {
    const uid = await activeKey(version);
    h.clock += 5n;
    await h.ok(version, revokeItem(uid, R.Superseded));
    t.equal(await stateOf(h, uid, version), S.Deactivated);
    t.equal(await dateAttributeOf(h, uid, 'Deactivation Date', version), h.clock, 'Deactivation Date = now');
    // Deactivated → Compromised (transition 8), then Destroyed → Destroyed Compromised (transition 10).
    await h.ok(version, revokeItem(uid, R.KeyCompromise));
    t.equal(await stateOf(h, uid, version), S.Compromised);
    const gone = await activeKey(version);
    await h.ok(version, revokeItem(gone, R.Unspecified));
    await h.ok(version, byUid(Op.Destroy, gone));
    await h.ok(version, revokeItem(gone, R.KeyCompromise));
    t.equal(await stateOf(h, gone, version), S.DestroyedCompromised, 'a destroyed key found compromised');
  });
}

t.test('a Pre-Active key: compromise yes, deactivation no', async (t) => {
  for (const [version, reason] of [['1.2', 'PermissionDenied'], ['2.1', 'WrongKeyLifecycleState']] as const) {
    const uid = uidOf(await h.ok(version, createAes(version)));
    t.equal(reasonOf(await h.one(version, revokeItem(uid, R.CessationOfOperation))), reason, `${version}: no Pre-Active → Deactivated transition`);
    t.equal(await stateOf(h, uid), S.PreActive);
    await h.ok(version, revokeItem(uid, R.KeyCompromise));
    t.equal(await stateOf(h, uid), S.Compromised, 'transition 3');
    t.equal(reasonOf(await h.one(version, revokeItem(uid, R.KeyCompromise))), reason, 'Compromised twice: no such transition');
  }
});

t.test('an Opaque Object revoked for compromise (BL-M-11-21 form)', async (t) => {
  const uid = uidOf(await h.ok('2.1', registerItem('2.1', Enum.ObjectType.OpaqueObject, opaqueObject(testBytes(12, 1)), [])));
  await h.ok('2.1', revokeItem(uid, R.KeyCompromise, 946735200n, 'Security Breach...'));
  t.equal(await stateOf(h, uid), S.Compromised, 'Opaque Objects can be revoked too (1.4 §4.20)');
});

t.test('Revoke errors', async (t) => {
  const uid = await activeKey('2.1');
  t.match(reasonOf(await h.one('2.1', revokeItem('no-such', R.KeyCompromise))), NOT_FOUND);
  t.match(reasonOf(await h.one('2.1', revokeItem(uid, R.KeyCompromise), 'bob')), NOT_FOUND, "bob cannot revoke alice's key");
  t.equal(reasonOf(await h.one('2.1', revokeItem(uid, 0x55))), 'InvalidField', 'unknown reason: Invalid Field');
  t.equal(reasonOf(await h.one('1.4', revokeItem(uid, 0x80000001))), 'InvalidField', 'extension reason: not recognized');
  t.equal(reasonOf(await h.one('1.4', revokeItem(uid, R.Superseded, h.clock))), 'InvalidField', 'an occurrence date with a non-compromise reason');
  t.equal(reasonOf(await h.one('2.1', { operation: Op.Revoke, payload: [ttlv.textString(Tag.UniqueIdentifier, uid)] })), 'InvalidMessage', 'no Revocation Reason');
  t.equal(await stateOf(h, uid), S.Active, 'still Active after all that');
  const template = uidOf(await h.ok('1.1', registerItem('1.1', Enum.ObjectType.Template, ttlv.structure(Tag.Template, []))));
  t.equal(reasonOf(await h.one('1.1', revokeItem(template, R.KeyCompromise))), 'IllegalOperation', 'a Template: Illegal Operation');
  await h.ok('2.1', byUid(Op.Archive, uid));
  t.equal(reasonOf(await h.one('2.1', revokeItem(uid, R.KeyCompromise))), 'ObjectArchived');
});

t.test('Revoke through the ID Placeholder', async (t) => {
  const r = await h.send({ version: '1.4', items: [createAes('1.4'), byUid(Op.Activate, undefined), revokeItem(undefined, R.AffiliationChanged), byUid(Op.Destroy, undefined)] });
  t.same(r.items.map(reasonOf), [undefined, undefined, undefined, undefined]);
  t.equal(await stateOf(h, uidOf(r.items[0]!.payload!)), S.Destroyed);
});
