// Delete Attribute in every version, both dialects, every error a client can reach (1.4 §4.16, §11.17; 2.1 §6.1.13).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { child, children, reasonName } from '../helpers/kmip-messages.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;

const retag = (v: TtlvItem, to: number): TtlvItem => ({ ...v, tag: to }) as TtlvItem;
const text = (v: string): TtlvItem => ttlv.textString(Tag.AttributeValue, v);
const custom2x = (name: string, value?: TtlvItem): TtlvItem[] => [
  ttlv.textString(Tag.VendorIdentification, name.slice(0, 1)),
  ttlv.textString(Tag.AttributeName, name.slice(2)),
  ...(value === undefined ? [] : [retag(value, Tag.AttributeValue)]),
];

/** 1.x Delete Attribute: Attribute Name [, Attribute Index]. */
function delete1x(uid: string | undefined, name: string, index?: number) {
  return byUid(Op.DeleteAttribute, uid, [
    ttlv.textString(Tag.AttributeName, name),
    ...(index === undefined ? [] : [ttlv.integer(Tag.AttributeIndex, index)]),
  ]);
}

/** 2.x Delete Attribute: a Current Attribute, or an Attribute Reference (tag or vendor structure). */
function delete2x(uid: string | undefined, spec: { current?: TtlvItem; reference?: TtlvItem }) {
  return byUid(Op.DeleteAttribute, uid, [
    ...(spec.current === undefined ? [] : [ttlv.structure(Tag.CurrentAttribute, [spec.current])]),
    ...(spec.reference === undefined ? [] : [spec.reference]),
  ]);
}

const refTag = (tag: number): TtlvItem => ttlv.enumeration(Tag.AttributeReference, tag);
const refCustom = (name: string): TtlvItem => ttlv.structure(Tag.AttributeReference, custom2x(name));

function add(version: KmipVersion, uid: string, name1x: string, tag: number, value: TtlvItem) {
  if (version.startsWith('1.')) {
    return byUid(Op.AddAttribute, uid, [ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, name1x), retag(value, Tag.AttributeValue)])]);
  }
  const item = name1x.startsWith('x-') ? ttlv.structure(Tag.Attribute, custom2x(name1x, value)) : retag(value, tag);
  return byUid(Op.AddAttribute, uid, [ttlv.structure(Tag.NewAttribute, [item])]);
}

async function newKey(version: KmipVersion, extra: Parameters<typeof createAes>[2] = []): Promise<string> {
  return uidOf(await h.ok(version, createAes(version, 256, extra)));
}

function patch(uid: string, f: (o: ManagedObject) => ManagedObject): void {
  h.store.update(f(h.store.get(uid)!));
}

const names = (uid: string) => h.store.get(uid)!.attributes.filter((a) => a.name === 'Name').map((a) => [a.index, child(a.value, Tag.NameValue)?.value]);

for (const version of ALL_VERSIONS) {
  const v1 = version.startsWith('1.');

  t.test(`KMIP ${version}: Delete Attribute of a custom attribute and of Name instances`, async (t) => {
    const uid = await newKey(version);
    await h.ok(version, add(version, uid, 'x-attribute1', Tag.AttributeValue, text('Value1')));
    h.clock += 30n;
    const r = await h.ok(version, v1 ? delete1x(uid, 'x-attribute1') : delete2x(uid, { reference: refCustom('x-attribute1') }));
    t.equal(uidOf(r), uid);
    if (v1) {
      // SKFF-M-9: the deleted attribute comes back
      const echoed = child(r, Tag.Attribute)!;
      t.equal(child(echoed, Tag.AttributeName)?.value, 'x-attribute1');
      t.equal(child(echoed, Tag.AttributeValue)?.value, 'Value1');
    } else {
      t.same(r.type === ItemType.Structure ? r.value.map((c) => c.tag) : [], [Tag.UniqueIdentifier]);
    }
    const o = h.store.get(uid)!;
    t.notOk(o.attributes.some((a) => a.name === 'x-attribute1'), 'gone');
    t.equal(o.attributes.find((a) => a.name === 'LastChangeDate')?.value.value, h.clock, 'Last Change Date moved');

    for (const n of ['n0', 'n1', 'n2']) await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`${n}-${version}`)));
    if (v1) {
      const gone = await h.ok(version, delete1x(uid, 'Name', 1));
      t.equal(child(child(gone, Tag.Attribute)!, Tag.AttributeIndex)?.value, 1, 'the deleted instance\'s index');
      t.same(names(uid), [[0, `n0-${version}`], [2, `n2-${version}`]], 'indices do not move (1.4 §2.1.1)');
      await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`n3-${version}`)));
      t.same(names(uid).map(([i]) => i), [0, 2, 1], 'the freed index is reused');
      await h.ok(version, delete1x(uid, 'Name'));
      t.same(names(uid).map(([i]) => i), [2, 1], 'no index: index 0');
    } else {
      await h.ok(version, delete2x(uid, { current: nameValue(`n1-${version}`) }));
      t.same(names(uid), [[0, `n0-${version}`], [2, `n2-${version}`]], 'the Current Attribute instance');
      await h.ok(version, delete2x(uid, { reference: refTag(Tag.Name) }));
      t.same(names(uid), [], 'Attribute Reference alone: every instance');
    }
  });

  t.test(`KMIP ${version}: Delete Attribute errors`, async (t) => {
    const uid = await newKey(version, [{ name: 'Name', value: nameValue(`del-${version}`) }]);
    const reason = async (item: Parameters<typeof h.one>[1], identity?: string) => reasonName((await h.one(version, item, identity)).resultReason);
    const byName = (name1x: string, tag: number) => (v1 ? delete1x(uid, name1x) : delete2x(uid, { reference: refTag(tag) }));

    t.equal(await reason(byName('State', Tag.State)), v1 ? 'PermissionDenied' : 'AttributeReadOnly', 'State');
    t.equal(await reason(byName('Unique Identifier', Tag.UniqueIdentifier)), v1 ? 'PermissionDenied' : 'AttributeReadOnly', 'Unique Identifier');
    t.equal(await reason(byName('Cryptographic Algorithm', Tag.CryptographicAlgorithm)), v1 ? 'PermissionDenied' : 'AttributeReadOnly',
      'an attribute that SHALL always have a value');
    t.equal(await reason(byName('Contact Information', Tag.ContactInformation)), v1 ? 'ItemNotFound' : 'AttributeNotFound',
      'an attribute the object lacks');
    t.equal(await reason(v1 ? delete1x(uid, 'Name', 4) : delete2x(uid, { current: nameValue('nope') })),
      v1 ? 'ItemNotFound' : 'AttributeInstanceNotFound', 'no such instance');
    t.equal(await reason(v1 ? delete1x('no-such-uid', 'Name') : delete2x('no-such-uid', { reference: refTag(Tag.Name) })), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'));
    t.equal(await reason(byName('Name', Tag.Name), 'bob'), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'), 'another owner\'s object');
    if (v1) {
      t.equal(await reason(delete1x(uid, 'No Such Attribute')), 'ItemNotFound', 'a name that is no attribute');
    } else {
      t.equal(await reason(delete2x(uid, {})), 'InvalidMessage', 'neither Current Attribute nor Attribute Reference');
      t.equal(await reason(delete2x(uid, { current: nameValue(`del-${version}`), reference: refTag(Tag.ObjectGroup) })), 'InvalidField',
        'Current Attribute and Attribute Reference disagree');
    }
    const archived = await newKey(version, [{ name: 'Name', value: nameValue(`del-arch-${version}`) }]);
    patch(archived, (o) => ({ ...o, archived: true }));
    t.equal(await reason(v1 ? delete1x(archived, 'Name') : delete2x(archived, { reference: refTag(Tag.Name) })), 'ObjectArchived');
    t.same(names(uid), [[0, `del-${version}`]], 'nothing was deleted');
  });
}

t.test('the ID Placeholder names the object when the request does not', async (t) => {
  const r = await h.send({
    version: '1.3',
    items: [createAes('1.3', 256, [{ name: 'Name', value: nameValue('ph-del') }]), delete1x(undefined, 'Name')],
  });
  t.same(r.items.map((i) => reasonName(i.resultReason)), [undefined, undefined]);
  t.same(names(uidOf(r.items[0]!.payload!)), []);
  t.equal(children(r.items[1]!.payload!, Tag.Attribute).length, 1);
});
