// Value text forms shared by the XML and JSON encodings: hex, numbers, masks, dates (Addtl Msg Enc §4.1.6, §6.1.6).
import { ItemType, type ItemTypeName } from './item-type.js';
import { TtlvError } from './ttlv-error.js';
import type { NamedValue, Vocabulary } from './vocabulary.js';

/**
 * Deepest element/object nesting the text readers accept. KMIP messages nest under 12 (see limits.ts); the
 * XML test files add two levels (root, message). The bound keeps the recursive converters off the stack limit.
 */
export const TEXT_MAX_DEPTH = 64;

/** Rewrites a "$..." placeholder of a test-case file into the value text to parse in its place. */
export type Substitute = (placeholder: string, type: ItemTypeName, tagName: string) => string | undefined;

export interface TextDecodeOptions {
  readonly substitute?: Substitute;
}

/** Replace a "$…" placeholder through the caller's hook; without an answer the value cannot be read. */
export function substitute(opts: TextDecodeOptions, placeholder: string, type: ItemTypeName, tagName: string, offset: number): string {
  const s = opts.substitute?.(placeholder, type, tagName);
  if (s === undefined) throw new TtlvError(offset, `no value for placeholder '${placeholder}' (${type} ${tagName})`);
  return s;
}

export const INT32_MIN = -0x80000000;
export const INT32_MAX = 0x7fffffff;
export const UINT32_MAX = 0xffffffff;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

/** Type names as the encodings spell them (§4.1.4, §6.1.4), with the 2.x Date Time Extended. */
export function itemTypeByName(name: string): ItemTypeName | undefined {
  return Object.hasOwn(ItemType, name) ? (name as ItemTypeName) : undefined;
}

// ---- hex ----------------------------------------------------------------------------------------------

const HEX_DIGITS = '0123456789abcdef';
const NIBBLE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[65 + i] = 10 + i;
    t[97 + i] = 10 + i;
  }
  return t;
})();

/** Bytes of a hex string without prefix (xsd:hexBinary, §6.1.6.10); undefined when not even-length hex. */
export function parseHexBytes(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = NIBBLE[s.charCodeAt(2 * i)] ?? -1;
    const lo = NIBBLE[s.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

const PREFIXED_HEX = /^0x[0-9a-fA-F]+$/;

/**
 * Unsigned value of "0x…" with at most `maxDigits` digits (§4.1.1: fixed widths are written in full, but the
 * spec's own mask example "0x0000008" is shorter, so fewer digits are read as zero-extended).
 */
export function parsePrefixedHex(s: string, maxDigits: number): bigint | undefined {
  if (!PREFIXED_HEX.test(s) || s.length - 2 > maxDigits) return undefined;
  return BigInt(s);
}

export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

export function hex64(n: bigint): string {
  return '0x' + BigInt.asUintN(64, n).toString(16).padStart(16, '0');
}

/** Big Integer from two's-complement hex of any even length (xsd:hexBinary, §6.1.6.6); "" is 0. */
export function parseBigIntegerHex(s: string): bigint | undefined {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  if (s.length === 0) return 0n;
  return BigInt.asIntN(s.length * 4, BigInt('0x' + s));
}

/** Two's-complement hex of a Big Integer, sign-extended to a multiple of 8 bytes as on the wire (§4.1.6.6). */
export function bigIntegerHex(v: bigint): string {
  const magnitude = v < 0n ? -v - 1n : v;
  const bits = magnitude === 0n ? 1 : magnitude.toString(2).length + 1;
  const bytes = Math.max(8, Math.ceil(bits / 64) * 8);
  return BigInt.asUintN(bytes * 8, v).toString(16).padStart(bytes * 2, '0');
}

// ---- decimal numbers --------------------------------------------------------------------------------------

const DECIMAL = /^[+-]?[0-9]+$/;
const UNSIGNED_DECIMAL = /^\+?[0-9]+$/;

/** xsd:int (§6.1.6.3). */
export function parseInt32(s: string): number | undefined {
  if (!DECIMAL.test(s) || s.length > 16) return undefined;
  const n = Number(s);
  return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
}

/** xsd:unsignedInt (§6.1.6.12). */
export function parseUint32(s: string): number | undefined {
  if (!UNSIGNED_DECIMAL.test(s) || s.length > 16) return undefined;
  const n = Number(s);
  return n <= UINT32_MAX ? n : undefined;
}

/** xsd:long (§6.1.6.5). */
export function parseInt64(s: string): bigint | undefined {
  if (!DECIMAL.test(s) || s.length > 40) return undefined;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

// ---- masks ----------------------------------------------------------------------------------------------

/** Name → bit, built once per mask table (the vocabulary hands out the same array each time). */
const maskIndexes = new WeakMap<readonly NamedValue[], ReadonlyMap<string, number>>();

function maskIndex(bits: readonly NamedValue[]): ReadonlyMap<string, number> {
  let m = maskIndexes.get(bits);
  if (m === undefined) {
    m = new Map(bits.map((b) => [b.name, b.value >>> 0]));
    maskIndexes.set(bits, m);
  }
  return m;
}

/**
 * A mask from its components (§4.1.6.4, §6.1.6.4): names or 32-bit hex, ORed. Returns the signed Integer
 * value, or the first component that is neither.
 */
export function parseMaskComponents(components: readonly string[], bits: readonly NamedValue[]): number | { bad: string } {
  const index = maskIndex(bits);
  let v = 0;
  for (const c of components) {
    const named = index.get(c);
    if (named !== undefined) {
      v |= named;
      continue;
    }
    const h = parsePrefixedHex(c, 8);
    if (h === undefined) return { bad: c };
    v |= Number(h);
  }
  return v | 0;
}

/** Components of a mask: the names of its known bits, then one hex component for any bits left over. */
export function maskComponents(value: number, bits: readonly NamedValue[]): string[] {
  let rest = value >>> 0;
  const out: string[] = [];
  for (const b of bits) {
    const bit = b.value >>> 0;
    if (bit !== 0 && (rest & bit) >>> 0 === bit) {
      out.push(b.name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out.push(hex32(rest));
  return out;
}

// ---- 1.x Attribute context ------------------------------------------------------------------------------

/** The tags of Attribute Name and Attribute Value in a vocabulary: an Attribute Value's enumeration or mask follows its sibling name. */
export interface AttributeTags {
  readonly name: number | undefined;
  readonly value: number | undefined;
}

const attributeTagCache = new WeakMap<Vocabulary, AttributeTags>();

export function attributeTags(vocab: Vocabulary): AttributeTags {
  let t = attributeTagCache.get(vocab);
  if (t === undefined) {
    t = { name: vocab.tagByName('AttributeName'), value: vocab.tagByName('AttributeValue') };
    attributeTagCache.set(vocab, t);
  }
  return t;
}

/** Text of the first Attribute Name Text String among `children`, if any. */
export function siblingAttributeName(
  children: readonly { readonly tag: number; readonly type: number; readonly value: unknown }[],
  tags: AttributeTags,
): string | undefined {
  if (tags.name === undefined) return undefined;
  for (const c of children) {
    if (c.tag === tags.name && c.type === ItemType.TextString) return c.value as string;
  }
  return undefined;
}

// ---- tags -----------------------------------------------------------------------------------------------

const TAG_HEX = /^0x[0-9a-fA-F]{6}$/;

/** A tag written as "0x420001" or as a normalised name (§4.1.6.1, §6.1.6.1). */
export function parseTagText(s: string, vocab: Vocabulary): number | undefined {
  if (TAG_HEX.test(s)) return Number(s);
  return vocab.tagByName(s);
}

export function tagHex(tag: number): string {
  return '0x' + tag.toString(16).padStart(6, '0');
}

// ---- dates (xsd:dateTime) --------------------------------------------------------------------------------

const DATE_TIME = /^(-?)([0-9]{4,9})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/**
 * Microseconds since the epoch of an xsd:dateTime (§4.1.6.11): '-'? yyyy-mm-ddThh:mm:ss('.'s+)?(zone)?.
 * No zone is read as UTC. Digits beyond microseconds are truncated. Undefined when malformed or out of range.
 */
export function parseDateTimeMicros(s: string): bigint | undefined {
  const m = DATE_TIME.exec(s);
  if (m === null) return undefined;
  const [, sign, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const year = (sign === '-' ? -1 : 1) * Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (month < 1 || month > 12) return undefined;
  const dim = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > dim || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59 || (oh === 14 && om !== 0)) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offsetMinutes * 60);
  const micros = seconds * 1_000_000n + BigInt((frac ?? '').slice(0, 6).padEnd(6, '0'));
  return micros;
}

/** Seconds since the epoch of an xsd:dateTime; fractional seconds are ignored (truncated), as §4.1.6.11 says. */
export function parseDateTimeSeconds(s: string): bigint | undefined {
  const us = parseDateTimeMicros(s);
  if (us === undefined) return undefined;
  const sec = us / 1_000_000n - (us < 0n && us % 1_000_000n !== 0n ? 1n : 0n);
  return sec >= INT64_MIN && sec <= INT64_MAX ? sec : undefined;
}

/** Range-checked micros for Date Time Extended (a signed 64-bit count of microseconds). */
export function parseDateTimeExtended(s: string): bigint | undefined {
  const us = parseDateTimeMicros(s);
  return us !== undefined && us >= INT64_MIN && us <= INT64_MAX ? us : undefined;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function formatInstant(seconds: bigint, micros: number | undefined): string {
  let days = seconds / 86400n;
  let rem = seconds % 86400n;
  if (rem < 0n) {
    rem += 86400n;
    days -= 1n;
  }
  const [y, mo, d] = civilFromDays(Number(days));
  const r = Number(rem);
  const year = y < 0 ? '-' + String(-y).padStart(4, '0') : String(y).padStart(4, '0');
  const frac = micros === undefined ? '' : '.' + String(micros).padStart(6, '0');
  return `${year}-${pad2(mo)}-${pad2(d)}T${pad2(Math.floor(r / 3600))}:${pad2(Math.floor(r / 60) % 60)}:${pad2(r % 60)}${frac}+00:00`;
}

/** A Date-Time as UTC xsd:dateTime, the form of the OASIS vectors: "2012-04-27T08:12:24+00:00". */
export function formatDateTime(seconds: bigint): string {
  return formatInstant(seconds, undefined);
}

/** A Date Time Extended (2.x) as UTC xsd:dateTime with six fractional digits. */
export function formatDateTimeExtended(micros: bigint): string {
  let sec = micros / 1_000_000n;
  let us = micros % 1_000_000n;
  if (us < 0n) {
    us += 1_000_000n;
    sec -= 1n;
  }
  return formatInstant(sec, Number(us));
}
