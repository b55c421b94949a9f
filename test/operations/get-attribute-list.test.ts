// Get Attribute List in every version: 1.x Attribute Names, 2.x Attribute References, each attribute once, only what
// the version defines (1.4 §4.13, §11.14; 2.1 §6.1.21).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { child, children, reasonName, undefinedIn } from '../helpers/kmip-messages.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;

let serial = 0;

async function newKey(version: KmipVersion): Promise<string> {
  const n = ++serial;
  const uid = uidOf(await h.ok(version, createAes(version, 256, [{ name: 'Name', value: nameValue(`gal-${n}`) }])));
  // a second Name and a custom attribute, straight into the store
  patch(uid, (o) => ({
    ...o,
    attributes: [
      ...o.attributes,
      { name: 'Name', index: 1, value: nameValue(`gal-${n}-2`) },
      { name: 'x-Barcode', index: 0, value: ttlv.textString(Tag.AttributeValue, 'BC1234') },
    ],
  }));
  return uid;
}

function patch(uid: string, f: (o: ManagedObject) => ManagedObject): void {
  h.store.update(f(h.store.get(uid)!));
}

/** The listed names: 1.x text; 2.x tag values as hex, vendor references as "vendor-name". */
function listed(version: KmipVersion, payload: TtlvItem): string[] {
  if (version.startsWith('1.')) return children(payload, Tag.AttributeName).map((n) => n.value as string);
  return children(payload, Tag.AttributeReference).map((r) =>
    r.type === ItemType.Enumeration ? `0x${r.value.toString(16)}` : `${child(r, Tag.VendorIdentification)?.value}-${child(r, Tag.AttributeName)?.value}`);
}

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Get Attribute List`, async (t) => {
    const uid = await newKey(version);
    const r = await h.ok(version, byUid(Op.GetAttributeList, uid));
    t.equal(uidOf(r), uid);
    const names = listed(version, r);
    t.equal(new Set(names).size, names.length, 'each attribute once');
    const hex = (tag: number): string => `0x${tag.toString(16)}`;
    if (version.startsWith('1.')) {
      for (const n of ['Unique Identifier', 'Object Type', 'Name', 'State', 'Cryptographic Algorithm', 'Digest', 'x-Barcode']) {
        t.ok(names.includes(n), `lists ${n}`);
      }
      t.equal(names.includes('Fresh'), version !== '1.0', 'Fresh only from 1.1');
    } else {
      for (const tag of [Tag.UniqueIdentifier, Tag.ObjectType, Tag.Name, Tag.State, Tag.CryptographicAlgorithm]) t.ok(names.includes(hex(tag)), hex(tag));
      t.ok(names.includes('x-Barcode'), 'vendor attribute as Vendor Identification + Attribute Name (TL-M-3-21)');
    }
    t.same(undefinedIn(r, version), [], 'nothing the version does not define');
  });
}

t.test('the ID Placeholder names the object (TL-M-3)', async (t) => {
  for (const version of ['1.4', '2.1'] as const) {
    const r = await h.send({ version, items: [createAes(version), byUid(Op.GetAttributeList, undefined)] });
    t.same(r.items.map((i) => reasonName(i.resultReason)), [undefined, undefined]);
    t.equal(uidOf(r.items[1]!.payload!), uidOf(r.items[0]!.payload!));
  }
});

t.test('2.x Attribute References narrow the list', async (t) => {
  const uid = await newKey('2.1');
  const r = await h.ok('2.1', byUid(Op.GetAttributeList, uid, [
    ttlv.enumeration(Tag.AttributeReference, Tag.Name),
    ttlv.enumeration(Tag.AttributeReference, Tag.ContactInformation),
  ]));
  t.same(listed('2.1', r), [`0x${Tag.Name.toString(16)}`]);
});

t.test('a destroyed object keeps its metadata (SKFF-M-9)', async (t) => {
  const uid = await newKey('1.2');
  patch(uid, (o) => ({ ...o, state: Enum.State.Destroyed, material: undefined }));
  t.ok(listed('1.2', await h.ok('1.2', byUid(Op.GetAttributeList, uid))).includes('Name'));
});

t.test('Get Attribute List errors', async (t) => {
  const uid = await newKey('2.1');
  for (const version of ['1.1', '2.1'] as const) {
    t.equal(reasonName((await h.one(version, byUid(Op.GetAttributeList, 'no-such-uid'))).resultReason), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'));
    t.equal(reasonName((await h.one(version, byUid(Op.GetAttributeList, uid), 'bob')).resultReason), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'), 'another owner');
    t.equal(reasonName((await h.one(version, byUid(Op.GetAttributeList, undefined))).resultReason), 'MissingData', 'no UID, no placeholder');
  }
  const archived = await newKey('1.4');
  patch(archived, (o) => ({ ...o, archived: true }));
  t.equal(reasonName((await h.one('1.4', byUid(Op.GetAttributeList, archived))).resultReason), 'ObjectArchived');
});
