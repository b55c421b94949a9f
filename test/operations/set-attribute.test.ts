// Set Attribute, 2.x only: adds or replaces a single instance, refuses several instances and read-only attributes
// (2.0 §6.1.47; 2.1 §6.1.51); 1.x clients are told Operation Not Supported.
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import type { ManagedObject } from '../../src/model/managed-object.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { child, reasonName } from '../helpers/kmip-messages.js';
import { byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;

const set = (uid: string | undefined, item: TtlvItem) => byUid(Op.SetAttribute, uid, [ttlv.structure(Tag.NewAttribute, [item])]);
const add = (uid: string, item: TtlvItem) => byUid(Op.AddAttribute, uid, [ttlv.structure(Tag.NewAttribute, [item])]);

async function newKey(version: KmipVersion, extra: Parameters<typeof createAes>[2] = [], identity = 'alice'): Promise<string> {
  return uidOf(await h.ok(version, createAes(version, 256, extra), identity));
}

function patch(uid: string, f: (o: ManagedObject) => ManagedObject): void {
  h.store.update(f(h.store.get(uid)!));
}

const valuesOf = (uid: string, name: string) => h.store.get(uid)!.attributes.filter((a) => a.name === name)
  .map((a) => (a.value.type === ItemType.Structure ? child(a.value, Tag.NameValue)?.value : a.value.value));

for (const version of ['2.0', '2.1'] as const) {
  t.test(`KMIP ${version}: Set Attribute adds, then replaces`, async (t) => {
    const uid = await newKey(version, [{ name: 'Name', value: nameValue(`set-${version}`) }]);
    h.clock += 20n;
    const r = await h.ok(version, set(uid, ttlv.textString(Tag.ContactInformation, 'first')));
    t.same(r.type === ItemType.Structure ? r.value.map((c) => c.tag) : [], [Tag.UniqueIdentifier], 'the UID only');
    t.equal(uidOf(r), uid);
    t.same(valuesOf(uid, 'ContactInformation'), ['first'], 'added');
    t.equal(valuesOf(uid, 'LastChangeDate')[0], h.clock, 'Last Change Date moved');
    await h.ok(version, set(uid, ttlv.textString(Tag.ContactInformation, 'second')));
    t.same(valuesOf(uid, 'ContactInformation'), ['second'], 'replaced');
    await h.ok(version, set(uid, nameValue(`set2-${version}`)));
    t.same(valuesOf(uid, 'Name'), [`set2-${version}`], 'the one Name replaced');
    await h.ok(version, set(undefined, ttlv.textString(Tag.Description, 'ignored'))).then(
      () => t.fail('no UID and no ID Placeholder'),
      () => t.pass('no UID and no ID Placeholder fails'),
    );
  });

  t.test(`KMIP ${version}: Set Attribute errors`, async (t) => {
    const uid = await newKey(version, [{ name: 'Name', value: nameValue(`seterr-${version}`) }]);
    const reason = async (item: Parameters<typeof h.one>[1], identity?: string) => reasonName((await h.one(version, item, identity)).resultReason);
    t.equal(await reason(set(uid, ttlv.enumeration(Tag.State, Enum.State.Active))), 'ReadOnlyAttribute', 'State');
    t.equal(await reason(set(uid, ttlv.integer(Tag.CryptographicLength, 128))), 'ReadOnlyAttribute', 'Cryptographic Length (present)');
    t.equal(await reason(set(uid, ttlv.dateTime(Tag.DestroyDate, 5n))), 'ReadOnlyAttribute', 'Destroy Date (absent, server-set)');
    t.equal(await reason(set(uid, ttlv.integer(Tag.ContactInformation, 5))), 'InvalidAttributeValue', 'wrong item type');
    t.equal(await reason(set(uid, ttlv.structure(Tag.CryptographicDomainParameters, [ttlv.integer(Tag.Qlength, 256)]))), 'InvalidAttribute',
      'not for a symmetric key');
    await newKey(version, [{ name: 'Name', value: nameValue(`other-${version}`) }]);
    t.equal(await reason(set(uid, nameValue(`other-${version}`))), 'NonUniqueNameAttribute', 'another object\'s name');
    await h.ok(version, add(uid, nameValue(`seterr2-${version}`)));
    t.equal(await reason(set(uid, nameValue('x'))), 'MultiValuedAttribute', 'two Names: which one is unknowable');
    t.equal(await reason(set('no-such-uid', ttlv.textString(Tag.Description, 'd'))), 'ObjectNotFound');
    t.equal(await reason(set(uid, ttlv.textString(Tag.Description, 'd')), 'bob'), 'ObjectNotFound', 'another owner\'s object');
    const active = await newKey(version, [{ name: 'Activation Date', value: ttlv.dateTime(0, h.clock - 1n) }]);
    t.equal(await reason(set(active, ttlv.dateTime(Tag.ActivationDate, h.clock))), 'WrongKeyLifecycleState', 'Activation Date of an Active key');
    const archived = await newKey(version);
    patch(archived, (o) => ({ ...o, archived: true }));
    t.equal(await reason(set(archived, ttlv.textString(Tag.Description, 'd'))), 'ObjectArchived');
  });

  t.test(`KMIP ${version}: an Activation Date set in the past activates`, async (t) => {
    const uid = await newKey(version);
    await h.ok(version, set(uid, ttlv.dateTime(Tag.ActivationDate, h.clock - 1n)));
    t.equal(h.store.get(uid)!.state, Enum.State.Active);
  });
}

t.test('1.x has no Set Attribute', async (t) => {
  const uid = await newKey('2.1');
  for (const version of ['1.0', '1.1', '1.2', '1.3', '1.4'] as const) {
    const r = await h.one(version, set(uid, ttlv.textString(Tag.ContactInformation, 'x')));
    t.equal(reasonName(r.resultReason), 'OperationNotSupported', version);
  }
});
