// Field paths and value descriptions for the runner's messages ("BatchItem[1].ResponsePayload.UniqueIdentifier").
import { kmipVocabulary } from '../kmip/kmip-vocabulary.js';
import { ITEM_TYPE_NAMES, ItemType } from '../ttlv/item-type.js';
import { bytesToHex, formatDateTime, formatDateTimeExtended, tagHex } from '../ttlv/text-value.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';

/** One step down a tree: a tag, its index among same-tag siblings when it has any, or a set item's identity. */
export interface PathSegment {
  readonly tag: number;
  readonly index?: number;
  readonly key?: string;
}

const vocab = kmipVocabulary();

export function tagLabel(tag: number): string {
  return vocab.tagName(tag) ?? tagHex(tag);
}

/** The path below the message: the message element itself is not named. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(message)';
  return path
    .map((s) => `${tagLabel(s.tag)}${s.key !== undefined ? `[${JSON.stringify(s.key)}]` : s.index !== undefined ? `[${s.index}]` : ''}`)
    .join('.');
}

/** Segment for `children[i]`: indexed only when the structure holds several items with its tag. */
export function childSegment(children: readonly TtlvItem[], i: number): PathSegment {
  const item = children[i] as TtlvItem;
  let count = 0;
  let index = 0;
  for (let k = 0; k < children.length; k++) {
    if (children[k]?.tag !== item.tag) continue;
    if (k < i) index++;
    count++;
  }
  return count > 1 ? { tag: item.tag, index } : { tag: item.tag };
}

/** Longest Byte String shown whole; longer ones are shown by their head and length. */
const MAX_HEX_BYTES = 32;

/** A leaf's value as the XML encoding writes it; `attributeName` resolves a 1.x Attribute Value's enumeration. */
export function valueText(item: TtlvItem, attributeName?: string): string {
  switch (item.type) {
    case ItemType.Structure:
      return `<${tagLabel(item.tag)}>`;
    case ItemType.TextString:
      return JSON.stringify(item.value);
    case ItemType.ByteString:
      return item.value.length <= MAX_HEX_BYTES
        ? `0x${bytesToHex(item.value)}`
        : `0x${bytesToHex(item.value.subarray(0, 16))}… (${item.value.length} bytes)`;
    case ItemType.Enumeration:
      return vocab.enumName(item.tag, item.value, attributeName) ?? `0x${item.value.toString(16).padStart(8, '0')}`;
    case ItemType.DateTime:
      return formatDateTime(item.value);
    case ItemType.DateTimeExtended:
      return formatDateTimeExtended(item.value);
    case ItemType.BigInteger:
      return `0x${item.value.toString(16)}`;
    default:
      return String(item.value);
  }
}

/** Value with its type, for a type mismatch. */
export function typedValueText(item: TtlvItem, attributeName?: string): string {
  return `${ITEM_TYPE_NAMES[item.type] ?? 'unknown'} ${valueText(item, attributeName)}`;
}
