// Test harness for the managed-object operations: a real SoftHSM token, a real SQLite file and the protocol
// handler, in process (the TLS transport has its own tests). Call makeObjectHarness() at the top of a test file:
// SoftHSM reads SOFTHSM2_CONF once per process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { openPkcs11KeyStore } from '../../src/keystore/pkcs11-store.js';
import type { ObjectServices } from '../../src/operations/operation.js';
import { MemoryAudit } from '../../src/protocol/audit.js';
import { SUPPORTED_OBJECT_TYPES } from '../../src/protocol/dispatch.js';
import { DEFAULT_PROTOCOL_OPTIONS, ProtocolHandler } from '../../src/protocol/handle-request.js';
import type { ConnectionContext } from '../../src/protocol/kmip-handler.js';
import { openSqliteStore, type SqliteObjectStore } from '../../src/store/sqlite-store.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { makeTestToken, SOFTHSM_MODULE } from '../keystore/fixtures/softhsm.js';
import { child, exchange, reasonName, type BatchItemSpec, type RequestSpec, type ResponseItemView, type ResponseView } from './kmip-messages.js';

export interface ObjectHarness {
  readonly handler: ProtocolHandler;
  readonly store: SqliteObjectStore;
  readonly services: ObjectServices;
  readonly audit: MemoryAudit;
  readonly dir: string;
  /** The clock the server uses: tests move it. */
  clock: bigint;
  /** One request as `identity` (default alice). */
  send(request: RequestSpec, identity?: string): Promise<ResponseView>;
  /** One batch item in `version`; throws unless it succeeded, returns its payload. */
  ok(version: KmipVersion, item: BatchItemSpec, identity?: string): Promise<TtlvItem>;
  /** One batch item in `version`; returns the item view whatever its status. */
  one(version: KmipVersion, item: BatchItemSpec, identity?: string): Promise<ResponseItemView>;
  close(): void;
}

export function connection(identity: string): ConnectionContext {
  return { connectionId: 1, peer: '127.0.0.1', identity: { name: identity, fingerprint: 'x' }, tlsVersion: 'TLSv1.3' };
}

/**
 * `offload` defaults to 'always': the operation tests take the path a loaded server takes (Get's unseal on the
 * key store's worker); the live-server tests take the path a lone request takes.
 */
export function makeObjectHarness(options: { admins?: readonly string[]; offload?: 'busy' | 'always' | 'never' } = {}): ObjectHarness {
  const token = makeTestToken();
  const dir = mkdtempSync(join(tmpdir(), 'kmipd-objects-'));
  const keys = openPkcs11KeyStore({ module: SOFTHSM_MODULE, tokenLabel: token.label, pin: token.pin });
  const store = openSqliteStore(join(dir, 'kmipd.db'));
  const admins = new Set(options.admins ?? []);
  const audit = new MemoryAudit();
  const harness: ObjectHarness = {
    clock: 1_700_000_000n,
    store,
    audit,
    dir,
    services: undefined as unknown as ObjectServices,
    handler: undefined as unknown as ProtocolHandler,
    async send(request, identity = 'alice') {
      return exchange(this.handler, request, connection(identity));
    },
    async one(version, item, identity) {
      const r = await this.send({ version, items: [item] }, identity);
      return r.items[0]!;
    },
    async ok(version, item, identity) {
      const r = await this.one(version, item, identity);
      if (r.resultStatus !== Enum.ResultStatus.Success) {
        throw new Error(`expected success, got ${reasonName(r.resultReason)}: ${r.resultMessage ?? ''}`);
      }
      return r.payload ?? ttlv.structure(Tag.ResponsePayload, []);
    },
    close() {
      store.close();
      keys.close();
      rmSync(dir, { recursive: true, force: true });
      token.cleanup();
    },
  };
  const services: ObjectServices = { store, keys, now: () => harness.clock, isAdmin: (id) => admins.has(id) };
  Object.assign(harness, {
    services,
    handler: new ProtocolHandler({ ...DEFAULT_PROTOCOL_OPTIONS, services, objectTypes: SUPPORTED_OBJECT_TYPES, offload: options.offload ?? 'always' }, audit),
  });
  return harness;
}

// ---- request payload builders, both dialects ------------------------------------------------------------------

/** An attribute for a creating request: 1.x Attribute {Name, Value} or the 2.x attribute item. */
export interface AttrSpec {
  /** 1.x text name, e.g. "Cryptographic Algorithm", or "x-Foo". */
  readonly name: string;
  /** The value item; its tag is set per dialect. */
  readonly value: TtlvItem;
}

const TAG_BY_1X: Readonly<Record<string, number>> = {
  'Cryptographic Algorithm': Tag.CryptographicAlgorithm,
  'Cryptographic Length': Tag.CryptographicLength,
  'Cryptographic Usage Mask': Tag.CryptographicUsageMask,
  Name: Tag.Name,
  'Activation Date': Tag.ActivationDate,
  'Deactivation Date': Tag.DeactivationDate,
  'Object Group': Tag.ObjectGroup,
  'Operation Policy Name': Tag.OperationPolicyName,
  'Contact Information': Tag.ContactInformation,
  Sensitive: Tag.Sensitive,
  Extractable: Tag.Extractable,
  State: Tag.State,
  'Unique Identifier': Tag.UniqueIdentifier,
};

function retag(value: TtlvItem, tag: number): TtlvItem {
  return { ...value, tag } as TtlvItem;
}

/** Attributes in the dialect of `version`: Template-Attribute in 1.x, Attributes in 2.x. */
export function attributesFor(version: KmipVersion, attrs: readonly AttrSpec[]): TtlvItem {
  if (version.startsWith('1.')) {
    return ttlv.structure(
      Tag.TemplateAttribute,
      attrs.map((a) => ttlv.structure(Tag.Attribute, [ttlv.textString(Tag.AttributeName, a.name), retag(a.value, Tag.AttributeValue)])),
    );
  }
  return ttlv.structure(
    Tag.Attributes,
    attrs.map((a) => {
      if (a.name.startsWith('x-') || a.name.startsWith('y-')) {
        return ttlv.structure(Tag.Attribute, [
          ttlv.textString(Tag.VendorIdentification, a.name.slice(0, 1)),
          ttlv.textString(Tag.AttributeName, a.name.slice(2)),
          retag(a.value, Tag.AttributeValue),
        ]);
      }
      const tag = TAG_BY_1X[a.name];
      if (tag === undefined) throw new Error(`attributesFor: add ${a.name} to TAG_BY_1X`);
      return retag(a.value, tag);
    }),
  );
}

export function nameValue(name: string): TtlvItem {
  return ttlv.structure(Tag.Name, [
    ttlv.textString(Tag.NameValue, name),
    ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString),
  ]);
}

/** Create of an AES key: the request item. */
export function createAes(version: KmipVersion, bits = 256, extra: readonly AttrSpec[] = []): BatchItemSpec {
  return {
    operation: Enum.Operation.Create,
    payload: [
      ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey),
      attributesFor(version, [
        { name: 'Cryptographic Algorithm', value: ttlv.enumeration(0, Enum.CryptographicAlgorithm.AES) },
        { name: 'Cryptographic Length', value: ttlv.integer(0, bits) },
        { name: 'Cryptographic Usage Mask', value: ttlv.integer(0, 0x0c) },
        ...extra,
      ]),
    ],
  };
}

/** An operation on one object by UID (Activate, Destroy, Get …); `uid` undefined uses the ID Placeholder. */
export function byUid(operation: number, uid: string | undefined, extra: readonly TtlvItem[] = []): BatchItemSpec {
  return { operation, payload: [...(uid === undefined ? [] : [ttlv.textString(Tag.UniqueIdentifier, uid)]), ...extra] };
}

export function uidOf(payload: TtlvItem): string {
  const u = child(payload, Tag.UniqueIdentifier);
  if (u?.type !== ItemType.TextString) throw new Error('no Unique Identifier in payload');
  return u.value;
}

export const ALL_VERSIONS: readonly KmipVersion[] = ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0', '2.1'];
