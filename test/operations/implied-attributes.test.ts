// The attributes the server sets on a new object (1.4 §3.20, §3.44, §3.48–§3.51; 2.1 §4.26, §4.44, §4.56), through
// Create, Register and Re-key against a real SoftHSM token and SQLite file, each shown only in versions defining it.
import { createHash } from 'node:crypto';
import t from 'tap';
import { Enum, Mask } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { impliedAttributes, LEASE_TIME_SECONDS } from '../../src/operations/implied-attributes.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { child, children } from '../helpers/kmip-messages.js';
import { opaqueObject, registerAes, registerItem, testBytes } from '../helpers/lifecycle-items.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;

/** Attribute name (1.x text, or 2.x tag name) → value item, from a Get Attributes payload of `version`. */
function shown(version: KmipVersion, payload: TtlvItem): Map<string, TtlvItem> {
  const out = new Map<string, TtlvItem>();
  if (version.startsWith('1.')) {
    for (const a of children(payload, Tag.Attribute)) out.set(String(child(a, Tag.AttributeName)?.value), child(a, Tag.AttributeValue)!);
  } else {
    const set = child(payload, Tag.Attributes);
    for (const a of set?.type === ItemType.Structure ? set.value : []) out.set(Object.entries(Tag).find(([, v]) => v === a.tag)?.[0] ?? '?', a);
  }
  return out;
}

async function attributesOf(version: KmipVersion, uid: string): Promise<Map<string, TtlvItem>> {
  return shown(version, await h.ok(version, byUid(Op.GetAttributes, uid)));
}

const v = (item: TtlvItem | undefined): unknown => item?.value;

t.test('Create: every implied attribute, in the versions that define it', async (t) => {
  for (const version of ALL_VERSIONS) {
    const uid = uidOf(await h.ok(version, createAes(version)));
    const a = await attributesOf(version, uid);
    const has14 = version === '1.4' || version.startsWith('2.');
    const v2 = version.startsWith('2.');
    const name = (n1: string, n2: string) => (v2 ? n2 : n1);
    t.equal(v(a.get(name('Lease Time', 'LeaseTime'))), LEASE_TIME_SECONDS, `${version}: Lease Time`);
    t.equal(v(a.get(name('Sensitive', 'Sensitive'))), has14 ? false : undefined, `${version}: Sensitive`);
    t.equal(v(a.get(name('Always Sensitive', 'AlwaysSensitive'))), has14 ? false : undefined, `${version}: Always Sensitive`);
    t.equal(v(a.get(name('Extractable', 'Extractable'))), has14 ? true : undefined, `${version}: Extractable`);
    t.equal(v(a.get(name('Never Extractable', 'NeverExtractable'))), has14 ? false : undefined, `${version}: Never Extractable`);
    const rng = a.get(name('Random Number Generator', 'RandomNumberGenerator'));
    const has13 = has14 || version === '1.3';
    t.equal(rng === undefined ? undefined : v(child(rng, Tag.RNGAlgorithm)), has13 ? Enum.RNGAlgorithm.Unspecified : undefined, `${version}: RNG`);
    t.equal(v(a.get('KeyFormatType')), v2 ? Enum.KeyFormatType.Raw : undefined, `${version}: Key Format Type attribute`);
    t.equal(v(a.get('ProtectionStorageMask')), v2 ? Mask.ProtectionStorageMask.Software : undefined, `${version}: Protection Storage Mask`);
    const short = a.get('ShortUniqueIdentifier');
    t.same(short === undefined ? undefined : Buffer.from(short.value as Uint8Array), v2 ? createHash('sha256').update(uid).digest() : undefined, `${version}: Short Unique Identifier`);
    // A 1.0 Digest has no Key Format Type (1.0 Table 58); 1.1 added it.
    const digest = a.get('Digest')!;
    t.equal(child(digest, Tag.KeyFormatType) === undefined, version === '1.0', `${version}: Digest Key Format Type`);
  }
});

t.test('Always Sensitive and Never Extractable start from the client\'s values', async (t) => {
  for (const version of ['1.4', '2.1'] as const) {
    const uid = uidOf(await h.ok(version, createAes(version, 128, [
      { name: 'Sensitive', value: ttlv.boolean(0, true) },
      { name: 'Extractable', value: ttlv.boolean(0, false) },
    ])));
    const a = await attributesOf(version, uid);
    const n = (x: string) => (version === '2.1' ? x.replace(/ /g, '') : x);
    t.equal(v(a.get(n('Always Sensitive'))), true, `${version}: Always Sensitive`);
    t.equal(v(a.get(n('Never Extractable'))), true, `${version}: Never Extractable`);
    t.equal(v(a.get(n('Sensitive'))), true);
    t.equal(v(a.get(n('Extractable'))), false);
  }
});

t.test('Register: no Random Number Generator (the client made the object); no Lease Time on an Opaque Object', async (t) => {
  const key = uidOf(await h.ok('2.1', registerAes('2.1', testBytes(32, 3))));
  const a = await attributesOf('2.1', key);
  t.equal(a.get('RandomNumberGenerator'), undefined);
  t.equal(v(a.get('LeaseTime')), LEASE_TIME_SECONDS);
  t.equal(v(a.get('KeyFormatType')), Enum.KeyFormatType.Raw, 'the registered format');
  t.ok(a.get('ShortUniqueIdentifier'));
  const opaque = uidOf(await h.ok('2.1', registerItem('2.1', Enum.ObjectType.OpaqueObject, opaqueObject(testBytes(20, 4)))));
  const o = await attributesOf('2.1', opaque);
  t.equal(o.get('LeaseTime'), undefined, '1.x applies Lease Time to cryptographic objects only');
  t.equal(o.get('RandomNumberGenerator'), undefined);
  t.equal(v(o.get('Sensitive')), false);
  t.ok(o.get('ShortUniqueIdentifier'));
});

t.test('Re-key: a new Short Unique Identifier and Random Number Generator for the replacement', async (t) => {
  const old = uidOf(await h.ok('2.1', createAes('2.1')));
  const fresh = uidOf(await h.ok('2.1', { operation: Op.ReKey, payload: [ttlv.textString(Tag.UniqueIdentifier, old)] }));
  const a = await attributesOf('2.1', fresh);
  t.same(Buffer.from(a.get('ShortUniqueIdentifier')!.value as Uint8Array), createHash('sha256').update(fresh).digest());
  t.equal(v(child(a.get('RandomNumberGenerator')!, Tag.RNGAlgorithm)), Enum.RNGAlgorithm.Unspecified);
});

t.test('impliedAttributes keeps what the object already has', async (t) => {
  const given = [{ name: 'LeaseTime', index: 0, value: ttlv.interval(Tag.LeaseTime, 60) }];
  const out = impliedAttributes({ uid: 'u', objectType: Enum.ObjectType.SymmetricKey, attributes: given, generated: false });
  t.notOk(out.some((a) => a.name === 'LeaseTime'));
  t.notOk(out.some((a) => a.name === 'RandomNumberGenerator'));
  t.notOk(out.some((a) => a.name === 'KeyFormatType'));
});
