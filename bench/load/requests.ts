// The load generator's KMIP requests as TTLV bytes, in 1.x or 2.x form, and the few response fields it reads
// (1.4 §4.1 Create, §4.9 Locate, §4.11 Get, §4.12 Get Attributes, §4.19 Activate, §4.26 Discover Versions, §7;
// 2.1 §6.1, §8).
import { Enum, Mask } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { decodeTtlv, encodeTtlv, ItemType, ttlv, type TtlvItem } from '../../src/ttlv/index.js';

export interface ProtocolVersion {
  readonly major: number;
  readonly minor: number;
}

export function parseProtocolVersion(text: string): ProtocolVersion {
  const m = /^(\d+)\.(\d+)$/.exec(text);
  if (!m) throw new Error(`protocol version must be major.minor, got ${text}`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

const Op = Enum.Operation;

/** One request message of one batch item: the header every KMIP server accepts (version, batch count). */
function request(v: ProtocolVersion, operation: number, payload: TtlvItem[]): Buffer {
  return encodeTtlv(
    ttlv.structure(Tag.RequestMessage, [
      ttlv.structure(Tag.RequestHeader, [
        ttlv.structure(Tag.ProtocolVersion, [
          ttlv.integer(Tag.ProtocolVersionMajor, v.major),
          ttlv.integer(Tag.ProtocolVersionMinor, v.minor),
        ]),
        ttlv.integer(Tag.BatchCount, 1),
      ]),
      ttlv.structure(Tag.BatchItem, [ttlv.enumeration(Tag.Operation, operation), ttlv.structure(Tag.RequestPayload, payload)]),
    ]),
  );
}

/** A Name attribute value (1.4 §3.2): the text and Uninterpreted Text String. */
function nameValue(name: string): TtlvItem {
  return ttlv.structure(Tag.Name, [
    ttlv.textString(Tag.NameValue, name),
    ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString),
  ]);
}

/** 1.x Attribute structure: Attribute Name text, Attribute Value carrying the value with the AttributeValue tag. */
function attribute1x(name: string, value: TtlvItem): TtlvItem {
  return ttlv.structure(Tag.Attribute, [
    ttlv.textString(Tag.AttributeName, name),
    { ...value, tag: Tag.AttributeValue } as TtlvItem,
  ]);
}

export function createAes256(v: ProtocolVersion, name?: string): Buffer {
  const attrs: [string, TtlvItem][] = [
    ['Cryptographic Algorithm', ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES)],
    ['Cryptographic Length', ttlv.integer(Tag.CryptographicLength, 256)],
    ['Cryptographic Usage Mask', ttlv.integer(Tag.CryptographicUsageMask, Mask.CryptographicUsageMask.Encrypt | Mask.CryptographicUsageMask.Decrypt)],
  ];
  if (name !== undefined) attrs.push(['Name', nameValue(name)]);
  const body =
    v.major >= 2
      ? ttlv.structure(Tag.Attributes, attrs.map(([, value]) => value))
      : ttlv.structure(Tag.TemplateAttribute, attrs.map(([n, value]) => attribute1x(n, value)));
  return request(v, Op.Create, [ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey), body]);
}

export const getRequest = (v: ProtocolVersion, uid: string): Buffer => request(v, Op.Get, [ttlv.textString(Tag.UniqueIdentifier, uid)]);

export const activateRequest = (v: ProtocolVersion, uid: string): Buffer =>
  request(v, Op.Activate, [ttlv.textString(Tag.UniqueIdentifier, uid)]);

/** Get Attributes of State only: the status poll a client makes before using a key. */
export function getStateRequest(v: ProtocolVersion, uid: string): Buffer {
  const which =
    v.major >= 2 ? ttlv.enumeration(Tag.AttributeReference, Tag.State) : ttlv.textString(Tag.AttributeName, 'State');
  return request(v, Op.GetAttributes, [ttlv.textString(Tag.UniqueIdentifier, uid), which]);
}

export const discoverVersionsRequest = (v: ProtocolVersion): Buffer => request(v, Op.DiscoverVersions, []);

export function locateByNameRequest(v: ProtocolVersion, name: string): Buffer {
  const filter = v.major >= 2 ? ttlv.structure(Tag.Attributes, [nameValue(name)]) : attribute1x('Name', nameValue(name));
  return request(v, Op.Locate, [filter]);
}

export interface ResponseSummary {
  readonly ok: boolean;
  /** Result Reason name when the item failed, e.g. "OperationNotSupported". */
  readonly reason?: string;
  /** First Unique Identifier in the payload (Create, Locate), if any. */
  readonly uid?: string;
  /** Number of Unique Identifiers in the payload (Locate). */
  readonly uids: number;
}

const REASON_NAMES = new Map(Object.entries(Enum.ResultReason).map(([k, v]) => [v, k]));

function childOf(item: TtlvItem, tag: number): TtlvItem | undefined {
  return item.type === ItemType.Structure ? item.value.find((c) => c.tag === tag) : undefined;
}

/** Reads the first batch item's status, reason, and Unique Identifiers; throws if the bytes are no response. */
export function summarise(bytes: Uint8Array): ResponseSummary {
  const root = decodeTtlv(bytes);
  const item = childOf(root, Tag.BatchItem);
  if (item === undefined) throw new Error('response without a batch item');
  const status = childOf(item, Tag.ResultStatus)?.value;
  if (status !== Enum.ResultStatus.Success) {
    const reason = childOf(item, Tag.ResultReason)?.value as number | undefined;
    return { ok: false, reason: reason === undefined ? `status ${String(status)}` : (REASON_NAMES.get(reason) ?? `reason 0x${reason.toString(16)}`), uids: 0 };
  }
  const payload = childOf(item, Tag.ResponsePayload);
  let uid: string | undefined;
  let uids = 0;
  if (payload !== undefined && payload.type === ItemType.Structure) {
    for (const c of payload.value) {
      if (c.tag === Tag.UniqueIdentifier && c.type === ItemType.TextString) {
        uid ??= c.value;
        uids++;
      }
    }
  }
  return { ok: true, uid, uids };
}
