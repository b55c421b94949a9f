// Re-key in every version: a new key with the existing key's attributes, the names moved, the links, the Offset
// table, the ID Placeholder, and the errors (1.4 §4.4, Tables 172–173, §11.5; 2.1 §6.1.46; KMIP 1.1 test cases 9.1–9.4).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { child } from '../helpers/kmip-messages.js';
import {
  attrs, attributeValues, dateAttr, dateAttributeOf, NOT_FOUND, reasonOf, registerItem, revokeItem, secretData, stateOf, testBytes,
  type Attr,
} from '../helpers/lifecycle-items.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;
const S = Enum.State;
const L = Enum.LinkType;

function reKeyItem(version: KmipVersion, uid: string | undefined, offset?: number, list: readonly Attr[] = []) {
  return {
    operation: Op.ReKey,
    payload: [
      ...(uid === undefined ? [] : [ttlv.textString(Tag.UniqueIdentifier, uid)]),
      ...(offset === undefined ? [] : [ttlv.interval(Tag.Offset, offset)]),
      ...(list.length === 0 ? [] : [attrs(version, list)]),
    ],
  };
}

async function keyBytes(version: KmipVersion, uid: string): Promise<Uint8Array> {
  const got = await h.ok(version, byUid(Op.Get, uid));
  return child(child(child(child(got, Tag.SymmetricKey)!, Tag.KeyBlock)!, Tag.KeyValue)!, Tag.KeyMaterial)!.value as Uint8Array;
}

async function linkTo(version: KmipVersion, uid: string, type: number): Promise<string | undefined> {
  const link = (await attributeValues(h, version, uid, 'Link')).find((l) => child(l, Tag.LinkType)?.value === type);
  return link === undefined ? undefined : (child(link, Tag.LinkedObjectIdentifier)?.value as string);
}

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Re-key (test case 9.1)`, async (t) => {
    const name = `rekeyKey-${version}`;
    // A 2.x Vendor Attribute with a Text String value is refused today (attribute-policy's 2.x rule lacks
    // anyValueType; reported), so the custom attribute is checked in 1.x.
    const custom = version.startsWith('1.') ? [{ name: 'x-Owner', value: ttlv.textString(0, 'team-a') }] : [];
    const old = uidOf(await h.ok(version, createAes(version, 128, [{ name: 'Name', value: nameValue(name) }, ...custom])));
    h.clock += 20n;
    const r = await h.send({ version, items: [reKeyItem(version, old), byUid(Op.Get, undefined)] });
    t.same(r.items.map(reasonOf), [undefined, undefined]);
    const fresh = uidOf(r.items[0]!.payload!);
    t.not(fresh, old, 'a new Unique Identifier');
    t.equal(uidOf(r.items[1]!.payload!), fresh, 'the ID Placeholder holds the new key');
    t.equal((await attributeValues(h, version, fresh, 'Name'))[0] !== undefined, true, 'the new key has the name');
    t.same((await attributeValues(h, version, old, 'Name')), [], 'the existing key has none');
    t.equal(child((await attributeValues(h, version, fresh, 'Name'))[0]!, Tag.NameValue)?.value, name);
    t.equal((await attributeValues(h, version, fresh, 'Cryptographic Length'))[0]?.value, 128, 'length copied');
    t.equal((await attributeValues(h, version, fresh, 'Cryptographic Usage Mask'))[0]?.value, 0x0c, 'usage mask copied');
    if (custom.length > 0) t.equal((await attributeValues(h, version, fresh, 'x-Owner'))[0]?.value, 'team-a', 'custom attribute copied');
    t.equal(await dateAttributeOf(h, fresh, 'Initial Date', version), h.clock, 'Initial Date = now');
    t.equal(await linkTo(version, old, L.ReplacementObjectLink), fresh, 'existing → Replacement Object Link');
    t.equal(await linkTo(version, fresh, L.ReplacedObjectLink), old, 'new → Replaced Object Link');
    t.equal(await stateOf(h, fresh, version), S.PreActive, 'no dates: Pre-Active');
    const [a, b] = [await keyBytes(version, old), await keyBytes(version, fresh)];
    t.equal(b.length, 16);
    t.notSame(Buffer.from(a), Buffer.from(b), 'new key material; the old key is still retrievable');
    const [d1] = await attributeValues(h, version, fresh, 'Digest');
    t.same(Buffer.from(child(d1!, Tag.DigestValue)!.value as Uint8Array), (await import('node:crypto')).createHash('sha256').update(b).digest(), 'Digest recomputed');
    t.equal(reasonOf(await h.one(version, reKeyItem(version, old))), 'PermissionDenied', 'a key has one replacement');
  });
}

t.test('Offset moves the dates (1.4 Table 172; test case 9.2)', async (t) => {
  const at1 = h.clock - 1000n;
  const dt1 = h.clock - 10n;
  const old = uidOf(await h.ok('1.4', createAes('1.4', 256, [dateAttr('Activation Date', at1), { name: 'Deactivation Date', value: ttlv.dateTime(0, dt1) }])));
  t.equal(await stateOf(h, old), S.Deactivated, 'expired');
  const fresh = uidOf(await h.ok('1.4', reKeyItem('1.4', old, 0)));
  t.equal(await dateAttributeOf(h, fresh, 'Activation Date'), h.clock, 'AT2 = IT2 + 0');
  t.equal(await dateAttributeOf(h, fresh, 'Deactivation Date'), dt1 + (h.clock - at1), 'DT2 = DT1 + (AT2 − AT1)');
  t.equal(await stateOf(h, fresh), S.Active, 'active now, deactivated later');
  const later = uidOf(await h.ok('2.1', createAes('2.1', 256, [dateAttr('Activation Date', at1)])));
  const moved = uidOf(await h.ok('2.1', reKeyItem('2.1', later, 3600)));
  t.equal(await dateAttributeOf(h, moved, 'Activation Date'), h.clock + 3600n);
  t.equal(await stateOf(h, moved), S.PreActive, 'activates in an hour');
});

t.test('without Offset the dates are copied; a compromised key re-keys (test case 9.3)', async (t) => {
  const at1 = h.clock - 100n;
  const old = uidOf(await h.ok('1.1', createAes('1.1', 128, [dateAttr('Activation Date', at1)])));
  await h.ok('1.1', revokeItem(old, Enum.RevocationReasonCode.KeyCompromise, h.clock));
  const fresh = uidOf(await h.ok('1.1', reKeyItem('1.1', old)));
  t.equal(await dateAttributeOf(h, fresh, 'Activation Date'), at1);
  t.equal(await stateOf(h, fresh), S.Active);
  t.same(await attributeValues(h, '2.1', fresh, 'Revocation Reason'), [], 'Revocation Reason not copied');
  t.same(await attributeValues(h, '2.1', fresh, 'Compromise Date'), [], 'Compromise Date not copied');
});

t.test("the request's attributes override (test case 9.4)", async (t) => {
  const old = uidOf(await h.ok('1.1', createAes('1.1', 128)));
  const dates = [dateAttr('Activation Date', 1136113200n), dateAttr('Process Start Date', 1136113200n), dateAttr('Protect Stop Date', 1577876400n), dateAttr('Deactivation Date', 1577876400n)];
  const fresh = uidOf(await h.ok('1.1', reKeyItem('1.1', old, undefined, dates)));
  t.equal(await dateAttributeOf(h, fresh, 'Protect Stop Date'), 1577876400n);
  t.equal(await stateOf(h, fresh), S.Deactivated, 'its dates are past');
  t.equal(reasonOf(await h.one('1.1', reKeyItem('1.1', fresh, 10, [dateAttr('Activation Date', h.clock)]))), 'InvalidMessage', 'Offset with a date: Invalid Message');
});

t.test('Re-key errors', async (t) => {
  t.match(reasonOf(await h.one('2.1', reKeyItem('2.1', 'missing'))), NOT_FOUND);
  const uid = uidOf(await h.ok('2.1', createAes('2.1')));
  t.match(reasonOf(await h.one('2.1', reKeyItem('2.1', uid), 'bob')), NOT_FOUND, "bob cannot re-key alice's key");
  const secret = uidOf(await h.ok('2.1', registerItem('2.1', Enum.ObjectType.SecretData, secretData(testBytes(8, 1)))));
  t.equal(reasonOf(await h.one('2.1', reKeyItem('2.1', secret))), 'InvalidObjectType', 'not a symmetric key (2.x)');
  t.equal(reasonOf(await h.one('1.4', reKeyItem('1.4', secret))), 'PermissionDenied', 'not a symmetric key (1.x)');
  const gone = uidOf(await h.ok('1.4', createAes('1.4')));
  await h.ok('1.4', byUid(Op.Destroy, gone));
  t.equal(reasonOf(await h.one('1.4', reKeyItem('1.4', gone))), 'KeyValueNotPresent', 'destroyed: Key Value Not Present');
  t.equal(reasonOf(await h.one('1.1', reKeyItem('1.1', gone))), 'PermissionDenied', 'destroyed, 1.1: Permission Denied');
  const noActivation = uidOf(await h.ok('1.4', createAes('1.4', 256, [{ name: 'Deactivation Date', value: ttlv.dateTime(0, h.clock + 99n) }])));
  t.equal(reasonOf(await h.one('1.4', reKeyItem('1.4', noActivation, 5))), 'IllegalOperation', 'Offset without an Activation Date to move from');
  await h.ok('2.1', byUid(Op.Archive, uid));
  t.equal(reasonOf(await h.one('2.1', reKeyItem('2.1', uid))), 'ObjectArchived');
  t.equal((await h.one('2.1', reKeyItem('2.1', undefined))).resultReason !== undefined, true, 'no UID, no placeholder');
  const typed = await h.one('2.1', { operation: Op.ReKey, payload: [ttlv.textString(Tag.UniqueIdentifier, uid), ttlv.integer(Tag.Offset, 3)] });
  t.equal(reasonOf(typed), 'InvalidMessage', 'Offset must be an Interval');
  t.equal(ItemType.Interval, 0x0a);
});

t.test('2.x Re-key: an EMPTY Template-Attribute (PyKMIP 0.10 sends one) is dropped; one with content is Invalid Field', async (t) => {
  const uid = uidOf(await h.ok('2.0', createAes('2.0')));
  const ok = await h.one('2.0', byUid(Enum.Operation.ReKey, uid, [ttlv.structure(Tag.TemplateAttribute, [])]));
  t.equal(ok.resultStatus, Enum.ResultStatus.Success);
  const uid2 = uidOf(await h.ok('2.1', createAes('2.1')));
  const bad = await h.one('2.1', byUid(Enum.Operation.ReKey, uid2, [
    ttlv.structure(Tag.TemplateAttribute, [ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'x-A'), ttlv.textString(Tag.AttributeValue, 'a')])]),
  ]));
  t.equal(bad.resultReason, Enum.ResultReason.InvalidField);
});
