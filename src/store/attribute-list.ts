// An object's attribute list as the objects row keeps it (store/schema.ts, migrations 4 and 5): every instance, in
// order, in one TTLV value, beside the searchable text of the attributes that have no index rows (DESIGN: storage).
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeKey } from '../model/attribute-match.js';
import { ATTRIBUTE_RULES } from '../model/attribute-policy.js';
import { decodeTtlv } from '../ttlv/decode.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';

/**
 * Attributes without rows in the attributes table (migration 4), kept only in the attribute list and the
 * searchable text: set on every object with few distinct values (a seek by one of them finds most objects, so a
 * test per object, newest first, is as fast), or mirrored in an objects column (UniqueIdentifier, ObjectType,
 * State). A Create used to write ~20 rows; now it writes its few searchable ones (Name, Object Group, Link,
 * dates, custom attributes …). Migrations 3 and 4 are spelled with this list: it may never change.
 */
export const UNKEYED_ATTRIBUTES = [
  'UniqueIdentifier', 'ObjectType', 'State', 'CryptographicAlgorithm', 'CryptographicLength', 'CryptographicUsageMask',
  'Sensitive', 'AlwaysSensitive', 'Extractable', 'NeverExtractable', 'Fresh', 'KeyFormatType', 'ProtectionStorageMask',
  'ProtectionStorageMasks', 'RandomNumberGenerator', 'LeaseTime', 'CertificateType', 'CertificateLength',
] as const;

/** Attributes mirrored in objects columns (uid, object_type, state): their filters read the column. */
export const MIRRORED_ATTRIBUTES: ReadonlySet<string> = new Set(['UniqueIdentifier', 'ObjectType', 'State']);
const UNKEYED: ReadonlySet<string> = new Set(UNKEYED_ATTRIBUTES);

/** True for attributes kept only in the list (and its searchable text), without a row in the attributes table. */
export function isUnkeyed(name: string): boolean {
  return UNKEYED.has(name);
}

/**
 * Standard attributes by the tag of their value item (a Cryptographic Algorithm's value is tagged Cryptographic
 * Algorithm): the instances a list may hold as the bare value. Every attribute name kmipd knows is its tag's
 * name, one name per tag, so the map reverses exactly.
 */
const NAME_OF_TAG: ReadonlyMap<number, string> = new Map(
  ATTRIBUTE_RULES.map((r) => [(Tag as Readonly<Record<string, number>>)[r.name]!, r.name]),
);

/**
 * The list as one TTLV Structure (Attributes): one value to write and one to read, where a row per instance cost a
 * statement, its b-tree pages and its decode each. An instance is stored as its bare value item when the value's
 * tag names the attribute and its index is 0 (nearly every instance); otherwise, as migration 4 wrote them all,
 * as an Attribute structure {Attribute Name, Attribute Index, value item}. Bare values (migration 5) made a key's
 * list ~1.5 KiB → ~0.5 KiB: fewer pages per Create, and less to encode and decode.
 */
export function encodeAttributeList(attributes: readonly AttributeInstance[]): Buffer {
  return encodeTtlv(
    ttlv.structure(
      Tag.Attributes,
      attributes.map((a) =>
        a.index === 0 && NAME_OF_TAG.get(a.value.tag) === a.name
          ? a.value
          : ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, a.name), ttlv.integer(Tag.AttributeIndex, a.index), a.value]),
      ),
    ),
  );
}

/** The list back from its stored bytes; values may be views of `bytes`, which the caller must not reuse. */
export function decodeAttributeList(bytes: Uint8Array): AttributeInstance[] {
  const root = decodeTtlv(bytes);
  if (root.type !== ItemType.Structure || root.tag !== Tag.Attributes) throw new Error('stored attribute list is not an Attributes structure');
  return root.value.map((entry): AttributeInstance => {
    if (entry.tag !== Tag.Attribute) {
      const bare = NAME_OF_TAG.get(entry.tag);
      if (bare === undefined) throw new Error(`stored attribute list holds a value tagged 0x${entry.tag.toString(16)}, which names no attribute`);
      return { name: bare, index: 0, value: entry };
    }
    const [name, index, value] = entry.type === ItemType.Structure ? entry.value : [];
    if (name?.type !== ItemType.TextString || index?.type !== ItemType.Integer || value === undefined) {
      throw new Error('stored attribute list holds a malformed entry');
    }
    return { name: name.value, index: index.value, value };
  });
}

/** `item` with no view of memory it does not own: a byte string that views a larger buffer is copied. */
function detached(item: TtlvItem): TtlvItem {
  if (item.type === ItemType.ByteString) {
    const v = item.value;
    if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) return item;
    // a buffer of its own: Buffer.from(view) would copy into Node's shared 8 KiB pool, which the cache would pin
    const own = new Uint8Array(v);
    return { ...item, value: Buffer.from(own.buffer, 0, own.byteLength) };
  }
  if (item.type !== ItemType.Structure) return item;
  let copy: TtlvItem[] | undefined;
  item.value.forEach((c, i) => {
    const d = detached(c);
    if (d !== c) (copy ??= [...item.value])[i] = d;
  });
  return copy === undefined ? item : { ...item, value: copy };
}

/**
 * The list as the cache may keep it: values (immutable items) shared, byte strings copied where they view a
 * request's buffer, which the cache would otherwise keep alive: cheaper than decoding the stored list again.
 */
export function detachedAttributes(attributes: readonly AttributeInstance[]): AttributeInstance[] {
  return attributes.map((a) => {
    const value = detached(a.value);
    return value === a.value ? a : { ...a, value };
  });
}

const NEEDS_ESCAPE = /[\u001e\u001f\\]/;

/** A key as it stands in the searchable text: the separators (and the escape) escaped, so matching stays exact. */
function escapeKey(key: string): string {
  if (!NEEDS_ESCAPE.test(key)) return key;
  return key.replace(/[\u001e\u001f\\]/g, (c) => `\\${c.charCodeAt(0).toString(16)}`);
}

/**
 * Searchable text of the unkeyed attributes (objects.unkeyed): "\x1f" then, per instance, name \x1e item type
 * \x1e key \x1f. Locate's equality on one is `instr(unkeyed, needle) > 0`, in C, per candidate row: what the
 * per-object probe of their rows did, without the rows.
 */
export function unkeyedText(attributes: readonly AttributeInstance[]): string {
  let text = '\u001f';
  for (const a of attributes) {
    if (UNKEYED.has(a.name) && !MIRRORED_ATTRIBUTES.has(a.name)) text += `${a.name}\u001e${a.value.type}\u001e${escapeKey(attributeKey(a.value) ?? '')}\u001f`;
  }
  return text;
}

/** The needle for "has an instance of `name` of this type with this key" (key null: any instance of the type). */
export function unkeyedNeedle(name: string, type: number, key: string | null): string {
  return key === null ? `\u001f${name}\u001e${type}\u001e` : `\u001f${name}\u001e${type}\u001e${escapeKey(key)}\u001f`;
}

/** objects.usage_mask: the Cryptographic Usage Mask, which Locate bit-tests; null when the object has none. */
export function usageMaskOf(attributes: readonly AttributeInstance[]): number | null {
  const mask = attributes.find((a) => a.name === 'CryptographicUsageMask')?.value;
  return mask?.type === ItemType.Integer ? mask.value : null;
}
