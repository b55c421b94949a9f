// The stored attribute list (store/attribute-list.ts): bare values where the tag names the attribute, Attribute
// structures otherwise, lists of either form read back, and a stored value that names no attribute refused.
import t from 'tap';
import { Enum, Mask } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { AttributeInstance } from '../../src/model/attribute.js';
import { decodeAttributeList, encodeAttributeList } from '../../src/store/attribute-list.js';
import { decodeTtlv } from '../../src/ttlv/decode.js';
import { encodeTtlv } from '../../src/ttlv/encode.js';
import { ttlv } from '../../src/ttlv/index.js';
import { ItemType } from '../../src/ttlv/item-type.js';

const attr = (name: string, value: AttributeInstance['value'], index = 0): AttributeInstance => ({ name, index, value });

const LIST: AttributeInstance[] = [
  attr('UniqueIdentifier', ttlv.textString(Tag.UniqueIdentifier, '0192f6d0-7a3e-7c1a-9c4e-1f2a3b4c5d6e')),
  attr('CryptographicAlgorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES)),
  attr('CryptographicUsageMask', ttlv.integer(Tag.CryptographicUsageMask, Mask.CryptographicUsageMask.Encrypt)),
  attr('InitialDate', ttlv.dateTime(Tag.InitialDate, 1_700_000_000n)),
  attr('Fresh', ttlv.boolean(Tag.Fresh, true)),
  attr('Name', ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, 'disk-1'), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)])),
  // a second instance: its index must be kept, so it is stored whole
  attr('Name', ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, 'alias'), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)]), 1),
  attr('ShortUniqueIdentifier', ttlv.byteString(Tag.ShortUniqueIdentifier, new Uint8Array(32).fill(7))),
  // custom attributes carry the Attribute Value tag, which names no attribute
  attr('x-Product', ttlv.textString(Tag.AttributeValue, 'widget')),
  attr('y-Count', ttlv.longInteger(Tag.AttributeValue, 1n << 60n)),
];

/** Each stored entry: the tag it is kept under. */
function storedTags(bytes: Buffer): number[] {
  const root = decodeTtlv(bytes);
  return root.type === ItemType.Structure ? root.value.map((e) => e.tag) : [];
}

t.test('a list reads back exactly: names, indexes, values and order', (t) => {
  t.same(decodeAttributeList(encodeAttributeList(LIST)), LIST);
  t.end();
});

t.test('index-0 instances of standard attributes are bare values; the rest are Attribute structures', (t) => {
  t.same(storedTags(encodeAttributeList(LIST)), [
    Tag.UniqueIdentifier, Tag.CryptographicAlgorithm, Tag.CryptographicUsageMask, Tag.InitialDate, Tag.Fresh, Tag.Name,
    Tag.Attribute, Tag.ShortUniqueIdentifier, Tag.Attribute, Tag.Attribute,
  ]);
  // a value whose tag is not the attribute's own is kept whole, so its name is never guessed from the tag
  const odd = [attr('ObjectGroup', ttlv.textString(Tag.AttributeValue, 'g'))];
  t.same(storedTags(encodeAttributeList(odd)), [Tag.Attribute]);
  t.same(decodeAttributeList(encodeAttributeList(odd)), odd);
  t.end();
});

t.test('a list written before migration 5 (every instance an Attribute structure) still reads', (t) => {
  const old = encodeTtlv(
    ttlv.structure(Tag.Attributes, LIST.map((a) => ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, a.name), ttlv.integer(Tag.AttributeIndex, a.index), a.value]))),
  );
  t.same(decodeAttributeList(old), LIST);
  t.ok(encodeAttributeList(LIST).length < old.length * 0.6, `bare values: ${encodeAttributeList(LIST).length} bytes, was ${old.length}`);
  t.end();
});

t.test('a stored list that is not one is refused, never read as something else', (t) => {
  t.throws(() => decodeAttributeList(encodeTtlv(ttlv.structure(Tag.Name, []))), /not an Attributes structure/);
  t.throws(() => decodeAttributeList(encodeTtlv(ttlv.structure(Tag.Attributes, [ttlv.textString(Tag.AttributeValue, 'v')]))), /names no attribute/);
  t.throws(() => decodeAttributeList(encodeTtlv(ttlv.structure(Tag.Attributes, [ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, 'Name')])]))), /malformed entry/);
  t.end();
});
