// A small strict XML 1.0 reader for what the KMIP XML encoding uses (Addtl Msg Enc §6.1.6): elements, attributes,
// comments, the XML declaration, whitespace between elements, predefined entities and character references.
import { TtlvError } from './ttlv-error.js';
import { TEXT_MAX_DEPTH } from './text-value.js';

/** One element; `offset` is the character offset of its '<' in the text. */
export interface XmlElement {
  readonly name: string;
  /** Attribute values after entity expansion and attribute-value normalisation (XML 1.0 §3.3.3). */
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  readonly offset: number;
}

/** The predefined entities (XML 1.0 §4.6); no DTD is read, so there are no others. */
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y;
const WHITESPACE = /[ \t\r\n]*/y;
const XML_DECL =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(['"])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(['"])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(['"])(?:yes|no)\3)?[ \t\r\n]*\?>/y;
const REFERENCE = /&(?:([A-Za-z]+)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,6}));/y;
/** Characters outside XML 1.0's Char production (§2.2), including unpaired surrogates. */
const INVALID_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Parse a whole document into its root element. Throws TtlvError(character offset, reason). */
export function readXml(text: string): XmlElement {
  const bad = INVALID_CHAR.exec(text);
  if (bad !== null) throw new TtlvError(bad.index, 'invalid XML character');
  return new Reader(text).document();
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): XmlElement {
    const t = this.text;
    if (t.charCodeAt(0) === 0xfeff) this.pos = 1;
    XML_DECL.lastIndex = this.pos;
    if (XML_DECL.test(t)) this.pos = XML_DECL.lastIndex;
    else if (t.startsWith('<?xml', this.pos)) throw new TtlvError(this.pos, 'malformed XML declaration');

    this.misc();
    if (this.pos >= t.length) throw new TtlvError(this.pos, 'no root element');
    if (t[this.pos] !== '<') throw new TtlvError(this.pos, 'text outside the root element');
    const root = this.elements();
    this.misc();
    if (this.pos < t.length) throw new TtlvError(this.pos, 'content after the root element');
    return root;
  }

  /** Whitespace and comments outside the root element. */
  private misc(): void {
    const t = this.text;
    for (;;) {
      this.skipSpace();
      if (t.startsWith('<!--', this.pos)) this.comment();
      else if (t.startsWith('<!DOCTYPE', this.pos)) throw new TtlvError(this.pos, 'DOCTYPE is not supported');
      else if (t.startsWith('<?', this.pos)) throw new TtlvError(this.pos, 'processing instructions are not supported');
      else return;
    }
  }

  private skipSpace(): number {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.test(this.text);
    const n = WHITESPACE.lastIndex - this.pos;
    this.pos = WHITESPACE.lastIndex;
    return n;
  }

  private comment(): void {
    const start = this.pos;
    const dashes = this.text.indexOf('--', start + 4);
    if (dashes < 0) throw new TtlvError(start, 'unterminated comment');
    if (this.text[dashes + 2] !== '>') throw new TtlvError(dashes, "'--' inside a comment");
    this.pos = dashes + 3;
  }

  private name(what: string): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.text);
    if (m === null) throw new TtlvError(this.pos, `invalid ${what} name`);
    this.pos = NAME.lastIndex;
    return m[0];
  }

  /** The root element and everything inside it, iteratively (no recursion on nesting). */
  private elements(): XmlElement {
    const t = this.text;
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    while (root === undefined) {
      if (this.pos >= t.length) {
        const open = stack[stack.length - 1];
        throw new TtlvError(open?.offset ?? this.pos, `unclosed element <${open?.name ?? ''}>`);
      }
      if (t.charCodeAt(this.pos) !== 0x3c /* < */) {
        this.text_();
        continue;
      }
      if (t.startsWith('<!--', this.pos)) {
        this.comment();
      } else if (t.startsWith('</', this.pos)) {
        const at = this.pos;
        this.pos += 2;
        const name = this.name('element');
        this.skipSpace();
        if (t[this.pos] !== '>') throw new TtlvError(this.pos, "expected '>'");
        this.pos++;
        const open = stack.pop();
        if (open === undefined || open.name !== name) {
          throw new TtlvError(at, open === undefined ? `unexpected end tag </${name}>` : `end tag </${name}> does not match <${open.name}>`);
        }
        if (stack.length === 0) root = open;
      } else if (t.startsWith('<!', this.pos) || t.startsWith('<?', this.pos)) {
        throw new TtlvError(this.pos, 'markup declarations, CDATA and processing instructions are not supported');
      } else {
        const { element, selfClosing } = this.startTag();
        const parent = stack[stack.length - 1];
        if (parent !== undefined) parent.children.push(element);
        if (selfClosing) {
          if (parent === undefined) root = element;
        } else {
          if (stack.length >= TEXT_MAX_DEPTH) throw new TtlvError(element.offset, `elements nest deeper than ${TEXT_MAX_DEPTH}`);
          stack.push(element);
        }
      }
    }
    return root;
  }

  /** Character data between tags: KMIP XML carries values in attributes, so only whitespace is allowed. */
  private text_(): void {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && t.charCodeAt(this.pos) !== 0x3c) {
      if (!isSpace(t.charCodeAt(this.pos))) throw new TtlvError(this.pos, 'unexpected text content');
      this.pos++;
    }
    if (this.pos === start) throw new TtlvError(start, 'unexpected text content');
  }

  private startTag(): { element: XmlElement; selfClosing: boolean } {
    const t = this.text;
    const offset = this.pos;
    this.pos++;
    const name = this.name('element');
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      const spaced = this.skipSpace() > 0;
      if (t.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { element: { name, attrs, children: [], offset }, selfClosing: true };
      }
      if (t[this.pos] === '>') {
        this.pos++;
        return { element: { name, attrs, children: [], offset }, selfClosing: false };
      }
      if (this.pos >= t.length) throw new TtlvError(offset, `unterminated start tag <${name}>`);
      if (!spaced) throw new TtlvError(this.pos, 'expected whitespace before an attribute');
      const at = this.pos;
      const attr = this.name('attribute');
      if (Object.hasOwn(attrs, attr)) throw new TtlvError(at, `duplicate attribute '${attr}'`);
      this.skipSpace();
      if (t[this.pos] !== '=') throw new TtlvError(this.pos, `expected '=' after attribute '${attr}'`);
      this.pos++;
      this.skipSpace();
      attrs[attr] = this.attributeValue();
    }
  }

  private attributeValue(): string {
    const t = this.text;
    const quote = t[this.pos];
    if (quote !== '"' && quote !== "'") throw new TtlvError(this.pos, 'expected a quoted attribute value');
    const start = this.pos;
    this.pos++;
    let out = '';
    let run = this.pos;
    for (;;) {
      if (this.pos >= t.length) throw new TtlvError(start, 'unterminated attribute value');
      const c = t.charCodeAt(this.pos);
      if (c === quote.charCodeAt(0)) break;
      if (c === 0x3c) throw new TtlvError(this.pos, "'<' in an attribute value");
      if (c === 0x26 /* & */) {
        out += t.slice(run, this.pos) + this.reference();
        run = this.pos;
      } else if (c === 0x09 || c === 0x0a || c === 0x0d) {
        // Attribute-value normalisation (XML 1.0 §3.3.3): each literal line break or tab becomes one space.
        out += t.slice(run, this.pos) + ' ';
        this.pos += c === 0x0d && t.charCodeAt(this.pos + 1) === 0x0a ? 2 : 1;
        run = this.pos;
      } else {
        this.pos++;
      }
    }
    out += t.slice(run, this.pos);
    this.pos++;
    return out;
  }

  private reference(): string {
    REFERENCE.lastIndex = this.pos;
    const m = REFERENCE.exec(this.text);
    if (m === null) throw new TtlvError(this.pos, 'malformed entity or character reference');
    const [, entity, dec, hex] = m;
    let s: string;
    if (entity !== undefined) {
      const e = ENTITIES[entity];
      if (e === undefined || !Object.hasOwn(ENTITIES, entity)) throw new TtlvError(this.pos, `unknown entity '&${entity};'`);
      s = e;
    } else {
      const cp = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
      if (!isXmlChar(cp)) throw new TtlvError(this.pos, 'character reference to a non-XML character');
      s = String.fromCodePoint(cp);
    }
    this.pos = REFERENCE.lastIndex;
    return s;
  }
}
