// Create, Get and Get Attributes in every version, against a real SoftHSM token and SQLite file (1.4 §4.1, §4.11,
// §4.12; 2.1 §6.1.10, §6.1.22, §6.1.23).
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { child, children, reasonName } from '../helpers/kmip-messages.js';
import { ALL_VERSIONS, byUid, createAes, makeObjectHarness, nameValue, uidOf } from '../helpers/object-harness.js';

const h = makeObjectHarness();
t.teardown(() => h.close());
const Op = Enum.Operation;

for (const version of ALL_VERSIONS) {
  t.test(`KMIP ${version}: Create AES-256, Get it, Get Attributes`, async (t) => {
    const created = await h.ok(version, createAes(version, 256, [{ name: 'Name', value: nameValue(`key-${version}`) }]));
    const uid = uidOf(created);
    t.equal(child(created, Tag.ObjectType)?.value, Enum.ObjectType.SymmetricKey);

    const got = await h.ok(version, byUid(Op.Get, uid));
    const block = child(child(got, Tag.SymmetricKey)!, Tag.KeyBlock)!;
    const material = child(child(block, Tag.KeyValue)!, Tag.KeyMaterial);
    t.equal(material?.type, ItemType.ByteString);
    t.equal((material?.value as Uint8Array).length, 32, '32 key bytes');
    t.equal(child(block, Tag.CryptographicAlgorithm)?.value, Enum.CryptographicAlgorithm.AES);

    const attrs = await h.ok(version, byUid(Op.GetAttributes, uid));
    if (version.startsWith('1.')) {
      const names = children(attrs, Tag.Attribute).map((a) => child(a, Tag.AttributeName)?.value);
      t.ok(names.includes('State') && names.includes('Name') && names.includes('Digest'), '1.x Attribute list');
      t.equal(names.includes('Fresh'), version !== '1.0', 'Fresh only from 1.1');
    } else {
      const set = child(attrs, Tag.Attributes)!;
      t.ok(child(set, Tag.State) && child(set, Tag.Name) && child(set, Tag.CryptographicLength), '2.x Attributes');
    }
  });
}

t.test('the key bytes never appear in the database file', async (t) => {
  const uid = uidOf(await h.ok('1.4', createAes('1.4')));
  const got = await h.ok('1.4', byUid(Op.Get, uid));
  const key = child(child(child(child(got, Tag.SymmetricKey)!, Tag.KeyBlock)!, Tag.KeyValue)!, Tag.KeyMaterial)!.value as Uint8Array;
  const { readFileSync, existsSync } = await import('node:fs');
  for (const f of ['kmipd.db', 'kmipd.db-wal']) {
    const path = `${h.dir}/${f}`;
    if (existsSync(path)) t.equal(readFileSync(path).indexOf(Buffer.from(key)), -1, `${f} does not hold the key`);
  }
});

t.test('Create errors', async (t) => {
  const noLength = await h.one('1.4', {
    operation: Op.Create,
    payload: [
      ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey),
      ttlv.structure(Tag.TemplateAttribute, [
        ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Cryptographic Algorithm'), ttlv.enumeration(Tag.AttributeValue, Enum.CryptographicAlgorithm.AES)]),
      ]),
    ],
  });
  t.equal(reasonName(noLength.resultReason), 'MissingData', 'no length: Missing Data');
  const badLength = await h.one('2.1', createAes('2.1', 100));
  t.equal(reasonName(badLength.resultReason), 'InvalidField', 'AES-100: Invalid Field');
  const state = await h.one('2.1', createAes('2.1', 128, [{ name: 'State', value: ttlv.enumeration(0, Enum.State.Active) }]));
  t.equal(reasonName(state.resultReason), 'ReadOnlyAttribute', 'State set by a client: Read Only Attribute');
  const state1x = await h.one('1.2', createAes('1.2', 128, [{ name: 'State', value: ttlv.enumeration(0, Enum.State.Active) }]));
  t.equal(reasonName(state1x.resultReason), 'PermissionDenied', '1.x: Permission Denied');
  await h.ok('2.1', createAes('2.1', 128, [{ name: 'Name', value: nameValue('dup') }]));
  const dup = await h.one('2.1', createAes('2.1', 128, [{ name: 'Name', value: nameValue('dup') }]));
  t.equal(reasonName(dup.resultReason), 'NonUniqueNameAttribute', 'duplicate name: Non Unique Name Attribute');
  const dup1x = await h.one('1.2', createAes('1.2', 128, [{ name: 'Name', value: nameValue('dup') }]));
  t.equal(reasonName(dup1x.resultReason), 'InvalidField', '1.x duplicate name: Invalid Field (1.4 §11.2)');
  const bobSameName = await h.one('2.1', createAes('2.1', 128, [{ name: 'Name', value: nameValue('dup') }]), 'bob');
  t.equal(reasonName(bobSameName.resultReason), undefined, 'another owner may use the name');
});

t.test('Get errors and access', async (t) => {
  const uid = uidOf(await h.ok('2.1', createAes('2.1')));
  t.equal(reasonName((await h.one('2.1', byUid(Op.Get, uid), 'bob')).resultReason), 'ObjectNotFound', 'bob cannot Get alice\'s key');
  t.equal(reasonName((await h.one('2.1', byUid(Op.Get, 'no-such-uid'))).resultReason), 'ObjectNotFound');
  const raw = await h.one('2.1', byUid(Op.Get, uid, [ttlv.enumeration(Tag.KeyFormatType, Enum.KeyFormatType.TransparentSymmetricKey)]));
  t.equal(reasonName(raw.resultReason), undefined, 'Transparent Symmetric Key conversion');
  const pkcs1 = await h.one('2.1', byUid(Op.Get, uid, [ttlv.enumeration(Tag.KeyFormatType, Enum.KeyFormatType.PKCS_1)]));
  t.equal(reasonName(pkcs1.resultReason), 'KeyFormatTypeNotSupported');
});

t.test('the ID Placeholder carries Create → Get → Get Attributes in one batch', async (t) => {
  const r = await h.send({ version: '1.2', items: [createAes('1.2'), byUid(Op.Get, undefined), byUid(Op.GetAttributes, undefined)] });
  t.same(r.items.map((i) => reasonName(i.resultReason)), [undefined, undefined, undefined]);
  t.equal(uidOf(r.items[1]!.payload!), uidOf(r.items[0]!.payload!));
});
