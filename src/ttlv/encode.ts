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
  return encodedBytes(writeItem(item, 0));
}

/*
 * Low-level writing into the shared scratch buffer, for writers that walk their own data (a schema-driven
 * writer writes typed objects without building a tree first). A message is written from position 0 and is
 * taken with encodedBytes(end) before anything else encodes: encoding is synchronous, so nothing interleaves.
 * A Structure: `const v = openStructure(pos)`, write its children from v, then `closeStructure(pos, tag, end)`.
 */

/** Make room for a Structure header at `pos`; returns where its first child goes. */
export function openStructure(pos: number): number {
  ensure(pos + 8);
  return pos + 8;
}

/** Back-patch the header of the Structure opened at `pos` whose children end at `end`; returns `end`. */
export function closeStructure(pos: number, tag: number, end: number): number {
  header(pos, tag, ItemType.Structure, end - pos - 8);
  return end;
}

/** A copy of the scratch buffer's first `end` bytes: the encoded message. */
export function encodedBytes(end: number): Buffer {
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
export function writeItem(item: TtlvItem, pos: number): number {
  switch (item.type) {
    case ItemType.Structure: {
      ensure(pos + 16);
      let p = pos + 8;
      for (const child of item.value) p = writeItem(child, p);
      header(pos, item.tag, item.type, p - pos - 8);
      return p;
    }
    case ItemType.Integer: return writeInteger(item.tag, item.value, pos);
    case ItemType.Enumeration:
    case ItemType.Interval: return writeUnsigned(item.tag, item.type, item.value, pos);
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended: return writeInt64(item.tag, item.type, item.value, pos);
    case ItemType.Boolean: return writeBoolean(item.tag, item.value, pos);
    case ItemType.TextString: return writeText(item.tag, item.value, pos);
    case ItemType.ByteString: return writeBytes(item.tag, item.value, pos);
    case ItemType.BigInteger: return writeBigInteger(item.tag, item.value, pos);
    default:
      throw new TtlvError(pos, `unknown item type ${(item as { type: unknown }).type}`);
  }
}

/**
 * Write a non-Structure item of this tag and type at `pos`; returns the position after its padding. The value
 * is taken as writeItem takes an item's, so a value of the wrong kind fails the same way there and here.
 */
export function writeValue(tag: number, type: number, value: unknown, pos: number): number {
  switch (type) {
    case ItemType.Integer: return writeInteger(tag, value as number, pos);
    case ItemType.Enumeration:
    case ItemType.Interval: return writeUnsigned(tag, type, value as number, pos);
    case ItemType.LongInteger:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended: return writeInt64(tag, type, value as bigint, pos);
    case ItemType.Boolean: return writeBoolean(tag, value as boolean, pos);
    case ItemType.TextString: return writeText(tag, value as string, pos);
    case ItemType.ByteString: return writeBytes(tag, value as Uint8Array, pos);
    case ItemType.BigInteger: return writeBigInteger(tag, value as bigint, pos);
    default:
      throw new TtlvError(pos, `unknown item type ${type}`);
  }
}

function writeInteger(tag: number, n: number, pos: number): number {
  ensure(pos + 16);
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new TtlvError(pos, `Integer ${n} out of range`);
  header(pos, tag, ItemType.Integer, 4);
  view.setInt32(pos + 8, n);
  view.setUint32(pos + 12, 0);
  return pos + 16;
}

function writeUnsigned(tag: number, type: number, n: number, pos: number): number {
  ensure(pos + 16);
  if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) {
    throw new TtlvError(pos, `${type === ItemType.Interval ? 'Interval' : 'Enumeration'} ${n} out of range`);
  }
  header(pos, tag, type, 4);
  view.setUint32(pos + 8, n);
  view.setUint32(pos + 12, 0);
  return pos + 16;
}

function writeInt64(tag: number, type: number, n: bigint, pos: number): number {
  ensure(pos + 16);
  if (n < INT64_MIN || n > INT64_MAX) throw new TtlvError(pos, `64-bit value ${n} out of range`);
  header(pos, tag, type, 8);
  view.setBigInt64(pos + 8, n);
  return pos + 16;
}

function writeBoolean(tag: number, b: boolean, pos: number): number {
  ensure(pos + 16);
  header(pos, tag, ItemType.Boolean, 8);
  view.setUint32(pos + 8, 0);
  view.setUint32(pos + 12, b ? 1 : 0);
  return pos + 16;
}

function writeText(tag: number, s: string, pos: number): number {
  const v = pos + 8;
  ensure(v + s.length * 3 + 8);
  const n = (scratch as Utf8Writer).utf8Write(s, v);
  header(pos, tag, ItemType.TextString, n);
  return pad(v + n);
}

function writeBytes(tag: number, b: Uint8Array, pos: number): number {
  const v = pos + 8;
  ensure(v + b.length + 8);
  scratch.set(b, v);
  header(pos, tag, ItemType.ByteString, b.length);
  return pad(v + b.length);
}

function writeBigInteger(tag: number, big: bigint, pos: number): number {
  const v = pos + 8;
  const len = bigIntegerLength(big);
  ensure(v + len);
  let x = BigInt.asUintN(len * 8, big);
  for (let i = v + len - 8; i >= v; i -= 8) {
    view.setBigUint64(i, BigInt.asUintN(64, x));
    x >>= 64n;
  }
  header(pos, tag, ItemType.BigInteger, len);
  return v + len;
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
