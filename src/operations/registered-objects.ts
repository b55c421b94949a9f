// What the lifecycle operations share: the object a request names (not archived), which object types each
// operation acts on per version, and the result reasons that differ between 1.x and 2.x (1.4 §4, §11; 2.1 §6.1).
import { KmipError, type ResultReasonName } from '../kmip/kmip-error.js';
import { defineStructure, readStructure, writeStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { ObjectTypeName } from '../model/attribute-policy.js';
import type { ManagedObject } from '../model/managed-object.js';
import { ItemType as T } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { OBJECT_TYPE_NAMES, loadObject, refuseArchived, targetUid } from './object-access.js';
import type { OperationContext } from './operation.js';

/** The payload of Activate, Destroy, Archive, Recover (and each of their responses): one optional Unique Identifier. */
export const UidOnlyRequest = defineStructure('UidOnlyRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
]);

export const UidResponse = defineStructure('UidResponsePayload', Tag.ResponsePayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString, required: true },
]);

export function uidResponse(uid: string, version: KmipVersion): TtlvItem {
  return writeStructure({ uniqueIdentifier: uid }, UidResponse, version);
}

/** Reads a payload that names at most one object; the ID Placeholder stands in when it names none. */
export function readUidOnly(payload: TtlvItem, ctx: OperationContext): string {
  const req = readStructure(payload, UidOnlyRequest, ctx.readOptions) as { uniqueIdentifier?: string };
  return targetUid(req.uniqueIdentifier, ctx);
}

/** 1.x or 2.x: the spec's error tables differ by major version. */
export function major(version: KmipVersion): '1' | '2' {
  return version.startsWith('1.') ? '1' : '2';
}



/** The object named by the request, loaded with the access check, refused when archived. */
export function loadOnline(ctx: OperationContext, uid: string): ManagedObject {
  const object = loadObject(ctx, uid);
  refuseArchived(object);
  return object;
}

// 1.4 §2.2: the Managed Cryptographic Objects. Opaque Objects and Templates are not.
const CRYPTOGRAPHIC: readonly ObjectTypeName[] = [
  'Certificate', 'SymmetricKey', 'PublicKey', 'PrivateKey', 'SplitKey', 'SecretData', 'PGPKey',
];

/**
 * Object types each lifecycle operation acts on, per major version. 1.4 §4.19 activates "a Managed Cryptographic
 * Object", §4.20 revokes "a Managed Cryptographic Object or an Opaque Object"; 2.1 §6.1.1 activates "a Managed
 * Object" (every 2.x object has a State), §6.1.44 revokes cryptographic objects and opaque objects. Check acts on
 * keys and the like; Re-key only on Symmetric Keys (1.4 §4.4; 2.1 §6.1.46).
 */
export const OPERABLE_TYPES = {
  Activate: { '1': CRYPTOGRAPHIC, '2': [...CRYPTOGRAPHIC, 'OpaqueObject'] },
  Revoke: { '1': [...CRYPTOGRAPHIC, 'OpaqueObject'], '2': [...CRYPTOGRAPHIC, 'OpaqueObject'] },
  Check: { '1': [...CRYPTOGRAPHIC, 'OpaqueObject'], '2': [...CRYPTOGRAPHIC, 'OpaqueObject'] },
  ReKey: { '1': ['SymmetricKey'], '2': ['SymmetricKey'] },
} as const satisfies Record<string, Record<'1' | '2', readonly ObjectTypeName[]>>;

/**
 * The reason for an object the operation does not act on: 2.x names Invalid Object Type (2.1 §6.1.1.1, §6.1.44.1,
 * §6.1.46.1) and, for Check, Illegal Object Type (§6.1.7.1). The 1.x answers (Illegal Operation, or Permission
 * Denied for Re-key) are in the dispatch rows.
 */
const WRONG_TYPE_REASON = {
  Activate: 'InvalidObjectType',
  Revoke: 'InvalidObjectType',
  Check: 'IllegalObjectType',
  ReKey: 'InvalidObjectType',
} as const satisfies Record<keyof typeof OPERABLE_TYPES, ResultReasonName>;

export function assertOperable(operation: keyof typeof OPERABLE_TYPES, object: ManagedObject, version: KmipVersion): void {
  const name = OBJECT_TYPE_NAMES.get(object.objectType);
  const allowed: readonly ObjectTypeName[] = OPERABLE_TYPES[operation][major(version)];
  if (name === undefined || !allowed.includes(name)) {
    throw new KmipError(WRONG_TYPE_REASON[operation], `${operation} does not apply to ${name ?? 'this object'}`);
  }
}

/** Object Type values a cryptographic object has (1.4 §2.2). */
export function isCryptographic(objectType: number): boolean {
  const name = OBJECT_TYPE_NAMES.get(objectType);
  return name !== undefined && CRYPTOGRAPHIC.includes(name);
}
