// Strict binary TTLV decoder: bytes → TtlvItem tree, every fault a TtlvError with its offset (1.4 §9.1.1).
import { ItemType, FIXED_LENGTH } from './item-type.js';
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

/**
 * Decode exactly one TTLV item filling `bytes`. Byte String values are views into `bytes` (see ttlv-item.ts).
 * Accepts only canonical encodings, so that encodeTtlv(decodeTtlv(b)) is byte-identical to b.
 */
export function decodeTtlv(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): TtlvItem {
  if (bytes.length > limits.maxMessageBytes) {
    throw new TtlvError(0, `message of ${bytes.length} bytes exceeds the limit of ${limits.maxMessageBytes}`);
  }
  const d = new Decoder(bytes, limits);
  const item = d.item(bytes.length, 1, false);
  if (d.pos !== bytes.length) throw new TtlvError(d.pos, 'trailing bytes after the item');
  return item;
}

class Decoder {
  readonly buf: Buffer;
  readonly view: DataView;
  pos = 0;
  items = 0;
  /** The configured depth, capped so that recursion can never reach the JS stack limit. */
  readonly maxDepth: number;

  constructor(bytes: Uint8Array, readonly limits: TtlvLimits) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxDepth = Math.min(limits.maxDepth, MAX_SAFE_DEPTH);
  }

  /** Read the item at this.pos that must end by `end`; leaves this.pos after its padding. */
  item(end: number, depth: number, inVendorExtension: boolean): TtlvItem {
    const start = this.pos;
    if (end - start < 8) {
      throw new TtlvError(start, depth === 1 ? 'truncated item header' : 'item header overruns its Structure');
    }
    if (++this.items > this.limits.maxItems) {
      throw new TtlvError(start, `more than ${this.limits.maxItems} items`);
    }
    const buf = this.buf;
    const tag = (buf[start]! << 16) | (buf[start + 1]! << 8) | buf[start + 2]!;
    const prefix = buf[start]!;
    if (!inVendorExtension && prefix !== TAG_PREFIX_KMIP && prefix !== TAG_PREFIX_EXTENSION) {
      throw new TtlvError(start, `tag 0x${tag.toString(16).padStart(6, '0')} is neither 0x42xxxx nor 0x54xxxx`);
    }
    const type = buf[start + 3]!;
    if (type === 0 || type > ItemType.DateTimeExtended) {
      throw new TtlvError(start + 3, `unknown item type 0x${type.toString(16).padStart(2, '0')}`);
    }
    const length = this.view.getUint32(start + 4);
    const v = start + 8;
    if (type === ItemType.Structure) {
      if (length > end - v) throw new TtlvError(start + 4, overrun(depth, 'Structure'));
      if (depth > this.maxDepth) throw new TtlvError(start, `nesting deeper than ${this.maxDepth}`);
      const childEnd = v + length;
      const children: TtlvItem[] = [];
      const inner = inVendorExtension || tag === VENDOR_EXTENSION_TAG;
      this.pos = v;
      while (this.pos < childEnd) children.push(this.item(childEnd, depth + 1, inner));
      return { tag, type, value: children };
    }
    const fixed = FIXED_LENGTH[type as keyof typeof FIXED_LENGTH];
    if (fixed !== undefined) {
      if (length !== fixed) throw new TtlvError(start + 4, `${typeName(type)} length ${length}, must be ${fixed}`);
      if (end - v < 8) throw new TtlvError(v, overrun(depth, typeName(type)));
      this.pos = v + 8;
      switch (type) {
        case ItemType.Integer:
          this.zeroPadding(v + 4, v + 8);
          return { tag, type, value: this.view.getInt32(v) };
        case ItemType.Enumeration:
          this.zeroPadding(v + 4, v + 8);
          return { tag, type, value: this.view.getUint32(v) };
        case ItemType.Interval:
          this.zeroPadding(v + 4, v + 8);
          return { tag, type, value: this.view.getUint32(v) };
        case ItemType.LongInteger:
          return { tag, type, value: this.view.getBigInt64(v) };
        case ItemType.DateTime:
          return { tag, type, value: this.view.getBigInt64(v) };
        case ItemType.DateTimeExtended:
          return { tag, type, value: this.view.getBigInt64(v) };
        case ItemType.Boolean: {
          const hi = this.view.getUint32(v);
          const lo = this.view.getUint32(v + 4);
          if (hi !== 0 || lo > 1) throw new TtlvError(v, 'Boolean value is neither 0 nor 1');
          return { tag, type, value: lo === 1 };
        }
      }
    }
    // Plain arithmetic: `(length + 7) & ~7` wraps to negative for lengths near 2^32.
    const padded = Math.ceil(length / 8) * 8;
    if (padded > end - v) {
      throw new TtlvError(start + 4, overrun(depth, typeName(type)));
    }
    const valueEnd = v + length;
    switch (type) {
      case ItemType.TextString: {
        this.zeroPadding(valueEnd, v + padded);
        this.pos = v + padded;
        return { tag, type, value: this.text(v, valueEnd) };
      }
      case ItemType.ByteString: {
        this.zeroPadding(valueEnd, v + padded);
        this.pos = v + padded;
        return { tag, type, value: buf.subarray(v, valueEnd) };
      }
      case ItemType.BigInteger: {
        if (length === 0 || length % 8 !== 0) {
          throw new TtlvError(start + 4, `Big Integer length ${length} is not a positive multiple of 8`);
        }
        this.pos = v + length;
        return { tag, type, value: this.bigInteger(v, length) };
      }
      default:
        throw new TtlvError(start + 3, `unknown item type 0x${type.toString(16).padStart(2, '0')}`);
    }
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
    const view = this.view;
    if (length > 8) {
      const hi = view.getBigUint64(v);
      const nextTop = this.buf[v + 8]! & 0x80;
      if ((hi === 0n && nextTop === 0) || (hi === 0xffffffffffffffffn && nextTop !== 0)) {
        throw new TtlvError(v, 'Big Integer is not minimally sign-extended');
      }
    }
    let value = 0n;
    for (let i = 0; i < length; i += 8) value = (value << 64n) | view.getBigUint64(v + i);
    if (this.buf[v]! & 0x80) value -= 1n << BigInt(length * 8);
    return value;
  }
}

/** At depth 1 the only bound is the end of the input, so running past it is truncation. */
function overrun(depth: number, what: string): string {
  return depth === 1 ? `${what} value truncated` : `${what} overruns its Structure`;
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
