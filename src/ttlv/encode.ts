// Binary TTLV encoder: TtlvItem tree → exact canonical bytes (1.4 §9.1.1), one pass with back-patched lengths.
import { ItemType } from './item-type.js';
import { TtlvError } from './ttlv-error.js';
import type { TtlvItem } from './ttlv-item.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * One scratch buffer per process, grown on demand: encoding writes there and copies the result out once,
 * so a message costs one allocation of its exact size. Encoding is synchronous, so sharing is safe.
 */
/** Node's Buffer has utf8Write (what write(s, off, 'utf8') calls after checking its arguments); untyped. */
type Utf8Writer = Buffer & { utf8Write(s: string, offset: number): number };

let scratch = Buffer.allocUnsafe(64 * 1024);
let view = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);

/** Encode one item (usually a whole message) to a new Buffer of exactly its length. */
export function encodeTtlv(item: TtlvItem): Buffer {
  const end = write(item, 0);
  const out = Buffer.allocUnsafe(end);
  scratch.copy(out, 0, 0, end);
  return out;
}

function ensure(need: number): void {
  if (need <= scratch.length) return;
  let size = scratch.length * 2;
  while (size < need) size *= 2;
  const next = Buffer.allocUnsafe(size);
  scratch.copy(next);
  scratch = next;
  view = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
}

function header(pos: number, tag: number, type: number, length: number): void {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffff) throw new TtlvError(pos, `tag ${tag} is not a 3-byte value`);
  scratch[pos] = tag >>> 16;
  scratch[pos + 1] = (tag >>> 8) & 0xff;
  scratch[pos + 2] = tag & 0xff;
  scratch[pos + 3] = type;
  view.setUint32(pos + 4, length);
}

/** Write `item` at `pos`; returns the position after its padding. */
function write(item: TtlvItem, pos: number): number {
  ensure(pos + 16);
  const v = pos + 8;
  switch (item.type) {
    case ItemType.Structure: {
      let p = v;
      for (const child of item.value) p = write(child, p);
      header(pos, item.tag, item.type, p - v);
      return p;
    }
    case ItemType.Integer: {
      const n = item.value;
      if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new TtlvError(pos, `Integer ${n} out of range`);
      header(pos, item.tag, item.type, 4);
      view.setInt32(v, n);
      view.setUint32(v + 4, 0);
      return v + 8;
    }
    case ItemType.Enumeration:
    case ItemType.Interval: {
      const n = item.value;
      if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) throw new TtlvError(pos, `${item.type === ItemType.Interval ? 'Interval' : 'Enumeration'} ${n} out of range`);
      header(pos, item.tag, item.type, 4);
      view.setUint32(v, n);
      view.setUint32(v + 4, 0);
      return v + 8;
    }
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended: {
      const n = item.value;
      if (n < INT64_MIN || n > INT64_MAX) throw new TtlvError(pos, `64-bit value ${n} out of range`);
      header(pos, item.tag, item.type, 8);
      view.setBigInt64(v, n);
      return v + 8;
    }
    case ItemType.Boolean: {
      header(pos, item.tag, item.type, 8);
      view.setUint32(v, 0);
      view.setUint32(v + 4, item.value ? 1 : 0);
      return v + 8;
    }
    case ItemType.TextString: {
      const s = item.value;
      ensure(v + s.length * 3 + 8);
      const n = (scratch as Utf8Writer).utf8Write(s, v);
      header(pos, item.tag, item.type, n);
      return pad(v + n);
    }
    case ItemType.ByteString: {
      const b = item.value;
      ensure(v + b.length + 8);
      scratch.set(b, v);
      header(pos, item.tag, item.type, b.length);
      return pad(v + b.length);
    }
    case ItemType.BigInteger: {
      const len = bigIntegerLength(item.value);
      ensure(v + len);
      let x = BigInt.asUintN(len * 8, item.value);
      for (let i = v + len - 8; i >= v; i -= 8) {
        view.setBigUint64(i, BigInt.asUintN(64, x));
        x >>= 64n;
      }
      header(pos, item.tag, item.type, len);
      return v + len;
    }
    default:
      throw new TtlvError(pos, `unknown item type ${(item as { type: unknown }).type}`);
  }
}

/** Zero the padding after a variable-length value ending at `end`; returns the padded end. */
function pad(end: number): number {
  const padded = (end + 7) & ~7;
  for (let i = end; i < padded; i++) scratch[i] = 0; // at most 7 bytes: a loop beats fill()'s argument checks
  return padded;
}

/** Minimal two's complement length, rounded up to a multiple of 8 bytes (1.4 §9.1.1.4). */
function bigIntegerLength(n: bigint): number {
  const magnitude = n < 0n ? -n - 1n : n;
  const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
  return Math.max(8, Math.ceil((bits + 1) / 64) * 8);
}
