// Modify Attribute in every version, both dialects, every error a client can reach, and the date-driven transitions
// a modified date triggers (1.4 §4.15, §11.16, §3.22; 2.1 §6.1.34).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { child, reasonName } from '../helpers/kmip-messages.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;

const retag = (v: TtlvItem, to: number): TtlvItem => ({ ...v, tag: to }) as TtlvItem;
const text = (v: string): TtlvItem => ttlv.textString(Tag.AttributeValue, v);

/** 2.x attribute item: the value with its tag, or a custom Attribute structure. */
function item2x(name1x: string, tag: number, value: TtlvItem): TtlvItem {
  if (!name1x.startsWith('x-') && !name1x.startsWith('y-')) return retag(value, tag);
  return ttlv.structure(Tag.Attribute, [
    ttlv.textString(Tag.VendorIdentification, name1x.slice(0, 1)),
    ttlv.textString(Tag.AttributeName, name1x.slice(2)),
    retag(value, Tag.AttributeValue),
  ]);
}

/** 1.x: Attribute {Name, Index?, Value}; 2.x: [Current Attribute,] New Attribute. */
function modify(version: KmipVersion, uid: string | undefined, name1x: string, tag: number, value: TtlvItem, which?: { index?: number; current?: TtlvItem }) {
  if (version.startsWith('1.')) {
    return byUid(Op.ModifyAttribute, uid, [ttlv.structure(Tag.Attribute, [
      ttlv.textString(Tag.AttributeName, name1x),
      ...(which?.index === undefined ? [] : [ttlv.integer(Tag.AttributeIndex, which.index)]),
      retag(value, Tag.AttributeValue),
    ])]);
  }
  return byUid(Op.ModifyAttribute, uid, [
    ...(which?.current === undefined ? [] : [ttlv.structure(Tag.CurrentAttribute, [item2x(name1x, tag, which.current)])]),
    ttlv.structure(Tag.NewAttribute, [item2x(name1x, tag, value)]),
  ]);
}

function add(version: KmipVersion, uid: string, name1x: string, tag: number, value: TtlvItem) {
  if (version.startsWith('1.')) {
    return byUid(Op.AddAttribute, uid, [ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, name1x), retag(value, Tag.AttributeValue)])]);
  }
  return byUid(Op.AddAttribute, uid, [ttlv.structure(Tag.NewAttribute, [item2x(name1x, tag, value)])]);
}

async function newKey(version: KmipVersion, extra: Parameters<typeof createAes>[2] = [], identity = 'alice'): Promise<string> {
  return uidOf(await h.ok(version, createAes(version, 256, extra), identity));
}

function patch(uid: string, f: (o: ManagedObject) => ManagedObject): void {
  h.store.update(f(h.store.get(uid)!));
}

const valuesOf = (uid: string, name: string) => h.store.get(uid)!.attributes.filter((a) => a.name === name).map((a) => [a.index, a.value.type === ItemType.Structure ? child(a.value, Tag.NameValue)?.value : a.value.value]);

for (const version of ALL_VERSIONS) {
  const v1 = version.startsWith('1.');

  t.test(`KMIP ${version}: Modify Attribute of a custom attribute and of one Name among two`, async (t) => {
    const uid = await newKey(version);
    await h.ok(version, add(version, uid, 'x-attribute1', Tag.AttributeValue, text('Value1')));
    h.clock += 50n;
    const r = await h.ok(version, modify(version, uid, 'x-attribute1', Tag.AttributeValue, text('ModifiedValue1')));
    t.equal(uidOf(r), uid);
    if (v1) {
      // SKFF-M-9: the modified attribute comes back with its new value
      const echoed = child(r, Tag.Attribute)!;
      t.equal(child(echoed, Tag.AttributeName)?.value, 'x-attribute1');
      t.equal(child(echoed, Tag.AttributeValue)?.value, 'ModifiedValue1');
    } else {
      t.same(r.type === ItemType.Structure ? r.value.map((c) => c.tag) : [], [Tag.UniqueIdentifier]);
    }
    t.same(valuesOf(uid, 'x-attribute1'), [[0, 'ModifiedValue1']]);
    t.equal(h.store.get(uid)!.attributes.find((a) => a.name === 'LastChangeDate')?.value.value, h.clock, 'Last Change Date moved');

    await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`a-${version}`)));
    await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`b-${version}`)));
    const which = v1 ? { index: 1 } : { current: nameValue(`b-${version}`) };
    const renamed = await h.ok(version, modify(version, uid, 'Name', Tag.Name, nameValue(`c-${version}`), which));
    if (v1) t.equal(child(child(renamed, Tag.Attribute)!, Tag.AttributeIndex)?.value, 1, 'index 1 echoed');
    t.same(valuesOf(uid, 'Name'), [[0, `a-${version}`], [1, `c-${version}`]], 'only the named instance changed, in place');
  });

  t.test(`KMIP ${version}: Modify Attribute errors`, async (t) => {
    const uid = await newKey(version, [{ name: 'Name', value: nameValue(`own-${version}`) }]);
    const reason = async (item: Parameters<typeof h.one>[1], identity?: string) => reasonName((await h.one(version, item, identity)).resultReason);

    // BL-M-7-21: State is read-only; so are server-set attributes (BL-M-10-21)
    t.equal(await reason(modify(version, uid, 'State', Tag.State, ttlv.enumeration(0, Enum.State.Compromised))),
      v1 ? 'PermissionDenied' : 'AttributeReadOnly', 'State');
    t.equal(await reason(modify(version, uid, 'Cryptographic Length', Tag.CryptographicLength, ttlv.integer(0, 128))),
      v1 ? 'PermissionDenied' : 'AttributeReadOnly', 'Cryptographic Length');
    t.equal(await reason(modify(version, uid, 'Contact Information', Tag.ContactInformation, text('x'))),
      v1 ? 'InvalidField' : 'AttributeNotFound', 'an attribute the object lacks');
    t.equal(await reason(modify(version, uid, 'Contact Information', Tag.ContactInformation, ttlv.integer(0, 1))),
      v1 ? 'InvalidField' : 'InvalidAttributeValue', 'a value of the wrong item type');
    t.equal(await reason(modify(version, 'no-such-uid', 'x-A', Tag.AttributeValue, text('a'))), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'));
    t.equal(await reason(modify(version, uid, 'Name', Tag.Name, nameValue('z')), 'bob'), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'), 'another owner\'s object');

    // the instance named does not exist
    t.equal(await reason(modify(version, uid, 'Name', Tag.Name, nameValue('z'), v1 ? { index: 3 } : { current: nameValue('nope') })),
      v1 ? 'ItemNotFound' : 'AttributeInstanceNotFound', 'no such instance');
    if (!v1) {
      await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`second-${version}`)));
      t.equal(await reason(modify(version, uid, 'Name', Tag.Name, nameValue('z'))), 'AttributeInstanceNotFound',
        'two instances and no Current Attribute');
      const mixed = byUid(Op.ModifyAttribute, uid, [
        ttlv.structure(Tag.CurrentAttribute, [nameValue(`own-${version}`)]),
        ttlv.structure(Tag.NewAttribute, [ttlv.textString(Tag.ContactInformation, 'x')]),
      ]);
      t.equal(await reason(mixed), 'InvalidField', 'Current and New Attribute of different attributes');
    }

    // names stay unique per owner; a name may be "changed" to itself (Synology echoes it)
    await newKey(version, [{ name: 'Name', value: nameValue(`taken-${version}`) }]);
    t.equal(await reason(modify(version, uid, 'Name', Tag.Name, nameValue(`taken-${version}`), v1 ? {} : { current: nameValue(`own-${version}`) })),
      v1 ? 'IllegalOperation' : 'NonUniqueNameAttribute', 'another object\'s name');
    t.equal(await reason(modify(version, uid, 'Name', Tag.Name, nameValue(`own-${version}`), v1 ? {} : { current: nameValue(`own-${version}`) })),
      undefined, 'its own name');

    // SKLC-M-3: the Activation Date of an Active key cannot change
    const active = await newKey(version, [{ name: 'Activation Date', value: ttlv.dateTime(0, h.clock - 5n) }]);
    t.equal(h.store.get(active)!.state, Enum.State.Active);
    t.equal(await reason(modify(version, active, 'Activation Date', Tag.ActivationDate, ttlv.dateTime(0, h.clock))),
      v1 ? 'PermissionDenied' : 'WrongKeyLifecycleState', 'Activation Date of an Active key');

    const archived = await newKey(version, [{ name: 'Name', value: nameValue(`arch-${version}`) }]);
    patch(archived, (o) => ({ ...o, archived: true }));
    t.equal(await reason(modify(version, archived, 'Name', Tag.Name, nameValue(`arch2-${version}`))), 'ObjectArchived');
  });

  t.test(`KMIP ${version}: dates moved to the past activate, then deactivate (1.4 §3.22 transitions 4 and 6)`, async (t) => {
    const uid = await newKey(version, [
      { name: 'Activation Date', value: ttlv.dateTime(0, h.clock + 1000n) },
      { name: 'Deactivation Date', value: ttlv.dateTime(0, h.clock + 5000n) },
    ]);
    t.equal(h.store.get(uid)!.state, Enum.State.PreActive);
    await h.ok(version, modify(version, uid, 'Activation Date', Tag.ActivationDate, ttlv.dateTime(0, h.clock - 1n)));
    t.equal(h.store.get(uid)!.state, Enum.State.Active, 'Active');
    await h.ok(version, modify(version, uid, 'Deactivation Date', Tag.DeactivationDate, ttlv.dateTime(0, h.clock)));
    const o = h.store.get(uid)!;
    t.equal(o.state, Enum.State.Deactivated, 'Deactivated');
    t.equal(o.attributes.find((a) => a.name === 'State')?.value.value, Enum.State.Deactivated, 'State attribute mirrored');
  });
}

t.test('Synology: Modify Attribute of Name, echoed back', async (t) => {
  const uid = await newKey('1.1', [{ name: 'Name', value: nameValue('syno-old') }]);
  const r = await h.ok('1.1', modify('1.1', uid, 'Name', Tag.Name, nameValue('syno-new')));
  const echoed = child(r, Tag.Attribute)!;
  t.equal(child(echoed, Tag.AttributeName)?.value, 'Name');
  t.equal(child(child(echoed, Tag.AttributeValue)!, Tag.NameValue)?.value, 'syno-new');
  t.same(valuesOf(uid, 'Name'), [[0, 'syno-new']]);
});

t.test('TL-M-3-21: a 2.x custom attribute modified without Current Attribute', async (t) => {
  // added rather than created with the key: Create's 2.x policy check wants a Structure for a custom attribute
  const uid = await newKey('2.1');
  await h.ok('2.1', add('2.1', uid, 'x-VendorAttribute3', Tag.AttributeValue, ttlv.dateTime(0, 1n)));
  await h.ok('2.1', modify('2.1', uid, 'x-VendorAttribute3', Tag.AttributeValue, ttlv.dateTime(0, h.clock)));
  t.same(valuesOf(uid, 'x-VendorAttribute3'), [[0, h.clock]]);
});

t.test('Sensitive set False clears Always Sensitive; Extractable set True clears Never Extractable', async (t) => {
  for (const version of ['1.4', '2.1'] as const) {
    const uid = await newKey(version, [
      { name: 'Sensitive', value: ttlv.boolean(0, true) },
      { name: 'Extractable', value: ttlv.boolean(0, false) },
    ]);
    // Create sets both from the client's values (1.4 §3.49, §3.51).
    t.same(valuesOf(uid, 'AlwaysSensitive'), [[0, true]], `${version}: Always Sensitive after Create`);
    t.same(valuesOf(uid, 'NeverExtractable'), [[0, true]], `${version}: Never Extractable after Create`);
    await h.ok(version, modify(version, uid, 'Sensitive', Tag.Sensitive, ttlv.boolean(0, false)));
    await h.ok(version, modify(version, uid, 'Extractable', Tag.Extractable, ttlv.boolean(0, true)));
    t.same(valuesOf(uid, 'AlwaysSensitive'), [[0, false]], `${version}: Always Sensitive`);
    t.same(valuesOf(uid, 'NeverExtractable'), [[0, false]], `${version}: Never Extractable`);
  }
});

t.test('the ID Placeholder names the object when the request does not', async (t) => {
  const r = await h.send({
    version: '1.2',
    items: [createAes('1.2', 256, [{ name: 'Name', value: nameValue('placeholder-1') }]), modify('1.2', undefined, 'Name', Tag.Name, nameValue('placeholder-2'))],
  });
  t.same(r.items.map((i) => reasonName(i.resultReason)), [undefined, undefined]);
  t.same(valuesOf(uidOf(r.items[0]!.payload!), 'Name'), [[0, 'placeholder-2']]);
});
