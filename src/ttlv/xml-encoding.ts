// KMIP XML encoding ⇄ TTLV tree (Addtl Msg Enc §6.1.6; names normalised as §6.1.3; Date Time Extended of 2.1 §9.1.1).
import { ITEM_TYPE_NAMES, ItemType, type ItemTypeName } from './item-type.js';
import { TtlvError } from './ttlv-error.js';
import type { TtlvItem } from './ttlv-item.js';
import type { Vocabulary } from './vocabulary.js';
import { readXml, type XmlElement } from './xml-reader.js';
import {
  attributeTags,
  bigIntegerHex,
  bytesToHex,
  formatDateTime,
  formatDateTimeExtended,
  hex32,
  itemTypeByName,
  maskComponents,
  parseBigIntegerHex,
  parseDateTimeExtended,
  parseDateTimeSeconds,
  parseHexBytes,
  parseInt32,
  parseInt64,
  parseMaskComponents,
  parsePrefixedHex,
  parseTagText,
  parseUint32,
  siblingAttributeName,
  substitute,
  tagHex,
  type AttributeTags,
  type TextDecodeOptions,
} from './text-value.js';

export type { XmlElement } from './xml-reader.js';

export type XmlDecodeOptions = TextDecodeOptions;

export interface XmlEncodeOptions {
  /** One level of indentation; '' writes the whole tree on one line. Default two spaces. */
  readonly indent?: string;
}

/** Roots of the OASIS test-case files: 1.0 profile files use KmipTestCase, 1.3+ files KMIP. */
const TEST_CASE_ROOTS: readonly string[] = ['KMIP', 'KmipTestCase'];

/** The general form for any tag (§6.1.6): <TTLV tag="0x540001" name=".." type=".." value=".."/>. */
const GENERAL_ELEMENT = 'TTLV';

/** The §6.1.6.5 example writes an unnamed tag as an element "x540001". */
const HEX_ELEMENT = /^x[0-9a-fA-F]{6}$/;

/** Attributes each form may carry; xmlns (§6.1.6: urn:oasis:tc:kmip:xmlns) is allowed on any element. */
const NAMED_ATTRS: ReadonlySet<string> = new Set(['type', 'value', 'xmlns']);
const GENERAL_ATTRS: ReadonlySet<string> = new Set(['tag', 'name', 'type', 'value', 'xmlns']);

/** XML whitespace: the xsd:list separator of mask components (§6.1.6.4). */
const LIST_SEPARATOR = /[ \t\r\n]+/;

/** One element (whose tag is known to the vocabulary, or written in a general form) → one item. */
export function xmlToTtlv(xml: string | XmlElement, vocab: Vocabulary, opts: XmlDecodeOptions = {}): TtlvItem {
  const root = typeof xml === 'string' ? readXml(xml) : xml;
  return new XmlDecoder(vocab, opts).item(root, undefined);
}

/**
 * The messages of a test-case file, in order: the children of a KMIP or KmipTestCase root
 * (RequestMessage, ResponseMessage, ...). A document whose root is itself a message yields that one.
 */
export function xmlMessages(xml: string | XmlElement, vocab: Vocabulary, opts: XmlDecodeOptions = {}): TtlvItem[] {
  const root = typeof xml === 'string' ? readXml(xml) : xml;
  const decoder = new XmlDecoder(vocab, opts);
  if (!TEST_CASE_ROOTS.includes(root.name)) return [decoder.item(root, undefined)];
  return root.children.map((el) => decoder.item(el, undefined));
}

class XmlDecoder {
  private readonly attrTags: AttributeTags;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly opts: XmlDecodeOptions,
  ) {
    this.attrTags = attributeTags(vocab);
  }

  /** `attributeName`: text of the preceding sibling AttributeName, for an AttributeValue's enumeration or mask. */
  item(el: XmlElement, attributeName: string | undefined): TtlvItem {
    const general = el.name === GENERAL_ELEMENT;
    const allowed = general ? GENERAL_ATTRS : NAMED_ATTRS;
    for (const a of Object.keys(el.attrs)) {
      if (!allowed.has(a) && !a.startsWith('xmlns:')) throw new TtlvError(el.offset, `unexpected attribute '${a}' on <${el.name}>`);
    }
    const tag = this.tag(el, general);
    const typeText = el.attrs['type'] ?? 'Structure';
    const typeName = itemTypeByName(typeText);
    if (typeName === undefined) throw new TtlvError(el.offset, `unknown type '${typeText}' on <${el.name}>`);

    if (typeName === 'Structure') {
      if (el.attrs['value'] !== undefined) throw new TtlvError(el.offset, `Structure <${el.name}> has a value attribute`);
      const value: TtlvItem[] = [];
      let name: string | undefined;
      for (const child of el.children) {
        const c = this.item(child, name);
        value.push(c);
        if (c.tag === this.attrTags.name && c.type === ItemType.TextString) name = c.value;
      }
      return { tag, type: ItemType.Structure, value };
    }

    if (el.children.length > 0) throw new TtlvError(el.children[0]?.offset ?? el.offset, `${typeName} <${el.name}> has child elements`);
    let text = el.attrs['value'];
    if (text === undefined) throw new TtlvError(el.offset, `${typeName} <${el.name}> has no value attribute`);
    if (text.startsWith('$')) text = substitute(this.opts, text, typeName, this.tagName(tag), el.offset);
    const attrName = tag === this.attrTags.value ? attributeName : undefined;
    return this.value(el, tag, typeName, text, attrName);
  }

  /** For placeholders and error messages only: not looked up on the common path. */
  private tagName(tag: number): string {
    return this.vocab.tagName(tag) ?? tagHex(tag);
  }

  private tag(el: XmlElement, general: boolean): number {
    if (general) {
      const t = el.attrs['tag'];
      if (t === undefined) throw new TtlvError(el.offset, '<TTLV> without a tag attribute');
      const tag = parseTagText(t, this.vocab);
      if (tag === undefined) throw new TtlvError(el.offset, `unknown tag '${t}'`);
      return tag;
    }
    const tag = this.vocab.tagByName(el.name);
    if (tag !== undefined) return tag;
    if (HEX_ELEMENT.test(el.name)) return parseInt(el.name.slice(1), 16);
    throw new TtlvError(el.offset, `unknown tag name '${el.name}'`);
  }

  private value(el: XmlElement, tag: number, typeName: ItemTypeName, text: string, attrName: string | undefined): TtlvItem {
    const fail = (what: string): never => {
      throw new TtlvError(el.offset, `${what} '${text}' for ${this.tagName(tag)}`);
    };
    switch (typeName) {
      case 'Integer': {
        const n = parseInt32(text);
        if (n !== undefined) return { tag, type: ItemType.Integer, value: n };
        const bits = this.vocab.maskBits(tag, attrName);
        if (bits === undefined) return fail('bad Integer');
        const parts = text.trim();
        const v = parts === '' ? { bad: '' } : parseMaskComponents(parts.split(LIST_SEPARATOR), bits);
        if (typeof v !== 'number') return fail(`unknown mask component '${v.bad}' in`);
        return { tag, type: ItemType.Integer, value: v };
      }
      case 'LongInteger':
        return { tag, type: ItemType.LongInteger, value: parseInt64(text) ?? fail('bad LongInteger') };
      case 'BigInteger':
        return { tag, type: ItemType.BigInteger, value: parseBigIntegerHex(text) ?? fail('bad BigInteger hex') };
      case 'Enumeration': {
        const h = parsePrefixedHex(text, 8);
        const v = h !== undefined ? Number(h) : this.vocab.enumValue(tag, text, attrName);
        return { tag, type: ItemType.Enumeration, value: v ?? fail('unknown enumeration name') };
      }
      case 'Boolean':
        if (text === 'true' || text === '1') return { tag, type: ItemType.Boolean, value: true };
        if (text === 'false' || text === '0') return { tag, type: ItemType.Boolean, value: false };
        return fail('bad Boolean');
      case 'TextString':
        return { tag, type: ItemType.TextString, value: text };
      case 'ByteString':
        return { tag, type: ItemType.ByteString, value: parseHexBytes(text) ?? fail('bad ByteString hex') };
      case 'DateTime':
        return { tag, type: ItemType.DateTime, value: parseDateTimeSeconds(text) ?? fail('bad DateTime') };
      case 'Interval':
        return { tag, type: ItemType.Interval, value: parseUint32(text) ?? fail('bad Interval') };
      case 'DateTimeExtended':
        return { tag, type: ItemType.DateTimeExtended, value: parseDateTimeExtended(text) ?? fail('bad DateTimeExtended') };
      case 'Structure':
        return fail('unreachable');
    }
  }
}

// ---- writing ---------------------------------------------------------------------------------------------

/** Characters escaped in attribute values; tabs and line breaks too, which attribute normalisation would turn into spaces. */
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const NEEDS_ESCAPE = /[&<>"\t\n\r]/g;
/** Text XML 1.0 cannot carry at all, even as a character reference (XML 1.0 §2.2). */
const UNREPRESENTABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function escapeAttr(s: string): string {
  return s.replace(NEEDS_ESCAPE, (c) => ESCAPES[c] ?? c);
}

/** The XML text of one item (usually a message), in the specific form for known tags, the TTLV form otherwise. */
export function ttlvToXml(item: TtlvItem, vocab: Vocabulary, opts: XmlEncodeOptions = {}): string {
  const indent = opts.indent ?? '  ';
  const w = new XmlWriter(vocab, indent);
  w.write(item, 0, undefined);
  return w.lines.join(indent === '' ? '' : '\n');
}

class XmlWriter {
  readonly lines: string[] = [];
  private readonly pads: string[] = [''];
  private readonly attrTags: AttributeTags;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly indent: string,
  ) {
    this.attrTags = attributeTags(vocab);
  }

  private pad(depth: number): string {
    while (this.pads.length <= depth) this.pads.push(this.indent.repeat(this.pads.length));
    return this.pads[depth] ?? '';
  }

  write(item: TtlvItem, depth: number, attributeName: string | undefined): void {
    const pad = this.pad(depth);
    const name = this.vocab.tagName(item.tag);
    const open = name !== undefined ? `<${name}` : `<${GENERAL_ELEMENT} tag="${tagHex(item.tag)}"`;
    if (item.type === ItemType.Structure) {
      if (item.value.length === 0) {
        this.lines.push(`${pad}${open}/>`);
        return;
      }
      this.lines.push(`${pad}${open}>`);
      const an = siblingAttributeName(item.value, this.attrTags);
      for (const child of item.value) this.write(child, depth + 1, an);
      this.lines.push(`${pad}</${name ?? GENERAL_ELEMENT}>`);
      return;
    }
    const attrName = item.tag === this.attrTags.value ? attributeName : undefined;
    const typeName = ITEM_TYPE_NAMES[item.type] ?? 'Structure';
    this.lines.push(`${pad}${open} type="${typeName}" value="${escapeAttr(this.valueText(item, attrName, name))}"/>`);
  }

  private valueText(item: Exclude<TtlvItem, { type: 0x01 }>, attrName: string | undefined, name: string | undefined): string {
    switch (item.type) {
      case ItemType.Integer: {
        const bits = this.vocab.maskBits(item.tag, attrName);
        if (bits === undefined || item.value === 0) return String(item.value);
        return maskComponents(item.value, bits).join(' ');
      }
      case ItemType.Enumeration:
        return this.vocab.enumName(item.tag, item.value, attrName) ?? hex32(item.value);
      case ItemType.LongInteger:
      case ItemType.Interval:
        return String(item.value);
      case ItemType.BigInteger:
        return bigIntegerHex(item.value);
      case ItemType.Boolean:
        return item.value ? 'true' : 'false';
      case ItemType.TextString:
        if (UNREPRESENTABLE.test(item.value)) {
          throw new TtlvError(0, `Text String ${name ?? tagHex(item.tag)} holds a character that XML 1.0 cannot carry`);
        }
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
