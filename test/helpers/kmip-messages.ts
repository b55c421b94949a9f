// Test helper: builds KMIP request messages (any version, any header field, raw extras) as TTLV trees or bytes,
// and reads response bytes into a plain view, independently of src/kmip's schemas (1.4 §7; 2.1 §8).
import { enumForTag, enumValueDef, tagDefined, tagName } from '../../src/kmip/dictionary.js';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import type { ConnectionContext, KmipHandler } from '../../src/protocol/kmip-handler.js';
import { decodeTtlv } from '../../src/ttlv/decode.js';
import { encodeTtlv } from '../../src/ttlv/encode.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';

/** The one connection the in-process protocol tests pretend to be. */
export const TEST_CONNECTION: ConnectionContext = Object.freeze({
  connectionId: 1,
  peer: '127.0.0.1',
  identity: Object.freeze({ name: 'alice', fingerprint: 'x' }),
  tlsVersion: 'TLSv1.3',
});

// ---- building requests ------------------------------------------------------------------------------

/** "1.4", "3.0", "2.2": any major.minor, known to kmipd or not. */
export type VersionText = `${number}.${number}`;

export interface MessageExtensionSpec {
  readonly vendorIdentification: string;
  readonly criticalityIndicator: boolean;
  /** Children of the Vendor Extension structure (any tags). */
  readonly vendorExtension?: TtlvItem[];
}

export interface BatchItemSpec {
  /** Operation value; omit to leave the field out (an invalid item). */
  readonly operation?: number;
  readonly ephemeral?: boolean;
  /** Bytes, or text taken as UTF-8 bytes. */
  readonly uniqueBatchItemID?: Uint8Array | string;
  /** Children of the Request Payload; `null` leaves the Request Payload out. Default: empty payload. */
  readonly payload?: TtlvItem[] | null;
  readonly messageExtensions?: readonly MessageExtensionSpec[];
  /** Raw fields appended after the others (unknown or repeated fields). */
  readonly extra?: TtlvItem[];
}

export interface RequestSpec {
  readonly version: VersionText;
  readonly maximumResponseSize?: number;
  readonly clientCorrelationValue?: string;
  readonly serverCorrelationValue?: string;
  /** A Boolean in 1.x; in 2.x an Enumeration (2.1 §9.2): pass its value as a number. */
  readonly asynchronousIndicator?: boolean | number;
  readonly authentication?: TtlvItem;
  readonly batchErrorContinuationOption?: number;
  readonly batchOrderOption?: boolean;
  readonly timeStamp?: bigint;
  /** Default: the number of items; give another number to lie. `null` leaves Batch Count out. */
  readonly batchCount?: number | null;
  /** Raw fields appended to the Request Header after Batch Count. */
  readonly headerExtra?: TtlvItem[];
  readonly items: readonly BatchItemSpec[];
  /** Raw items appended to the Request Message after the batch items. */
  readonly messageExtra?: TtlvItem[];
}

export function parseVersion(v: VersionText): { major: number; minor: number } {
  const [major, minor] = v.split('.').map(Number) as [number, number];
  return { major, minor };
}

export function protocolVersionItem(v: VersionText): TtlvItem {
  const { major, minor } = parseVersion(v);
  return ttlv.structure(Tag.ProtocolVersion, [
    ttlv.integer(Tag.ProtocolVersionMajor, major),
    ttlv.integer(Tag.ProtocolVersionMinor, minor),
  ]);
}

function bytesOf(id: Uint8Array | string): Uint8Array {
  return typeof id === 'string' ? new TextEncoder().encode(id) : id;
}

export function messageExtensionItem(x: MessageExtensionSpec): TtlvItem {
  return ttlv.structure(Tag.MessageExtension, [
    ttlv.textString(Tag.VendorIdentification, x.vendorIdentification),
    ttlv.boolean(Tag.CriticalityIndicator, x.criticalityIndicator),
    ttlv.structure(Tag.VendorExtension, x.vendorExtension ?? []),
  ]);
}

export function batchItemTree(spec: BatchItemSpec): TtlvItem {
  const fields: TtlvItem[] = [];
  if (spec.operation !== undefined) fields.push(ttlv.enumeration(Tag.Operation, spec.operation));
  if (spec.ephemeral !== undefined) fields.push(ttlv.boolean(Tag.Ephemeral, spec.ephemeral));
  if (spec.uniqueBatchItemID !== undefined) fields.push(ttlv.byteString(Tag.UniqueBatchItemID, bytesOf(spec.uniqueBatchItemID)));
  if (spec.payload !== null) fields.push(ttlv.structure(Tag.RequestPayload, spec.payload ?? []));
  for (const x of spec.messageExtensions ?? []) fields.push(messageExtensionItem(x));
  fields.push(...(spec.extra ?? []));
  return ttlv.structure(Tag.BatchItem, fields);
}

/** The Request Header, fields in the order of 1.4 Table 283 / 2.1 Table 395. */
export function requestHeaderTree(spec: RequestSpec): TtlvItem {
  const f: TtlvItem[] = [protocolVersionItem(spec.version)];
  if (spec.maximumResponseSize !== undefined) f.push(ttlv.integer(Tag.MaximumResponseSize, spec.maximumResponseSize));
  if (spec.clientCorrelationValue !== undefined) f.push(ttlv.textString(Tag.ClientCorrelationValue, spec.clientCorrelationValue));
  if (spec.serverCorrelationValue !== undefined) f.push(ttlv.textString(Tag.ServerCorrelationValue, spec.serverCorrelationValue));
  const async = spec.asynchronousIndicator;
  if (typeof async === 'boolean') f.push(ttlv.boolean(Tag.AsynchronousIndicator, async));
  else if (async !== undefined) f.push(ttlv.enumeration(Tag.AsynchronousIndicator, async));
  if (spec.authentication !== undefined) f.push(spec.authentication);
  if (spec.batchErrorContinuationOption !== undefined) {
    f.push(ttlv.enumeration(Tag.BatchErrorContinuationOption, spec.batchErrorContinuationOption));
  }
  if (spec.batchOrderOption !== undefined) f.push(ttlv.boolean(Tag.BatchOrderOption, spec.batchOrderOption));
  if (spec.timeStamp !== undefined) f.push(ttlv.dateTime(Tag.TimeStamp, spec.timeStamp));
  const count = spec.batchCount === undefined ? spec.items.length : spec.batchCount;
  if (count !== null) f.push(ttlv.integer(Tag.BatchCount, count));
  f.push(...(spec.headerExtra ?? []));
  return ttlv.structure(Tag.RequestHeader, f);
}

export function requestTree(spec: RequestSpec): TtlvItem {
  return ttlv.structure(Tag.RequestMessage, [
    requestHeaderTree(spec),
    ...spec.items.map(batchItemTree),
    ...(spec.messageExtra ?? []),
  ]);
}

export function requestBytes(spec: RequestSpec): Buffer {
  return encodeTtlv(requestTree(spec));
}

/** Authentication with a Username and Password credential (1.4 §2.1.2; 2.1 §2.1.2). */
export function usernamePasswordAuthentication(username: string, password: string): TtlvItem {
  return ttlv.structure(Tag.Authentication, [
    ttlv.structure(Tag.Credential, [
      ttlv.enumeration(Tag.CredentialType, Enum.CredentialType.UsernameAndPassword),
      ttlv.structure(Tag.CredentialValue, [ttlv.textString(Tag.Username, username), ttlv.textString(Tag.Password, password)]),
    ]),
  ]);
}

/** A Query batch item asking the given Query Functions. */
export function queryItem(functions: readonly number[], rest: Omit<BatchItemSpec, 'operation' | 'payload'> = {}): BatchItemSpec {
  return {
    ...rest,
    operation: Enum.Operation.Query,
    payload: functions.map((f) => ttlv.enumeration(Tag.QueryFunction, f)),
  };
}

/** A Discover Versions batch item listing the given versions (none: an empty payload). */
export function discoverVersionsItem(
  versions: readonly VersionText[] = [],
  rest: Omit<BatchItemSpec, 'operation' | 'payload'> = {},
): BatchItemSpec {
  return { ...rest, operation: Enum.Operation.DiscoverVersions, payload: versions.map(protocolVersionItem) };
}

// ---- reading responses ------------------------------------------------------------------------------

export interface ResponseItemView {
  readonly operation?: number;
  readonly uniqueBatchItemID?: Uint8Array;
  readonly resultStatus: number;
  readonly resultReason?: number;
  readonly resultMessage?: string;
  readonly payload?: TtlvItem;
  /** Tags of the batch item's direct children, in order. */
  readonly tags: readonly number[];
  readonly tree: TtlvItem;
}

export interface ResponseView {
  readonly tree: TtlvItem;
  /** The Protocol Version as sent, "major.minor". */
  readonly version: string;
  readonly timeStamp?: bigint;
  readonly clientCorrelationValue?: string;
  readonly serverCorrelationValue?: string;
  readonly batchCount: number;
  /** Tags of the header's direct children, in order. */
  readonly headerTags: readonly number[];
  readonly items: readonly ResponseItemView[];
}

export function children(item: TtlvItem, tag: number): TtlvItem[] {
  return item.type === ItemType.Structure ? item.value.filter((c) => c.tag === tag) : [];
}

export function child(item: TtlvItem, tag: number): TtlvItem | undefined {
  return children(item, tag)[0];
}

/** The one child of `parent` with `tag`, checked to have item type `type`; undefined when absent. */
function single(parent: TtlvItem, tag: number, type: number, where: string): TtlvItem | undefined {
  const found = children(parent, tag);
  if (found.length > 1) throw new Error(`${where}: ${tagName(tag) ?? tag} appears ${found.length} times`);
  const c = found[0];
  if (c !== undefined && c.type !== type) throw new Error(`${where}: ${tagName(tag) ?? tag} has item type ${c.type}, expected ${type}`);
  return c;
}

const num = (i: TtlvItem | undefined): number | undefined => i?.value as number | undefined;
const big = (i: TtlvItem | undefined): bigint | undefined => i?.value as bigint | undefined;
const str = (i: TtlvItem | undefined): string | undefined => i?.value as string | undefined;
const byteString = (i: TtlvItem | undefined): Uint8Array | undefined => i?.value as Uint8Array | undefined;

function required<V>(v: V | undefined, what: string): V {
  if (v === undefined) throw new Error(`response lacks ${what}`);
  return v;
}

/**
 * Read response bytes into a view. Throws (with the reason) when the bytes are not a structurally sound
 * Response Message: bad TTLV, wrong root, header not first, a field repeated or of the wrong type.
 */
export function readResponse(bytes: Uint8Array): ResponseView {
  const tree = decodeTtlv(bytes);
  if (tree.tag !== Tag.ResponseMessage || tree.type !== ItemType.Structure) throw new Error('root is not a ResponseMessage structure');
  const [header, ...rest] = tree.value;
  if (header === undefined || header.tag !== Tag.ResponseHeader || header.type !== ItemType.Structure) {
    throw new Error('first child is not a ResponseHeader structure');
  }
  const pv = required(single(header, Tag.ProtocolVersion, ItemType.Structure, 'ResponseHeader'), 'ProtocolVersion');
  const major = required(num(single(pv, Tag.ProtocolVersionMajor, ItemType.Integer, 'ProtocolVersion')), 'ProtocolVersionMajor');
  const minor = required(num(single(pv, Tag.ProtocolVersionMinor, ItemType.Integer, 'ProtocolVersion')), 'ProtocolVersionMinor');
  const items = rest.map((bi, i): ResponseItemView => {
    if (bi.tag !== Tag.BatchItem || bi.type !== ItemType.Structure) throw new Error(`message child ${i + 1} is not a BatchItem`);
    const where = `BatchItem ${i}`;
    const payloads = children(bi, Tag.ResponsePayload);
    if (payloads.length > 1) throw new Error(`${where}: ResponsePayload appears ${payloads.length} times`);
    return {
      operation: num(single(bi, Tag.Operation, ItemType.Enumeration, where)),
      uniqueBatchItemID: byteString(single(bi, Tag.UniqueBatchItemID, ItemType.ByteString, where)),
      resultStatus: required(num(single(bi, Tag.ResultStatus, ItemType.Enumeration, where)), `${where} ResultStatus`),
      resultReason: num(single(bi, Tag.ResultReason, ItemType.Enumeration, where)),
      resultMessage: str(single(bi, Tag.ResultMessage, ItemType.TextString, where)),
      payload: payloads[0],
      tags: bi.value.map((c) => c.tag),
      tree: bi,
    };
  });
  return {
    tree,
    version: `${major}.${minor}`,
    timeStamp: big(single(header, Tag.TimeStamp, ItemType.DateTime, 'ResponseHeader')),
    clientCorrelationValue: str(single(header, Tag.ClientCorrelationValue, ItemType.TextString, 'ResponseHeader')),
    serverCorrelationValue: str(single(header, Tag.ServerCorrelationValue, ItemType.TextString, 'ResponseHeader')),
    batchCount: required(num(single(header, Tag.BatchCount, ItemType.Integer, 'ResponseHeader')), 'BatchCount'),
    headerTags: header.value.map((c) => c.tag),
    items,
  };
}

/**
 * Everything in `tree` that `version` does not define: tags, and enumeration values of tags whose
 * enumeration is known. Vendor Extension content is skipped (its tags are the vendor's). Each entry is a
 * path such as "ResponseMessage/BatchItem/ResultReason=0x43". `allow` skips a path ending.
 */
export function undefinedIn(tree: TtlvItem, version: KmipVersion, allow: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (item: TtlvItem, path: string): void => {
    const name = tagName(item.tag) ?? `0x${item.tag.toString(16)}`;
    const here = path === '' ? name : `${path}/${name}`;
    if (!tagDefined(item.tag, version)) out.push(here);
    if (item.type === ItemType.Enumeration) {
      const def = enumForTag(item.tag);
      if (def !== undefined && enumValueDef(def, item.value, version) === undefined) {
        out.push(`${here}=0x${item.value.toString(16)}`);
      }
    }
    if (item.type === ItemType.Structure && item.tag !== Tag.VendorExtension) {
      for (const c of item.value) walk(c, here);
    }
  };
  walk(tree, '');
  return out.filter((p) => !allow.some((a) => p.endsWith(a)));
}

/** Name of a Result Reason / Result Status value for readable assertions. */
export function reasonName(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Object.entries(Enum.ResultReason).find(([, v]) => v === value)?.[0] ?? `0x${value.toString(16)}`;
}

export function statusName(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Object.entries(Enum.ResultStatus).find(([, v]) => v === value)?.[0] ?? `0x${value.toString(16)}`;
}

/** Send one request (a spec or raw bytes) through a KmipHandler and read its answer. */
export async function exchange(
  handler: KmipHandler,
  request: RequestSpec | Uint8Array,
  ctx: ConnectionContext = TEST_CONNECTION,
): Promise<ResponseView> {
  const bytes = request instanceof Uint8Array ? Buffer.from(request) : requestBytes(request);
  return readResponse(await handler.handle(bytes, ctx));
}

/** Text of a Unique Batch Item ID (the tests use UTF-8 IDs). */
export function idText(id: Uint8Array | undefined): string | undefined {
  return id === undefined ? undefined : Buffer.from(id).toString('utf8');
}
