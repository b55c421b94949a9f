// Strict binary TTLV decoder: bytes → TtlvItem tree, every fault a TtlvError with its offset (1.4 §9.1.1).
import { ItemType } from './item-type.js';
import { DEFAULT_TTLV_LIMITS, type TtlvLimits } from './limits.js';
import { TtlvError } from './ttlv-error.js';
import type { TtlvItem } from './ttlv-item.js';

/** Vendor Extension (1.4 §2.1.9): its content may carry tags of any form, so tag checks stop at it. */
const VENDOR_EXTENSION_TAG = 0x42009c;
const TAG_PREFIX_KMIP = 0x42;
const TAG_PREFIX_EXTENSION = 0x54;

/** Recursion bound whatever the configured limit: a few hundred frames are far below Node's stack size. */
export const MAX_SAFE_DEPTH = 512;

/** Node's Buffer has latin1Slice (what toString('latin1') calls after checking its arguments); untyped. */
type LatinSlicer = Buffer & { latin1Slice(start: number, end: number): string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A decoded non-Structure value (see ttlv-item.ts for which type gives which). */
export type TtlvScalar = number | bigint | boolean | string | Uint8Array;

/**
 * Decode exactly one TTLV item filling `bytes`. Byte String values are views into `bytes` (see ttlv-item.ts).
 * Accepts only canonical encodings, so that encodeTtlv(decodeTtlv(b)) is byte-identical to b.
 */
export function decodeTtlv(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): TtlvItem {
  const r = new TtlvReader(bytes, limits);
  const item = r.item(bytes.length, 1, false);
  r.finish();
  return item;
}

/**
 * A cursor over one message with every check decodeTtlv makes, for readers that walk the bytes themselves
 * (a schema-directed reader builds its objects without a tree in between). Per item: head() reads and checks
 * its header, then exactly one of enter() (a Structure: its children follow at pos), scalar() (any other
 * type) or rest() (the item as a tree) consumes its value. item() is head() then rest().
 */
export class TtlvReader {
  readonly buf: Buffer;
  pos = 0;
  items = 0;
  /** The configured depth, capped so that recursion can never reach the JS stack limit. */
  readonly maxDepth: number;
  readonly maxItems: number;
  /** The item whose header head() read last: where it starts, its tag, type code and Length field. */
  start = 0;
  tag = 0;
  type = 0;
  length = 0;

  constructor(bytes: Uint8Array, limits: TtlvLimits) {
    if (bytes.length > limits.maxMessageBytes) {
      throw new TtlvError(0, `message of ${bytes.length} bytes exceeds the limit of ${limits.maxMessageBytes}`);
    }
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxDepth = Math.min(limits.maxDepth, MAX_SAFE_DEPTH);
    this.maxItems = limits.maxItems;
  }

  /**
   * Read the item at this.pos that must end by `end`; leaves this.pos after its padding. It is head() then
   * rest(), written out: one call less per item where decodeTtlv spends its time.
   */
  item(end: number, depth: number, inVendorExtension: boolean): TtlvItem {
    this.head(end, depth, inVendorExtension);
    const tag = this.tag;
    const type = this.type;
    if (type === ItemType.Structure) {
      const childEnd = this.enter(end, depth);
      const children: TtlvItem[] = [];
      const inner = inVendorExtension || tag === VENDOR_EXTENSION_TAG;
      while (this.pos < childEnd) children.push(this.item(childEnd, depth + 1, inner));
      return { tag, type, value: children };
    }
    return { tag, type, value: this.scalar(end, depth) } as TtlvItem;
  }

  /** Read and check the header of the item at this.pos, which must end by `end`; pos moves to its value. */
  head(end: number, depth: number, inVendorExtension: boolean): void {
    const start = this.pos;
    if (end - start < 8) throw headerOverrun(start, depth);
    if (++this.items > this.maxItems) throw tooManyItems(start, this.maxItems);
    const buf = this.buf;
    const prefix = buf[start]!;
    const tag = (prefix << 16) | (buf[start + 1]! << 8) | buf[start + 2]!;
    if (!inVendorExtension && prefix !== TAG_PREFIX_KMIP && prefix !== TAG_PREFIX_EXTENSION) throw badTag(start, tag);
    const type = buf[start + 3]!;
    if (type === 0 || type > ItemType.DateTimeExtended) throw unknownType(start + 3, type);
    this.start = start;
    this.tag = tag;
    this.type = type;
    this.length = uint32(buf, start + 4);
    this.pos = start + 8;
  }

  /** After head() of a Structure: check its length and the depth; returns where its children end. */
  enter(end: number, depth: number): number {
    const v = this.start + 8;
    if (this.length > end - v) throw overrun(this.start + 4, depth, 'Structure');
    if (depth > this.maxDepth) throw tooDeep(this.start, this.maxDepth);
    return v + this.length;
  }

  /** After head(): the whole item as a tree; pos moves past it. */
  rest(end: number, depth: number, inVendorExtension: boolean): TtlvItem {
    const tag = this.tag;
    const type = this.type;
    if (type === ItemType.Structure) {
      const childEnd = this.enter(end, depth);
      const children: TtlvItem[] = [];
      const inner = inVendorExtension || tag === VENDOR_EXTENSION_TAG;
      while (this.pos < childEnd) children.push(this.item(childEnd, depth + 1, inner));
      return { tag, type, value: children };
    }
    return { tag, type, value: this.scalar(end, depth) } as TtlvItem;
  }

  /** After head() of any type but Structure: its value; pos moves past its padding. */
  scalar(end: number, depth: number): TtlvScalar {
    // Small on purpose, so that V8 inlines it where items are read: strings first, the rest out of line.
    const type = this.type;
    if (type === ItemType.TextString || type === ItemType.ByteString) {
      const v = this.variable(end, depth);
      const valueEnd = v + this.length;
      this.zeroPadding(valueEnd, this.pos);
      return type === ItemType.TextString ? this.text(v, valueEnd) : this.buf.subarray(v, valueEnd);
    }
    return this.number(end, depth);
  }

  /** scalar() of the numeric and Boolean types. */
  private number(end: number, depth: number): TtlvScalar {
    const buf = this.buf;
    switch (this.type) {
      case ItemType.Integer:
        return uint32(buf, this.fixed(end, depth, 4)) | 0;
      case ItemType.Enumeration:
      case ItemType.Interval:
        return uint32(buf, this.fixed(end, depth, 4));
      case ItemType.LongInteger:
      case ItemType.DateTime:
      case ItemType.DateTimeExtended:
        return buf.readBigInt64BE(this.fixed(end, depth, 8));
      case ItemType.Boolean: {
        const v = this.fixed(end, depth, 8);
        const hi = uint32(buf, v);
        const lo = uint32(buf, v + 4);
        if (hi !== 0 || lo > 1) throw notBoolean(v);
        return lo === 1;
      }
      case ItemType.BigInteger: {
        const v = this.variable(end, depth);
        const length = this.length;
        if (length === 0 || length % 8 !== 0) throw badBigIntegerLength(this.start + 4, length);
        return this.bigInteger(v, length);
      }
      default:
        throw unknownType(this.start + 3, this.type);
    }
  }

  /**
   * Checks of a fixed-length value (1.4 §9.1.1.3): its Length field, its 8 bytes inside `end`, and for a 4-byte
   * value zero padding. Returns where the value starts; pos moves past it.
   */
  private fixed(end: number, depth: number, length: number): number {
    const v = this.start + 8;
    if (this.length !== length) throw badFixedLength(this.start + 4, this.type, this.length, length);
    if (end - v < 8) throw overrun(v, depth, typeName(this.type));
    // One test for the usual all-zero padding; the loop then names the first offending byte.
    if (length === 4 && uint32(this.buf, v + 4) !== 0) this.zeroPadding(v + 4, v + 8);
    this.pos = v + 8;
    return v;
  }

  /** The check of a variable-length value: it and its padding inside `end`. Returns where it starts; pos moves past its padding. */
  private variable(end: number, depth: number): number {
    const v = this.start + 8;
    // Plain arithmetic: `(length + 7) & ~7` wraps to negative for lengths near 2^32.
    const padded = Math.ceil(this.length / 8) * 8;
    if (padded > end - v) throw overrun(this.start + 4, depth, typeName(this.type));
    this.pos = v + padded;
    return v;
  }

  /** The check decodeTtlv makes after the root item: nothing may follow it. */
  finish(): void {
    if (this.pos !== this.buf.length) throw new TtlvError(this.pos, 'trailing bytes after the item');
  }

  zeroPadding(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      if (this.buf[i] !== 0) throw new TtlvError(i, 'non-zero padding');
    }
  }

  text(from: number, to: number): string {
    const buf = this.buf;
    // ASCII is the common case (identifiers, names); latin1Slice of ASCII is exact and much faster.
    for (let i = from; i < to; i++) {
      if (buf[i]! >= 0x80) {
        try {
          return utf8.decode(buf.subarray(from, to));
        } catch {
          throw new TtlvError(from, 'Text String is not valid UTF-8');
        }
      }
    }
    return (buf as LatinSlicer).latin1Slice(from, to);
  }

  /** Two's complement big-endian, minimal: the first 8 bytes must not be pure sign extension. */
  bigInteger(v: number, length: number): bigint {
    const buf = this.buf;
    if (length > 8) {
      const hi = buf.readBigUInt64BE(v);
      const nextTop = this.buf[v + 8]! & 0x80;
      if ((hi === 0n && nextTop === 0) || (hi === 0xffffffffffffffffn && nextTop !== 0)) {
        throw new TtlvError(v, 'Big Integer is not minimally sign-extended');
      }
    }
    let value = 0n;
    for (let i = 0; i < length; i += 8) value = (value << 64n) | buf.readBigUInt64BE(v + i);
    if (this.buf[v]! & 0x80) value -= 1n << BigInt(length * 8);
    return value;
  }
}

/** Big-endian unsigned 32 bits at `at` (bounds already checked): cheaper than a DataView per message. */
function uint32(buf: Buffer, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

/*
 * The faults, built out of line: keeping message formatting out of head() and scalar() keeps those small enough
 * for V8 to inline into the loops that call them.
 */

function headerOverrun(start: number, depth: number): TtlvError {
  return new TtlvError(start, depth === 1 ? 'truncated item header' : 'item header overruns its Structure');
}

function tooManyItems(start: number, max: number): TtlvError {
  return new TtlvError(start, `more than ${max} items`);
}

function badTag(start: number, tag: number): TtlvError {
  return new TtlvError(start, `tag 0x${tag.toString(16).padStart(6, '0')} is neither 0x42xxxx nor 0x54xxxx`);
}

function unknownType(at: number, type: number): TtlvError {
  return new TtlvError(at, `unknown item type 0x${type.toString(16).padStart(2, '0')}`);
}

function tooDeep(start: number, max: number): TtlvError {
  return new TtlvError(start, `nesting deeper than ${max}`);
}

function badFixedLength(at: number, type: number, length: number, fixed: number): TtlvError {
  return new TtlvError(at, `${typeName(type)} length ${length}, must be ${fixed}`);
}

function notBoolean(at: number): TtlvError {
  return new TtlvError(at, 'Boolean value is neither 0 nor 1');
}

function badBigIntegerLength(at: number, length: number): TtlvError {
  return new TtlvError(at, `Big Integer length ${length} is not a positive multiple of 8`);
}

/** At depth 1 the only bound is the end of the input, so running past it is truncation. */
function overrun(at: number, depth: number, what: string): TtlvError {
  return new TtlvError(at, depth === 1 ? `${what} value truncated` : `${what} overruns its Structure`);
}

function typeName(type: number): string {
  switch (type) {
    case ItemType.Integer: return 'Integer';
    case ItemType.LongInteger: return 'Long Integer';
    case ItemType.BigInteger: return 'Big Integer';
    case ItemType.Enumeration: return 'Enumeration';
    case ItemType.Boolean: return 'Boolean';
    case ItemType.TextString: return 'Text String';
    case ItemType.ByteString: return 'Byte String';
    case ItemType.DateTime: return 'Date-Time';
    case ItemType.Interval: return 'Interval';
    case ItemType.DateTimeExtended: return 'Date-Time Extended';
    default: return `type 0x${type.toString(16)}`;
  }
}
