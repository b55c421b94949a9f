// Add Attribute in every version, both dialects, every error a client can reach (1.4 §4.14, §11.15; 2.1 §6.1.2).
// PyKMIP 0.10 has no Add Attribute payload, so the requests are built here as raw TTLV.
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
const V1: readonly KmipVersion[] = ['1.0', '1.1', '1.2', '1.3', '1.4'];

/** An attribute in the request's dialect: 1.x Attribute {Name, Index?, Value}; 2.x New Attribute {item}. */
function newAttribute(version: KmipVersion, name1x: string, tag: number, value: TtlvItem, index?: number): TtlvItem {
  const retag = (v: TtlvItem, to: number): TtlvItem => ({ ...v, tag: to }) as TtlvItem;
  if (version.startsWith('1.')) {
    return ttlv.structure(Tag.Attribute, [
      ttlv.textString(Tag.AttributeName, name1x),
      ...(index === undefined ? [] : [ttlv.integer(Tag.AttributeIndex, index)]),
      retag(value, Tag.AttributeValue),
    ]);
  }
  if (name1x.startsWith('x-') || name1x.startsWith('y-')) {
    return ttlv.structure(Tag.NewAttribute, [
      ttlv.structure(Tag.Attribute, [
        ttlv.textString(Tag.VendorIdentification, name1x.slice(0, 1)),
        ttlv.textString(Tag.AttributeName, name1x.slice(2)),
        retag(value, Tag.AttributeValue),
      ]),
    ]);
  }
  return ttlv.structure(Tag.NewAttribute, [retag(value, tag)]);
}

function add(version: KmipVersion, uid: string | undefined, name1x: string, tag: number, value: TtlvItem, index?: number) {
  return byUid(Op.AddAttribute, uid, [newAttribute(version, name1x, tag, value, index)]);
}

async function newKey(version: KmipVersion, identity = 'alice'): Promise<string> {
  return uidOf(await h.ok(version, createAes(version), identity));
}

async function attributesOf(version: KmipVersion, uid: string, identity = 'alice'): Promise<TtlvItem[]> {
  const r = await h.ok(version, byUid(Op.GetAttributes, uid), identity);
  return version.startsWith('1.') ? children(r, Tag.Attribute) : (child(r, Tag.Attributes) as { value: TtlvItem[] }).value;
}

function patch(uid: string, f: (o: ManagedObject) => ManagedObject): void {
  h.store.update(f(h.store.get(uid)!));
}

const text = (v: string): TtlvItem => ttlv.textString(Tag.AttributeValue, v);

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Add Attribute of a custom attribute and of a second Name`, async (t) => {
    const uid = await newKey(version);
    h.clock += 100n;
    const r = await h.ok(version, add(version, uid, 'x-Product', Tag.AttributeValue, text('vSphere')));
    t.equal(uidOf(r), uid);
    if (version.startsWith('1.')) {
      const echoed = child(r, Tag.Attribute)!;
      t.equal(child(echoed, Tag.AttributeName)?.value, 'x-Product', '1.x echoes the attribute');
      t.equal(child(echoed, Tag.AttributeValue)?.value, 'vSphere');
      t.equal(child(echoed, Tag.AttributeIndex), undefined, 'index 0 is left out');
    } else {
      t.same(r.type === ItemType.Structure ? r.value.map((c) => c.tag) : [], [Tag.UniqueIdentifier], '2.x answers the UID only');
    }
    const stored = h.store.get(uid)!;
    t.same(stored.attributes.filter((a) => a.name === 'x-Product').map((a) => [a.index, a.value.value]), [[0, 'vSphere']]);
    t.equal(stored.attributes.find((a) => a.name === 'LastChangeDate')?.value.value, h.clock, 'Last Change Date moved');

    const n1 = await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`first-${version}`)));
    const n2 = await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`second-${version}`)));
    if (version.startsWith('1.')) {
      t.equal(child(child(n1, Tag.Attribute)!, Tag.AttributeIndex), undefined, 'first Name: index 0');
      t.equal(child(child(n2, Tag.Attribute)!, Tag.AttributeIndex)?.value, 1, 'second Name: index 1');
    }
    t.same(h.store.get(uid)!.attributes.filter((a) => a.name === 'Name').map((a) => a.index), [0, 1]);
    const shown = await attributesOf(version, uid);
    t.equal(shown.filter((a) => (version.startsWith('1.') ? child(a, Tag.AttributeName)?.value === 'Name' : a.tag === Tag.Name)).length, 2);
  });

  t.test(`KMIP ${version}: Add Attribute errors`, async (t) => {
    const v1 = version.startsWith('1.');
    const uid = await newKey(version);
    const reason = async (item: Parameters<typeof h.one>[1], identity?: string) => reasonName((await h.one(version, item, identity)).resultReason);

    await h.ok(version, add(version, uid, 'Contact Information', Tag.ContactInformation, text('ops@example.com')));
    t.equal(await reason(add(version, uid, 'Contact Information', Tag.ContactInformation, text('other'))),
      v1 ? 'IllegalOperation' : 'AttributeSingleValued', 'a second value of a single-valued attribute');
    t.equal(await reason(add(version, uid, 'Initial Date', Tag.InitialDate, ttlv.dateTime(0, 5n))),
      v1 ? 'PermissionDenied' : 'ReadOnlyAttribute', 'a server-set attribute');
    t.equal(await reason(add(version, uid, 'State', Tag.State, ttlv.enumeration(0, Enum.State.Active))),
      v1 ? 'PermissionDenied' : 'ReadOnlyAttribute', 'State is never set by attribute operations');
    t.equal(await reason(add(version, uid, 'y-Server', Tag.AttributeValue, text('mine'))),
      v1 ? 'PermissionDenied' : 'ReadOnlyAttribute', 'y- attributes are the server\'s');
    t.equal(await reason(add(version, uid, 'Contact Information', Tag.ContactInformation, ttlv.integer(0, 5))),
      v1 ? 'InvalidField' : 'InvalidAttributeValue', 'a value of the wrong item type');
    const domain = ttlv.structure(0, [ttlv.integer(Tag.Qlength, 256)]);
    t.equal(await reason(add(version, uid, 'Cryptographic Domain Parameters', Tag.CryptographicDomainParameters, domain)),
      v1 ? 'PermissionDenied' : 'InvalidAttribute', 'an attribute that does not apply to a symmetric key');
    t.equal(await reason(add(version, 'no-such-uid', 'x-A', Tag.AttributeValue, text('a'))), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'));
    t.equal(await reason(add(version, uid, 'x-A', Tag.AttributeValue, text('a')), 'bob'), (version.startsWith('1.') ? 'ItemNotFound' : 'ObjectNotFound'), 'another owner\'s object');
    if (v1) {
      t.equal(await reason(add(version, uid, 'x-A', Tag.AttributeValue, text('a'), 0)), 'InvalidField', 'an Attribute Index in the request');
      t.equal(await reason(add(version, uid, 'No Such Attribute', Tag.AttributeValue, text('a'))), 'InvalidField', 'an unknown name');
    }

    // names are unique per owner, the object's own included (BL-M-8-21)
    await h.ok(version, add(version, uid, 'Name', Tag.Name, nameValue(`taken-${version}`)));
    t.equal(await reason(add(version, uid, 'Name', Tag.Name, nameValue(`taken-${version}`))),
      v1 ? 'IllegalOperation' : 'NonUniqueNameAttribute', 'the object\'s own name again');
    const other = await newKey(version);
    t.equal(await reason(add(version, other, 'Name', Tag.Name, nameValue(`taken-${version}`))),
      v1 ? 'IllegalOperation' : 'NonUniqueNameAttribute', 'another object\'s name');
    const bobs = await newKey(version, 'bob');
    t.equal(await reason(add(version, bobs, 'Name', Tag.Name, nameValue(`taken-${version}`)), 'bob'), undefined, 'bob may use it');

    // Activation Date may change only while Pre-Active (1.4 §3.24)
    const active = await newKey(version);
    patch(active, (o) => ({ ...o, state: Enum.State.Active }));
    t.equal(await reason(add(version, active, 'Activation Date', Tag.ActivationDate, ttlv.dateTime(0, h.clock))),
      v1 ? 'PermissionDenied' : 'WrongKeyLifecycleState', 'Activation Date of an Active object');

    const many = await newKey(version);
    patch(many, (o) => ({
      ...o,
      attributes: [...o.attributes, ...Array.from({ length: 256 }, (_, index) => ({ name: 'x-Tag', index, value: text(`t${index}`) }))],
    }));
    t.equal(await reason(add(version, many, 'x-Tag', Tag.AttributeValue, text('one more'))),
      v1 ? 'IndexOutOfBounds' : 'ServerLimitExceeded', 'the limit on instances');

    const archived = await newKey(version);
    patch(archived, (o) => ({ ...o, archived: true }));
    t.equal(await reason(add(version, archived, 'x-A', Tag.AttributeValue, text('a'))), 'ObjectArchived');
  });
}

t.test('an Activation Date added in the past activates a Pre-Active key (1.4 §3.22 transition 4)', async (t) => {
  for (const version of ['1.2', '2.1'] as const) {
    const uid = await newKey(version);
    t.equal(h.store.get(uid)!.state, Enum.State.PreActive);
    await h.ok(version, add(version, uid, 'Activation Date', Tag.ActivationDate, ttlv.dateTime(0, h.clock - 10n)));
    const now = h.store.get(uid)!;
    t.equal(now.state, Enum.State.Active, `${version}: Active`);
    t.equal(now.attributes.find((a) => a.name === 'State')?.value.value, Enum.State.Active, 'the State attribute follows');
  }
});

t.test('2.x custom attributes of any item type, and a Link as in AX-M-1-21', async (t) => {
  const a = await newKey('2.1');
  const b = await newKey('2.1');
  await h.ok('2.1', add('2.1', a, 'x-Count', Tag.AttributeValue, ttlv.integer(0, 7)));
  const link = ttlv.structure(0, [
    ttlv.enumeration(Tag.LinkType, Enum.LinkType.NextLink),
    ttlv.textString(Tag.LinkedObjectIdentifier, b),
  ]);
  await h.ok('2.1', add('2.1', a, 'Link', Tag.Link, link));
  const attrs = await attributesOf('2.1', a);
  const custom = attrs.find((x) => x.tag === Tag.Attribute && child(x, Tag.AttributeName)?.value === 'Count');
  t.equal(custom && child(custom, Tag.AttributeValue)?.value, 7);
  t.equal(child(attrs.find((x) => x.tag === Tag.Link)!, Tag.LinkedObjectIdentifier)?.value, b);
});

t.test('the ID Placeholder names the object when the request does not', async (t) => {
  const r = await h.send({ version: '2.0', items: [createAes('2.0'), add('2.0', undefined, 'x-Tag', Tag.AttributeValue, text('p'))] });
  t.same(r.items.map((i) => reasonName(i.resultReason)), [undefined, undefined]);
  const uid = uidOf(r.items[0]!.payload!);
  t.equal(uidOf(r.items[1]!.payload!), uid);
  t.ok(h.store.get(uid)!.attributes.some((a) => a.name === 'x-Tag'));
});

t.test('vCenter: a batch of three Add Attribute, then Get Attributes one at a time', async (t) => {
  for (const version of V1.slice(1)) {
    const uid = await newKey(version);
    const values = { 'x-Product': 'VMware vSphere', 'x-Vendor': 'VMware, Inc.', 'x-Name': `kms-${version}` } as const;
    const r = await h.send({
      version,
      items: Object.entries(values).map(([name, value]) => add(version, uid, name, Tag.AttributeValue, text(value))),
    });
    t.same(r.items.map((i) => reasonName(i.resultReason)), [undefined, undefined, undefined], `${version}: three successes`);
    for (const [name, value] of Object.entries(values)) {
      const got = await h.ok(version, byUid(Op.GetAttributes, uid, [ttlv.textString(Tag.AttributeName, name)]));
      const attrs = children(got, Tag.Attribute);
      t.equal(attrs.length, 1, `${version}: one ${name}`);
      t.equal(child(attrs[0]!, Tag.AttributeValue)?.value, value);
    }
  }
});
