// Renders a TTLV tree as indented lines "Name (0x42xxxx) Type: value" for operators reading captures (1.4 §9.1).
import { ItemType, ITEM_TYPE_NAMES } from './item-type.js';
import type { TtlvItem } from './ttlv-item.js';
import type { Vocabulary } from './vocabulary.js';

const ATTRIBUTE_NAME_TAG = 0x42000a;
const ATTRIBUTE_VALUE_TAG = 0x42000b;

export function formatTree(item: TtlvItem, vocab: Vocabulary): string {
  const lines: string[] = [];
  walk(item, vocab, 0, undefined, lines);
  return lines.join('\n') + '\n';
}

function walk(item: TtlvItem, vocab: Vocabulary, depth: number, attributeName: string | undefined, out: string[]): void {
  const hexTag = `0x${item.tag.toString(16).toUpperCase().padStart(6, '0')}`;
  const name = vocab.tagName(item.tag) ?? 'Unknown';
  const head = `${'  '.repeat(depth)}${name} (${hexTag}) ${ITEM_TYPE_NAMES[item.type] ?? item.type}`;
  if (item.type === ItemType.Structure) {
    out.push(head);
    const nameItem = item.value.find((c) => c.tag === ATTRIBUTE_NAME_TAG && c.type === ItemType.TextString);
    const attr = nameItem?.type === ItemType.TextString ? nameItem.value : undefined;
    for (const child of item.value) walk(child, vocab, depth + 1, attr, out);
    return;
  }
  out.push(`${head}: ${formatValue(item, vocab, item.tag === ATTRIBUTE_VALUE_TAG ? attributeName : undefined)}`);
}

function formatValue(item: TtlvItem, vocab: Vocabulary, attributeName: string | undefined): string {
  switch (item.type) {
    case ItemType.Enumeration: {
      const hex = `0x${item.value.toString(16).padStart(8, '0')}`;
      const name = vocab.enumName(item.tag, item.value, attributeName);
      return name === undefined ? hex : `${name} (${hex})`;
    }
    case ItemType.Integer: {
      const bits = vocab.maskBits(item.tag, attributeName);
      if (bits === undefined) return String(item.value);
      const names = bits.filter((b) => (item.value & b.value) !== 0).map((b) => b.name);
      return `${item.value} (${names.join(' ') || 'none'})`;
    }
    case ItemType.ByteString:
      return Buffer.from(item.value.buffer, item.value.byteOffset, item.value.byteLength).toString('hex');
    case ItemType.TextString:
      return JSON.stringify(item.value);
    case ItemType.DateTime: {
      // A Date spans ±8.64e15 ms; a wilder value (a corrupt capture) is shown as its number rather than throwing.
      const ms = Number(item.value) * 1000;
      if (!(Math.abs(ms) <= 8.64e15)) return `${item.value} (outside the dates a Date can show)`;
      return `${new Date(ms).toISOString().replace('.000Z', 'Z')} (${item.value})`;
    }
    case ItemType.DateTimeExtended:
      return `${item.value}µs`;
    case ItemType.BigInteger:
      return `${item.value}`;
    default:
      return String(item.value);
  }
}
