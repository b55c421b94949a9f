// Test helper for the client replays (test/clients): raw TTLV sessions over mTLS to a live kmipd, a check that an
// answer is in the request's version and dialect (1.4 §7; 2.1 §8), and readers for the fields real clients read back.
import type { Test } from 'tap';
import { Enum, Mask } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import {
  child,
  children,
  reasonName,
  readResponse,
  requestBytes,
  undefinedIn,
  type BatchItemSpec,
  type RequestSpec,
  type ResponseItemView,
  type ResponseView,
} from './kmip-messages.js';
import type { LiveServer } from './live-server.js';
import { rawClient, type RawClient } from './raw-client.js';

/** A tap test: the checks assert into it. */
export type Checker = Test;

export type RequestOptions = Omit<RequestSpec, 'version' | 'items'>;

/** One TLS connection on which a client sends request after request, as most clients do. */
export interface Session {
  readonly version: KmipVersion;
  readonly client: RawClient;
  request(items: readonly BatchItemSpec[], options?: RequestOptions): Promise<ResponseView>;
  close(): void;
}

export async function openSession(server: LiveServer, version: KmipVersion, identity = 'alice'): Promise<Session> {
  const client = await rawClient(server.port, server.certs, identity);
  return {
    version,
    client,
    async request(items, options = {}) {
      client.send(requestBytes({ ...options, version, items }));
      return readResponse(await client.next());
    },
    close: () => client.close(),
  };
}

/** A new TLS connection for one request, then closed (Synology's habit). */
export async function oneShot(
  server: LiveServer,
  version: KmipVersion,
  items: readonly BatchItemSpec[],
  options: RequestOptions = {},
  identity = 'alice',
): Promise<ResponseView> {
  const s = await openSession(server, version, identity);
  try {
    return await s.request(items, options);
  } finally {
    s.close();
  }
}

/**
 * Checks what every client relies on: the answer speaks the request's version, holds one item per request item
 * (echoing each operation), and carries no tag or enumeration value that version lacks.
 */
export function checkAnswer(t: Checker, r: ResponseView, version: KmipVersion, operations: readonly number[], what: string): void {
  t.equal(r.version, version, `${what}: answered in KMIP ${version}`);
  t.equal(typeof r.timeStamp, 'bigint', `${what}: the header's Time Stamp (required in every version)`);
  t.equal(r.batchCount, r.items.length, `${what}: Batch Count matches the items`);
  t.equal(r.items.length, operations.length, `${what}: one answer per batch item`);
  t.same(r.items.map((i) => i.operation), operations, `${what}: operations echoed`);
  t.same(undefinedIn(r.tree, version), [], `${what}: nothing KMIP ${version} does not define`);
}

/** Asserts the item succeeded (the failure's reason and message in the assertion text); returns its payload. */
export function success(t: Checker, item: ResponseItemView | undefined, what: string): TtlvItem {
  const ok = item?.resultStatus === Enum.ResultStatus.Success;
  t.ok(ok, `${what}: Success${ok ? '' : ` (got ${reasonName(item?.resultReason)}: ${item?.resultMessage ?? ''})`}`);
  return item?.payload ?? ttlv.structure(Tag.ResponsePayload, []);
}

// ---- reading payloads ----------------------------------------------------------------------------------

export function textOf(item: TtlvItem | undefined): string | undefined {
  return item?.type === ItemType.TextString ? item.value : undefined;
}

export function bytesOf(item: TtlvItem | undefined): Buffer | undefined {
  return item?.type === ItemType.ByteString ? Buffer.from(item.value) : undefined;
}

export function valueOf(item: TtlvItem | undefined): unknown {
  return item === undefined || item.type === ItemType.Structure ? undefined : item.value;
}

/** A 1.x Get Attributes / Add / Modify answer's Attribute structures as name → values (in order). */
export function attributes1x(payload: TtlvItem): Map<string, TtlvItem[]> {
  const out = new Map<string, TtlvItem[]>();
  for (const a of children(payload, Tag.Attribute)) {
    const name = textOf(child(a, Tag.AttributeName)) ?? '?';
    const value = child(a, Tag.AttributeValue);
    if (value !== undefined) out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/** The Key Block of a Get answer's object (Symmetric Key, Secret Data …). */
export function keyBlockOf(payload: TtlvItem, objectTag: number): TtlvItem | undefined {
  const object = child(payload, objectTag);
  return object === undefined ? undefined : child(object, Tag.KeyBlock);
}

export function keyMaterialOf(block: TtlvItem | undefined): Buffer | undefined {
  const value = block === undefined ? undefined : child(block, Tag.KeyValue);
  return bytesOf(value === undefined ? undefined : child(value, Tag.KeyMaterial));
}

// ---- building payload parts --------------------------------------------------------------------------

/** A 1.x Attribute {Attribute Name, Attribute Index?, Attribute Value}. */
export function attribute1x(name: string, value: TtlvItem, index?: number): TtlvItem {
  return ttlv.structure(Tag.Attribute, [
    ttlv.textString(Tag.AttributeName, name),
    ...(index === undefined ? [] : [ttlv.integer(Tag.AttributeIndex, index)]),
    { ...value, tag: Tag.AttributeValue } as TtlvItem,
  ]);
}

/** Secret Data {Secret Data Type, Key Block {Key Format Type, Key Value {Key Material}}} (1.4 §2.2.7, §2.1.3). */
export function secretData(type: number, format: number, material: Uint8Array): TtlvItem {
  return ttlv.structure(Tag.SecretData, [
    ttlv.enumeration(Tag.SecretDataType, type),
    ttlv.structure(Tag.KeyBlock, [
      ttlv.enumeration(Tag.KeyFormatType, format),
      ttlv.structure(Tag.KeyValue, [ttlv.byteString(Tag.KeyMaterial, material)]),
    ]),
  ]);
}

/** Get Attributes of `names` (none: all); `uid` undefined uses the ID Placeholder. 1.x names are text. */
export function getAttributes1x(uid: string | undefined, names: readonly string[] = []): BatchItemSpec {
  return {
    operation: Enum.Operation.GetAttributes,
    payload: [
      ...(uid === undefined ? [] : [ttlv.textString(Tag.UniqueIdentifier, uid)]),
      ...names.map((n) => ttlv.textString(Tag.AttributeName, n)),
    ],
  };
}

/** The attribute names KMIP 1.0 defines (1.0 §3.1–3.33); x-/y- names are custom attributes (§3.33). */
export const ATTRIBUTES_1_0: ReadonlySet<string> = new Set([
  'Unique Identifier', 'Name', 'Object Type', 'Cryptographic Algorithm', 'Cryptographic Length',
  'Cryptographic Parameters', 'Cryptographic Domain Parameters', 'Certificate Type', 'Certificate Identifier',
  'Certificate Subject', 'Certificate Issuer', 'Digest', 'Operation Policy Name', 'Cryptographic Usage Mask',
  'Lease Time', 'Usage Limits', 'State', 'Initial Date', 'Activation Date', 'Process Start Date',
  'Protect Stop Date', 'Deactivation Date', 'Destroy Date', 'Compromise Occurrence Date', 'Compromise Date',
  'Revocation Reason', 'Archive Date', 'Object Group', 'Link', 'Application Specific Information',
  'Contact Information', 'Last Change Date',
]);

/** What vCenter, mongod and VAST ask for their keys. */
export const USAGE_ENCRYPT_DECRYPT = Mask.CryptographicUsageMask.Encrypt | Mask.CryptographicUsageMask.Decrypt;

// ---- FortiGate (two test files: one kmipd without, one with a credentials file) ------------------------------

/** FortiGate's Locate (1.0): the Name filter wrapped in a Template-Attribute, not the bare Attribute 1.0 defines. */
export function fortigateLocate(name: string): BatchItemSpec {
  return {
    operation: Enum.Operation.Locate,
    payload: [
      ttlv.structure(Tag.TemplateAttribute, [
        attribute1x(
          'Name',
          ttlv.structure(0, [
            ttlv.textString(Tag.NameValue, name),
            ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString),
          ]),
        ),
      ]),
    ],
  };
}

/** The four IPsec keys of one tunnel FortiGate resolves by Name: encryption and authentication, each direction. */
export function fortigateKeyNames(tunnel: string): string[] {
  return ['enc-in', 'enc-out', 'auth-in', 'auth-out'].map((k) => `${tunnel}-${k}`);
}
