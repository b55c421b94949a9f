// Bytes ⇄ typed KMIP messages, in the protocol version of the message's header (1.4 §7, §11.1; 2.1 §8, §11).
import { decodeTtlv } from '../ttlv/decode.js';
import { encodeTtlv } from '../ttlv/encode.js';
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
import { readStructure, writeStructure } from './structure-schema.js';
import { Tag } from './tag.js';
import { KMIP_VERSIONS, versionOf, type KmipVersion } from './versions.js';

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
  const known = versionOf(major, minor);
  if (known !== undefined) return { version: known, newerMinor: false };
  let highest: KmipVersion | undefined;
  for (const v of KMIP_VERSIONS) if (v.startsWith(`${major}.`)) highest = v;
  if (highest === undefined || minor < Number(highest.split('.')[1])) return undefined;
  return { version: highest, newerMinor: true };
}

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

/** Bytes → typed request. Throws TtlvError for bad bytes, KmipError for a bad message. */
export function decodeRequestMessage(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): Decoded<RequestMessage> {
  return readRequestMessage(decodeTtlv(bytes, limits));
}

export function decodeResponseMessage(bytes: Uint8Array, limits: TtlvLimits = DEFAULT_TTLV_LIMITS): Decoded<ResponseMessage> {
  return readResponseMessage(decodeTtlv(bytes, limits));
}

export function encodeRequestMessage(message: RequestMessage, version: KmipVersion): Buffer {
  return encodeTtlv(writeStructure(message, RequestMessageSchema, version));
}

/** Typed response → bytes in `version`: fields that version does not define are left out. */
export function encodeResponseMessage(message: ResponseMessage, version: KmipVersion): Buffer {
  return encodeTtlv(writeStructure(message, ResponseMessageSchema, version));
}
