// Attribute values in the client's version form (1.0 §3.17 / 1.1 §3.17 Digest; 1.1 / 1.2 §3.6 Cryptographic
// Parameters): fields a version lacks are left out, vendor fields kept, values without such fields untouched.
import t from 'tap';
import { LATER_FIELDS, valueInVersion } from '../../src/kmip/attribute-fields.js';
import { tagByName } from '../../src/kmip/dictionary.js';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { KMIP_VERSIONS } from '../../src/kmip/versions.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';

const tags = (v: TtlvItem): number[] => (v.type === ItemType.Structure ? v.value.map((c) => c.tag) : []);

const digest = ttlv.structure(Tag.Digest, [
  ttlv.enumeration(Tag.HashingAlgorithm, Enum.HashingAlgorithm.SHA_256),
  ttlv.byteString(Tag.DigestValue, new Uint8Array(32)),
  ttlv.enumeration(Tag.KeyFormatType, Enum.KeyFormatType.Raw),
]);

t.test('Digest: no Key Format Type for a 1.0 client, kept from 1.1 on', async (t) => {
  t.same(tags(valueInVersion(digest, '1.0')), [Tag.HashingAlgorithm, Tag.DigestValue]);
  for (const v of KMIP_VERSIONS.slice(1)) t.equal(valueInVersion(digest, v), digest, `${v}: the same item`);
});

t.test('Cryptographic Parameters: 1.2 fields (old tag or new) only from 1.2', async (t) => {
  const params = ttlv.structure(Tag.CryptographicParameters, [
    ttlv.enumeration(Tag.BlockCipherMode, Enum.BlockCipherMode.GCM),
    ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES),
    ttlv.integer(Tag.TagLength, 16),
  ]);
  t.same(tags(valueInVersion(params, '1.0')), [Tag.BlockCipherMode]);
  t.same(tags(valueInVersion(params, '1.1')), [Tag.BlockCipherMode]);
  t.same(tags(valueInVersion(params, '1.2')), [Tag.BlockCipherMode, Tag.CryptographicAlgorithm, Tag.TagLength]);
});

t.test('vendor tags and plain values are kept', async (t) => {
  const custom = ttlv.structure(Tag.AttributeValue, [ttlv.textString(0x540001, 'vendor'), ttlv.integer(0x540002, 1)]);
  t.equal(valueInVersion(custom, '1.0'), custom);
  const text = ttlv.textString(Tag.ContactInformation, 'x');
  t.equal(valueInVersion(text, '1.0'), text);
});

t.test('every row names real tags', async (t) => {
  for (const f of LATER_FIELDS) {
    t.ok(tagByName(f.structure) !== undefined && tagByName(f.field) !== undefined, `${f.structure}.${f.field}`);
  }
});
