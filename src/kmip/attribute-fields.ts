// Fields of attribute structures that a later version added under a tag an earlier one already had (1.0 §3.17 Table
// 58 vs 1.1 §3.17 Table 88 Digest; 1.1 §3.6 Table 47 vs 1.2 §3.6 Table 54 Cryptographic Parameters), and the
// version form of a stored attribute value: fields the client's version lacks are left out.
import { tagDefined, tagName } from './dictionary.js';
import { definedIn, type KmipVersion } from './versions.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';

/**
 * Fields whose tag is older than their place in the structure. Fields with a tag of their own (Digital Signature
 * Algorithm, Salt Length …) need no row: a version that lacks the tag lacks the field.
 */
export const LATER_FIELDS = [
  // 1.1 added "Key Format Type … Yes, if the Key Material is a Key Block" to the Digest structure.
  { structure: 'Digest', field: 'KeyFormatType', since: '1.1' },
  // 1.2 added Cryptographic Algorithm (and fields with new tags) to Cryptographic Parameters.
  { structure: 'CryptographicParameters', field: 'CryptographicAlgorithm', since: '1.2' },
] as const satisfies readonly { structure: string; field: string; since: KmipVersion }[];

/** The value as a client of `version` may see it: children whose tag or place the version lacks are dropped. */
export function valueInVersion(value: TtlvItem, version: KmipVersion): TtlvItem {
  if (value.type !== ItemType.Structure) return value;
  const structure = tagName(value.tag);
  const kept = value.value.filter((c) => {
    // Vendor tags (extension range) are not in the dictionary: a custom attribute keeps them.
    if (tagName(c.tag) !== undefined && !tagDefined(c.tag, version)) return false;
    const later = LATER_FIELDS.find((f) => f.structure === structure && f.field === tagName(c.tag));
    return later === undefined || definedIn(version, later.since);
  });
  const inner = kept.map((c) => valueInVersion(c, version));
  if (inner.length === value.value.length && inner.every((c, i) => c === value.value[i])) return value;
  return { tag: value.tag, type: ItemType.Structure, value: inner };
}
