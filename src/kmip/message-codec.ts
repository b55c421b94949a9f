// Bytes ⇄ typed KMIP messages, in the protocol version of the message's header (1.4 §7, §11.1; 2.1 §8, §11).
import { decodeTtlv } from '../ttlv/decode.js';
import { ItemType } from '../ttlv/item-type.js';
import { DEFAULT_TTLV_LIMITS, type TtlvLimits } from '../ttlv/limits.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { KmipError } from './kmip-error.js';
import {
  RequestMessageSchema,
  ResponseMessageSchema,
  type RequestMessage,
  type ResponseMessage,
} from './message-schema.js';
import { decodeStructure } from './schema-decoder.js';
import { encodeStructure } from './schema-encoder.js';
import { readStructure, type ReadOptions, type StructureSchema } from './structure-schema.js';
import { Tag } from './tag.js';
import { KMIP_VERSIONS, type KmipVersion } from './versions.js';

/** A decoded message and the version it is read in. */
export interface Decoded<M> {
  readonly message: M;
  /** The version used to read it (and to answer it). */
  readonly version: KmipVersion;
  /** True when the header named a newer minor of a major we speak, read as our highest of that major. */
  readonly newerMinor: boolean;
}

/** The header's Protocol Version as sent, if the tree has one where the spec puts it; never throws. */
export function peekProtocolVersion(root: TtlvItem): { major: number; minor: number } | undefined {
  if (root.type !== ItemType.Structure) return undefined;
  const header = root.value[0];
  if (header === undefined || header.type !== ItemType.Structure) return undefined;
  const pv = header.value.find((i) => i.tag === Tag.ProtocolVersion);
  if (pv === undefined || pv.type !== ItemType.Structure) return undefined;
  const major = pv.value.find((i) => i.tag === Tag.ProtocolVersionMajor);
  const minor = pv.value.find((i) => i.tag === Tag.ProtocolVersionMinor);
  if (major?.type !== ItemType.Integer || minor?.type !== ItemType.Integer) return undefined;
  return { major: major.value, minor: minor.value };
}

/**
 * The version in which to read and answer a message whose header says major.minor: that version when we
 * speak it; our highest of the same major for a newer minor; undefined for an unknown major.
 */
export function negotiateVersion(major: number, minor: number): { version: KmipVersion; newerMinor: boolean } | undefined {
  const opts = readOptionsFor(major, minor);
  return opts === undefined ? undefined : { version: opts.version, newerMinor: opts.ignoreUnknown };
}

/**
 * negotiateVersion's answer as the options to read the message with (unknown fields ignored exactly when the
 * minor is newer than ours), taken from a table rather than allocated.
 */
function readOptionsFor(major: number, minor: number): ReadOptions | undefined {
  let highest: KnownVersion | undefined;
  for (const v of KNOWN_VERSIONS) {
    if (v.major !== major) continue;
    if (v.minor === minor) return v.exact;
    highest = v;
  }
  if (highest === undefined || minor < highest.minor) return undefined;
  return highest.newerMinor;
}

interface KnownVersion {
  readonly major: number;
  readonly minor: number;
  /** Reading a message of this very version. */
  readonly exact: ReadOptions;
  /** Reading, as this version, a message of a newer minor of its major. */
  readonly newerMinor: ReadOptions;
}

/** KMIP_VERSIONS with their numbers, in order: negotiation compares numbers, not strings. */
const KNOWN_VERSIONS: readonly KnownVersion[] = KMIP_VERSIONS.map((version) => {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return {
    major,
    minor,
    exact: Object.freeze({ version, ignoreUnknown: false }),
    newerMinor: Object.freeze({ version, ignoreUnknown: true }),
  };
});

function readMessage<M>(root: TtlvItem, schema: typeof RequestMessageSchema): Decoded<M> {
  const pv = peekProtocolVersion(root);
  if (pv === undefined) throw new KmipError('InvalidMessage', 'the message has no readable Protocol Version');
  const negotiated = negotiateVersion(pv.major, pv.minor);
  if (negotiated === undefined) {
    throw new KmipError('InvalidMessage', `protocol version ${pv.major}.${pv.minor} is not supported`);
  }
  const message = readStructure(root, schema, {
    version: negotiated.version,
    ignoreUnknown: negotiated.newerMinor,
  }) as unknown as M;
  return { message, version: negotiated.version, newerMinor: negotiated.newerMinor };
}

/** Tree → typed request (TtlvError never comes from here; KmipError does). */
export function readRequestMessage(root: TtlvItem): Decoded<RequestMessage> {
  return readMessage<RequestMessage>(root, RequestMessageSchema);
}

export function readResponseMessage(root: TtlvItem): Decoded<ResponseMessage> {
  return readMessage<ResponseMessage>(root, ResponseMessageSchema);
}

/**
 * The options to read a message with, from its header's Protocol Version read at the fixed offsets where a
 * message laid out as usual carries it: the message Structure at 0, its first child the header Structure at 8,
 * the header's first child a 32-byte Protocol Version at 16 holding Major (Integer, at 24) and Minor (Integer,
 * at 40). Undefined for any other layout or a version we cannot negotiate. The numbers are those
 * peekProtocolVersion would find in the tree, if the bytes decode.
 */
function readOptionsAt(b: Uint8Array, messageTag: number, headerTag: number): ReadOptions | undefined {
  if (
    b.length < 56 ||
    int32At(b, 0) !== itemHead(messageTag, ItemType.Structure) ||
    int32At(b, 8) !== itemHead(headerTag, ItemType.Structure) ||
    int32At(b, 16) !== itemHead(Tag.ProtocolVersion, ItemType.Structure) ||
    int32At(b, 20) !== 32 ||
    int32At(b, 24) !== itemHead(Tag.ProtocolVersionMajor, ItemType.Integer) ||
    int32At(b, 28) !== 4 ||
    int32At(b, 40) !== itemHead(Tag.ProtocolVersionMinor, ItemType.Integer) ||
    int32At(b, 44) !== 4
  ) {
    return undefined;
  }
  return readOptionsFor(int32At(b, 32), int32At(b, 48));
}

/** An item header's first four bytes (tag, type) as int32At reads them. */
function itemHead(tag: number, type: number): number {
  return (tag << 8) | type;
}

function int32At(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

/**
 * The one-pass reading of a message (schema-decoder.ts), with the version known before the first byte is read.
 * Undefined when the layout is unusual or anything is at fault: the tree path then reads the message, or names
 * its fault, exactly as it always has.
 */
function decodeDirect<M>(bytes: Uint8Array, limits: TtlvLimits, schema: StructureSchema, headerTag: number): Decoded<M> | undefined {
  const opts = readOptionsAt(bytes, schema.tag, headerTag);
  if (opts === undefined) return undefined;
  const message = decodeStructure(bytes, schema, opts, limits);
  return message === undefined ? undefined : { message: message as unknown as M, version: opts.version, newerMinor: opts.ignoreUnknown };
}

/**
 * Bytes → typed request when the message is well formed, else undefined (decodeRequestMessage, or the server's
 * item-by-item reading, then judges it). Its header is the message's first child, as the server requires.
 */
export function decodeRequestMessageDirect(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): Decoded<RequestMessage> | undefined {
  return decodeDirect<RequestMessage>(bytes, limits, RequestMessageSchema, Tag.RequestHeader);
}

/** Bytes → typed request. Throws TtlvError for bad bytes, KmipError for a bad message. */
export function decodeRequestMessage(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): Decoded<RequestMessage> {
  return decodeRequestMessageDirect(bytes, limits) ?? readRequestMessage(decodeTtlv(bytes, limits));
}

export function decodeResponseMessage(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): Decoded<ResponseMessage> {
  return (
    decodeDirect<ResponseMessage>(bytes, limits, ResponseMessageSchema, Tag.ResponseHeader) ??
    readResponseMessage(decodeTtlv(bytes, limits))
  );
}

export function encodeRequestMessage(message: RequestMessage, version: KmipVersion): Buffer {
  return encodeStructure(message, RequestMessageSchema, version);
}

/** Typed response → bytes in `version`: fields that version does not define are left out. */
export function encodeResponseMessage(message: ResponseMessage, version: KmipVersion): Buffer {
  return encodeStructure(message, ResponseMessageSchema, version);
}
