// The generic TTLV tree: one item per Tag-Type-Length-Value (1.4 §9.1), knowing nothing of KMIP.
import { ItemType } from './item-type.js';

/**
 * Value representations, chosen so that decode → encode is exact for every well-formed input:
 * - Integer (signed 32), Enumeration (unsigned 32), Interval (unsigned 32): number;
 * - Long Integer, Big Integer, Date-Time (seconds), Date-Time Extended (microseconds): bigint;
 * - Byte String: a Uint8Array. After decode it is a VIEW into the decoded message buffer, not a copy:
 *   it stays valid while that buffer is not reused; copy it (`Uint8Array.prototype.slice`) to keep it
 *   longer. Zeroing it zeroes the message buffer, which is what key-material hygiene wants.
 */
export type TtlvItem =
  | { readonly tag: number; readonly type: typeof ItemType.Structure; readonly value: TtlvItem[] }
  | { readonly tag: number; readonly type: typeof ItemType.Integer; readonly value: number }
  | { readonly tag: number; readonly type: typeof ItemType.LongInteger; readonly value: bigint }
  | { readonly tag: number; readonly type: typeof ItemType.BigInteger; readonly value: bigint }
  | { readonly tag: number; readonly type: typeof ItemType.Enumeration; readonly value: number }
  | { readonly tag: number; readonly type: typeof ItemType.Boolean; readonly value: boolean }
  | { readonly tag: number; readonly type: typeof ItemType.TextString; readonly value: string }
  | { readonly tag: number; readonly type: typeof ItemType.ByteString; readonly value: Uint8Array }
  | { readonly tag: number; readonly type: typeof ItemType.DateTime; readonly value: bigint }
  | { readonly tag: number; readonly type: typeof ItemType.Interval; readonly value: number }
  | { readonly tag: number; readonly type: typeof ItemType.DateTimeExtended; readonly value: bigint };

export type StructureItem = Extract<TtlvItem, { type: typeof ItemType.Structure }>;

/** Constructors, so that callers never spell type codes. */
export const ttlv = {
  structure: (tag: number, value: TtlvItem[]): TtlvItem => ({ tag, type: ItemType.Structure, value }),
  integer: (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value }),
  longInteger: (tag: number, value: bigint): TtlvItem => ({ tag, type: ItemType.LongInteger, value }),
  bigInteger: (tag: number, value: bigint): TtlvItem => ({ tag, type: ItemType.BigInteger, value }),
  enumeration: (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value }),
  boolean: (tag: number, value: boolean): TtlvItem => ({ tag, type: ItemType.Boolean, value }),
  textString: (tag: number, value: string): TtlvItem => ({ tag, type: ItemType.TextString, value }),
  byteString: (tag: number, value: Uint8Array): TtlvItem => ({ tag, type: ItemType.ByteString, value }),
  dateTime: (tag: number, value: bigint): TtlvItem => ({ tag, type: ItemType.DateTime, value }),
  interval: (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Interval, value }),
  dateTimeExtended: (tag: number, value: bigint): TtlvItem => ({ tag, type: ItemType.DateTimeExtended, value }),
} as const;
