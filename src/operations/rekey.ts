// Re-key (1.4 §4.4; 2.1 §6.1.46): a replacement Symmetric Key from the token's RNG, with the existing key's
// attributes save those of the Re-key Attribute Requirements table; it takes over the existing key's names, the two
// are linked (Replacement Object / Replaced Object), and its Unique Identifier goes to the ID Placeholder. An Offset
// moves the dates (1.4 Table 172); the request's attributes override copied ones. Errors: Item Not Found; Object
// Archived; not a Symmetric Key: Permission Denied (1.x, §11.5) / Invalid Object Type (2.x); already re-keyed (a key
// has one replacement, 1.4 §3.35): Permission Denied; destroyed (no key value): Key Value Not Present (1.2+; Permission
// Denied before); Offset together with a date attribute: Invalid Message; Offset for a key with dates but no
// Activation Date: Illegal Operation (Permission Denied in 2.x); attribute policy faults; Non Unique Name.
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure, writeStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { definedIn } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { initialState, isDestroyed } from '../model/lifecycle.js';
import type { ManagedObject } from '../model/managed-object.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { impliedAttributes } from './implied-attributes.js';
import { child, symmetricKeyBytes, symmetricKeyObject } from './key-material.js';
import {
  applyDueDates, assertNamesUnique, changed, clientAttributes, creationInputs, dateOf, dateValue, digestAttribute, firstValue,
  instancesOf, newUid, serverAttributes, services, targetUid, withoutAttribute, withSingle,
} from './object-access.js';
import type { OperationRun } from './operation.js';
import { assertOperable, loadOnline } from './registered-objects.js';

const RequestSchema = defineStructure('ReKeyRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'offset', tag: Tag.Offset, type: T.Interval },
  { key: 'templateAttribute', tag: Tag.TemplateAttribute, type: T.Structure, until: '2.0' },
  { key: 'attributes', tag: Tag.Attributes, type: T.Structure, since: '2.0' },
  { key: 'protectionStorageMasks', tag: Tag.ProtectionStorageMasks, type: T.Structure, since: '2.0' },
]);

const ResponseSchema = defineStructure('ReKeyResponsePayload', Tag.ResponsePayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString, required: true },
]);

/**
 * Attributes not copied to the replacement key (1.4 Table 173; 2.1 Table 304): set anew by the server (identity,
 * state, the creation dates, Digest, Fresh, Random Number Generator), not set at all (Destroy Date, the compromise
 * dates, Revocation Reason, Archive Date), or handled below (Link, Usage Limits, and the four lifecycle dates).
 */
const NOT_COPIED: ReadonlySet<string> = new Set([
  'UniqueIdentifier', 'ObjectType', 'State', 'InitialDate', 'LastChangeDate', 'OriginalCreationDate', 'Digest', 'Fresh',
  'RandomNumberGenerator', 'ShortUniqueIdentifier', 'DestroyDate', 'CompromiseOccurrenceDate', 'CompromiseDate',
  'RevocationReason', 'ArchiveDate', 'Link', 'UsageLimits', 'KeyValuePresent', 'RotateDate', 'RotateGeneration',
]);

/** The dates an Offset moves (1.4 Table 172), Activation Date first: the others move by the same amount. */
const OFFSET_DATES = ['ActivationDate', 'ProcessStartDate', 'ProtectStopDate', 'DeactivationDate'] as const;

const Link = Enum.LinkType;

/**
 * PyKMIP 0.10 sends an empty Template-Attribute in its 2.0 Re-key requests, a field 2.x no longer defines. An
 * EMPTY one carries nothing, so it is dropped rather than refused (a deliberate exception for the reference
 * client); a Template-Attribute with content in 2.x is still Invalid Field.
 */
function withoutEmptyTemplateAttribute(payload: TtlvItem, version: string): TtlvItem {
  if (version.startsWith('1.') || payload.type !== T.Structure) return payload;
  const kept = payload.value.filter((c) => !(c.tag === Tag.TemplateAttribute && c.type === T.Structure && c.value.length === 0));
  return kept.length === payload.value.length ? payload : { ...payload, value: kept };
}

export const reKey: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const req = readStructure(withoutEmptyTemplateAttribute(payload, ctx.version), RequestSchema, ctx.readOptions) as {
    uniqueIdentifier?: string;
    offset?: number;
    templateAttribute?: TtlvItem;
    attributes?: TtlvItem;
  };
  const old = loadOnline(ctx, targetUid(req.uniqueIdentifier, ctx));
  assertOperable('ReKey', old, ctx.version);
  if (isDestroyed(old.state) || old.material === undefined) {
    throw new KmipError(definedIn(ctx.version, '1.2') ? 'KeyValueNotPresent' : 'PermissionDenied', `object ${old.uid} has no key value to re-key`);
  }
  if (links(old, Link.ReplacementObjectLink).length > 0) {
    throw new KmipError('PermissionDenied', `object ${old.uid} has been re-keyed already`);
  }
  const inputs = creationInputs(req.templateAttribute, req.attributes, ctx.version, ctx);
  if (req.offset !== undefined && inputs.some((i) => (OFFSET_DATES as readonly string[]).includes(i.name))) {
    throw new KmipError('InvalidMessage', 'an Offset may not come with Activation, Process Start, Protect Stop or Deactivation Date');
  }
  const client = clientAttributes(inputs, old.objectType, ctx.version);

  const now = svc.now();
  const uid = newUid();
  let attributes: AttributeInstance[] = old.attributes.filter((a) => !NOT_COPIED.has(a.name));
  if (req.offset !== undefined) attributes = offsetDates(old, attributes, now + BigInt(req.offset));
  const limits = usageLimitsRenewed(firstValue(old, 'UsageLimits'));
  if (limits !== undefined) attributes.push({ name: 'UsageLimits', index: 0, value: limits });
  for (const name of new Set(client.map((a) => a.name))) attributes = withoutAttribute(attributes, name);
  attributes.push(...client);
  attributes.push({ name: 'Link', index: 0, value: linkValue(Link.ReplacedObjectLink, old.uid) });
  assertNamesUnique(ctx, attributes, old.owner, old.uid);
  // The existing key's algorithm and length, unless the request asks for others.
  const algorithm = numberOf(attributes.find((a) => a.name === 'CryptographicAlgorithm')?.value);
  const bits = numberOf(attributes.find((a) => a.name === 'CryptographicLength')?.value);
  const bytes = symmetricKeyBytes(algorithm, bits);

  const state = initialState(dateOf({ ...old, attributes }, 'ActivationDate'), now);
  const key = svc.keys.random(bytes);
  const content = encodeTtlv(symmetricKeyObject(key, algorithm!, bits!));
  try {
    const extra = [digestAttribute(key, Enum.KeyFormatType.Raw), { name: 'Fresh', index: 0, value: ttlv.boolean(Tag.Fresh, true) }];
    extra.push(...impliedAttributes({ uid, objectType: old.objectType, attributes, generated: true, keyFormatType: Enum.KeyFormatType.Raw }));
    const replacement: ManagedObject = {
      uid,
      objectType: old.objectType,
      owner: old.owner,
      state,
      attributes: [...attributes, ...serverAttributes(uid, old.objectType, state, now, extra)],
      material: svc.keys.seal(uid, content),
    };
    svc.store.insert(applyDueDates(replacement, now));
  } finally {
    key.fill(0);
    content.fill(0);
  }
  // The existing key gives up its names and points at its replacement.
  const oldAttributes = [...withoutAttribute(old.attributes, 'Name'), {
    name: 'Link', index: Math.max(-1, ...instancesOf(old, 'Link').map((l) => l.index)) + 1, value: linkValue(Link.ReplacementObjectLink, uid),
  }];
  svc.store.update(changed(old, { attributes: oldAttributes }, now));
  return {
    payload: writeStructure({ uniqueIdentifier: uid }, ResponseSchema, ctx.version),
    idPlaceholder: uid,
    uniqueIdentifiers: [uid, old.uid],
  };
};

function numberOf(v: TtlvItem | undefined): number | undefined {
  return v?.type === T.Integer || v?.type === T.Enumeration ? v.value : undefined;
}

function linkValue(type: number, uid: string): TtlvItem {
  return ttlv.structure(Tag.Link, [ttlv.enumeration(Tag.LinkType, type), ttlv.textString(Tag.LinkedObjectIdentifier, uid)]);
}

function links(object: ManagedObject, type: number): AttributeInstance[] {
  return instancesOf(object, 'Link').filter((l) => child(l.value, Tag.LinkType)?.value === type);
}

/** 1.4 Table 172: AT2 = IT2 + Offset, and the other dates move by AT2 − AT1. */
function offsetDates(old: ManagedObject, copied: AttributeInstance[], activation: bigint): AttributeInstance[] {
  const at1 = dateOf(old, 'ActivationDate');
  let out = withSingle(copied, 'ActivationDate', dateValue('ActivationDate', activation));
  for (const name of OFFSET_DATES.slice(1)) {
    const d1 = dateOf(old, name);
    if (d1 === undefined) continue;
    if (at1 === undefined) throw new KmipError('IllegalOperation', `an Offset cannot move ${name}: the existing key has no Activation Date`);
    out = withSingle(out, name, dateValue(name, d1 + (activation - at1)));
  }
  return out;
}

/** The replacement's Usage Limits: the existing Total and Unit, a full Count (1.4 Table 173). */
function usageLimitsRenewed(limits: TtlvItem | undefined): TtlvItem | undefined {
  const total = child(limits, Tag.UsageLimitsTotal);
  if (total?.type !== T.LongInteger) return undefined;
  const unit = child(limits, Tag.UsageLimitsUnit);
  return ttlv.structure(Tag.UsageLimits, [total, ttlv.longInteger(Tag.UsageLimitsCount, total.value), ...(unit === undefined ? [] : [unit])]);
}
