// Attribute values compared as Locate compares them: scalars by value, structures on the fields the filter
// gives (1.4 §4.9; 2.1 §6.1.27), and the indexable key the store keeps for narrowing by SQL.
import { Tag } from '../kmip/tag.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';

/** The structure field that identifies a structured attribute's value, when it has one. */
const PRIMARY_FIELD: ReadonlyMap<number, number> = new Map([
  [Tag.Name, Tag.NameValue],
  [Tag.Link, Tag.LinkedObjectIdentifier],
  [Tag.ApplicationSpecificInformation, Tag.ApplicationNamespace],
  [Tag.AlternativeName, Tag.AlternativeNameValue],
]);

/**
 * A value's index key, stored beside it so that Locate narrows with an indexed equality before the exact
 * match: the scalar rendered as text, or a structure's primary field; null when a structure has none.
 */
export function attributeKey(value: TtlvItem): string | null {
  switch (value.type) {
    case ItemType.Structure: {
      const field = PRIMARY_FIELD.get(value.tag);
      const child = field === undefined ? undefined : value.value.find((c) => c.tag === field);
      return child === undefined || child.type === ItemType.Structure ? null : attributeKey(child);
    }
    case ItemType.ByteString:
      return Buffer.from(value.value.buffer, value.value.byteOffset, value.value.byteLength).toString('hex');
    case ItemType.Boolean:
      return value.value ? '1' : '0';
    default:
      return String(value.value);
  }
}

/** The key a filter value must have for a stored value to match it; null when the filter lacks the primary field. */
export function filterKey(filter: TtlvItem): string | null {
  return attributeKey(filter);
}

/** True when `stored` matches `filter`: same scalar, or every field of the filter structure matched in order-free fashion. */
export function valueMatches(stored: TtlvItem, filter: TtlvItem): boolean {
  if (stored.type !== filter.type) return false;
  if (filter.type === ItemType.Structure) {
    const fields = (stored as typeof filter).value;
    return filter.value.every((f) => fields.some((s) => s.tag === f.tag && valueMatches(s, f)));
  }
  if (filter.type === ItemType.ByteString) return Buffer.compare(stored.value as Uint8Array, filter.value) === 0;
  return stored.value === filter.value;
}
