// KMIP JSON encoding ⇄ TTLV tree (Addtl Msg Enc §4.1.6; names normalised as §4.1.3; Date Time Extended of 2.1 §9.1.1).
import { ITEM_TYPE_NAMES, ItemType, type ItemTypeName } from './item-type.js';
import { TtlvError } from './ttlv-error.js';
import type { TtlvItem } from './ttlv-item.js';
import type { Vocabulary } from './vocabulary.js';
import {
  attributeTags,
  bigIntegerHex,
  bytesToHex,
  formatDateTime,
  formatDateTimeExtended,
  hex32,
  hex64,
  INT32_MAX,
  INT32_MIN,
  itemTypeByName,
  maskComponents,
  parseBigIntegerHex,
  parseDateTimeExtended,
  parseDateTimeSeconds,
  parseHexBytes,
  parseMaskComponents,
  parsePrefixedHex,
  parseTagText,
  siblingAttributeName,
  tagHex,
  TEXT_MAX_DEPTH,
  UINT32_MAX,
  type AttributeTags,
  type TextDecodeOptions,
} from './text-value.js';

/** One TTLV as a JSON object (§4.1.6): `type` defaults to Structure, whose `value` is an array (or null). */
export interface JsonTtlv {
  tag: string;
  name?: string;
  type?: ItemTypeName;
  value?: JsonTtlv[] | string | number | boolean | null;
}

export type JsonDecodeOptions = TextDecodeOptions;

const KEYS: ReadonlySet<string> = new Set(['tag', 'name', 'type', 'value']);

/** Mask components in JSON are separated by '|' (§4.1.6.4). */
const MASK_SEPARATOR = '|';

/**
 * JS numbers hold 53 bits; §4.1.6.5 says Long Integers of 2^52 and beyond are written as hex strings, so the
 * writer keeps numbers strictly inside ±2^52.
 */
const JSON_NUMBER_LIMIT = 1n << 52n;

/**
 * A JSON TTLV (text, or the value JSON.parse made of it) → one item. TtlvError offsets are character
 * offsets for JSON syntax errors; for a well-formed document the reason names the JSON path and the offset is 0.
 */
export function jsonToTtlv(json: string | unknown, vocab: Vocabulary, opts: JsonDecodeOptions = {}): TtlvItem {
  let doc: unknown = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const at = /position (\d+)/.exec(msg);
      throw new TtlvError(at?.[1] !== undefined ? Number(at[1]) : json.length, `malformed JSON: ${msg}`);
    }
  }
  return new JsonDecoder(vocab, opts).item(doc, undefined);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class JsonDecoder {
  private readonly attrTags: AttributeTags;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly opts: JsonDecodeOptions,
  ) {
    this.attrTags = attributeTags(vocab);
  }

  /** Indexes of the items being read, root to current; joined into a JSON path only when reporting an error. */
  private readonly path: number[] = [];

  item(node: unknown, attributeName: string | undefined): TtlvItem {
    const fail = (reason: string): never => {
      throw new TtlvError(0, `$${this.path.map((i) => `.value[${i}]`).join('')}: ${reason}`);
    };
    if (!isRecord(node)) return fail('expected a TTLV object');
    for (const k of Object.keys(node)) if (!KEYS.has(k)) fail(`unexpected property '${k}'`);
    const tagText = node['tag'];
    if (typeof tagText !== 'string') return fail('tag must be a string');
    const tag = parseTagText(tagText, this.vocab) ?? fail(`unknown tag '${tagText}'`);
    const typeText = node['type'] ?? 'Structure';
    const typeName = typeof typeText === 'string' ? itemTypeByName(typeText) : undefined;
    if (typeName === undefined) return fail(`unknown type ${JSON.stringify(typeText)}`);
    let value = node['value'];

    if (typeName === 'Structure') {
      if (value === undefined || value === null) return { tag, type: ItemType.Structure, value: [] };
      if (!Array.isArray(value)) return fail('a Structure value must be an array');
      if (this.path.length >= TEXT_MAX_DEPTH) return fail(`structures nest deeper than ${TEXT_MAX_DEPTH}`);
      const items: TtlvItem[] = [];
      let name: string | undefined;
      for (let i = 0; i < value.length; i++) {
        this.path.push(i);
        const c = this.item(value[i], name);
        this.path.pop();
        items.push(c);
        if (c.tag === this.attrTags.name && c.type === ItemType.TextString) name = c.value;
      }
      return { tag, type: ItemType.Structure, value: items };
    }

    if (value === undefined || value === null) return fail(`${typeName} without a value`);
    const tagName = (): string => this.vocab.tagName(tag) ?? tagHex(tag);
    if (typeof value === 'string' && value.startsWith('$')) {
      const placeholder = value;
      value = this.opts.substitute?.(placeholder, typeName, tagName()) ?? fail(`no value for placeholder '${placeholder}' (${typeName} ${tagName()})`);
    }
    const attrName = tag === this.attrTags.value ? attributeName : undefined;
    const bad = (what: string): never => fail(`${what} ${JSON.stringify(value)} for ${tagName()}`);
    const v = value;

    switch (typeName) {
      case 'Integer': {
        if (typeof v === 'number') return { tag, type: ItemType.Integer, value: intIn(v, INT32_MIN, INT32_MAX) ?? bad('bad Integer') };
        if (typeof v !== 'string') return bad('bad Integer');
        const h = parsePrefixedHex(v, 8);
        if (h !== undefined) return { tag, type: ItemType.Integer, value: Number(BigInt.asIntN(32, h)) };
        const bits = this.vocab.maskBits(tag, attrName) ?? bad('bad Integer');
        const m = parseMaskComponents(v.split(MASK_SEPARATOR).map((s) => s.trim()), bits);
        if (typeof m !== 'number') return bad(`unknown mask component '${m.bad}' in`);
        return { tag, type: ItemType.Integer, value: m };
      }
      case 'LongInteger': {
        if (typeof v === 'number') return { tag, type: ItemType.LongInteger, value: BigInt(safeInt(v) ?? bad('bad LongInteger')) };
        const h = typeof v === 'string' ? parsePrefixedHex(v, 16) : undefined;
        return { tag, type: ItemType.LongInteger, value: h !== undefined ? BigInt.asIntN(64, h) : bad('bad LongInteger') };
      }
      case 'BigInteger': {
        if (typeof v === 'number') return { tag, type: ItemType.BigInteger, value: BigInt(safeInt(v) ?? bad('bad BigInteger')) };
        const b = typeof v === 'string' && v.startsWith('0x') && v.length > 2 ? parseBigIntegerHex(v.slice(2)) : undefined;
        return { tag, type: ItemType.BigInteger, value: b ?? bad('bad BigInteger') };
      }
      case 'Enumeration': {
        if (typeof v === 'number') return { tag, type: ItemType.Enumeration, value: intIn(v, 0, UINT32_MAX) ?? bad('bad Enumeration') };
        if (typeof v !== 'string') return bad('bad Enumeration');
        const h = parsePrefixedHex(v, 8);
        const e = h !== undefined ? Number(h) : this.vocab.enumValue(tag, v, attrName);
        return { tag, type: ItemType.Enumeration, value: e ?? bad('unknown enumeration name') };
      }
      case 'Boolean': {
        if (typeof v === 'boolean') return { tag, type: ItemType.Boolean, value: v };
        const h = typeof v === 'string' ? parsePrefixedHex(v, 16) : undefined;
        if (h === 0n || h === 1n) return { tag, type: ItemType.Boolean, value: h === 1n };
        return bad('bad Boolean');
      }
      case 'TextString':
        return { tag, type: ItemType.TextString, value: typeof v === 'string' ? v : bad('bad TextString') };
      case 'ByteString': {
        const b = typeof v === 'string' ? parseHexBytes(v) : undefined;
        return { tag, type: ItemType.ByteString, value: b ?? bad('bad ByteString hex') };
      }
      case 'DateTime': {
        const h = typeof v === 'string' ? parsePrefixedHex(v, 16) : undefined;
        const d = h !== undefined ? BigInt.asIntN(64, h) : typeof v === 'string' ? parseDateTimeSeconds(v) : undefined;
        return { tag, type: ItemType.DateTime, value: d ?? bad('bad DateTime') };
      }
      case 'Interval': {
        if (typeof v === 'number') return { tag, type: ItemType.Interval, value: intIn(v, 0, UINT32_MAX) ?? bad('bad Interval') };
        const h = typeof v === 'string' ? parsePrefixedHex(v, 8) : undefined;
        return { tag, type: ItemType.Interval, value: h !== undefined ? Number(h) : bad('bad Interval') };
      }
      case 'DateTimeExtended': {
        const h = typeof v === 'string' ? parsePrefixedHex(v, 16) : undefined;
        const d = h !== undefined ? BigInt.asIntN(64, h) : typeof v === 'string' ? parseDateTimeExtended(v) : undefined;
        return { tag, type: ItemType.DateTimeExtended, value: d ?? bad('bad DateTimeExtended') };
      }
    }
  }
}

function intIn(n: number, min: number, max: number): number | undefined {
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function safeInt(n: number): number | undefined {
  return Number.isSafeInteger(n) ? n : undefined;
}

// ---- writing ---------------------------------------------------------------------------------------------

/** One item as a JSON TTLV object: named tags, omitted Structure type, masks as "A|B", enumerations by name. */
export function ttlvToJson(item: TtlvItem, vocab: Vocabulary): JsonTtlv {
  return new JsonWriter(vocab).item(item, undefined);
}

/** The JSON text of one item; `indent` as JSON.stringify's third argument. */
export function ttlvToJsonText(item: TtlvItem, vocab: Vocabulary, indent?: string | number): string {
  return JSON.stringify(ttlvToJson(item, vocab), null, indent);
}

class JsonWriter {
  private readonly attrTags: AttributeTags;

  constructor(private readonly vocab: Vocabulary) {
    this.attrTags = attributeTags(vocab);
  }

  item(item: TtlvItem, attributeName: string | undefined): JsonTtlv {
    const tag = this.vocab.tagName(item.tag) ?? tagHex(item.tag);
    if (item.type === ItemType.Structure) {
      const an = siblingAttributeName(item.value, this.attrTags);
      return { tag, value: item.value.map((c) => this.item(c, an)) };
    }
    const attrName = item.tag === this.attrTags.value ? attributeName : undefined;
    const type = ITEM_TYPE_NAMES[item.type] ?? 'Structure';
    return { tag, type, value: this.value(item, attrName) };
  }

  private value(item: Exclude<TtlvItem, { type: 0x01 }>, attrName: string | undefined): string | number | boolean {
    switch (item.type) {
      case ItemType.Integer: {
        const bits = this.vocab.maskBits(item.tag, attrName);
        if (bits === undefined || item.value === 0) return item.value;
        return maskComponents(item.value, bits).join(MASK_SEPARATOR);
      }
      case ItemType.Enumeration:
        return this.vocab.enumName(item.tag, item.value, attrName) ?? hex32(item.value);
      case ItemType.LongInteger:
        return item.value < JSON_NUMBER_LIMIT && item.value > -JSON_NUMBER_LIMIT ? Number(item.value) : hex64(item.value);
      case ItemType.BigInteger:
        return '0x' + bigIntegerHex(item.value);
      case ItemType.Boolean:
      case ItemType.TextString:
      case ItemType.Interval:
        return item.value;
      case ItemType.ByteString:
        return bytesToHex(item.value);
      case ItemType.DateTime:
        return formatDateTime(item.value);
      case ItemType.DateTimeExtended:
        return formatDateTimeExtended(item.value);
    }
  }
}
