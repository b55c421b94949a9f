// What the managed-object operations share: finding an object the caller may see, applying the date-driven
// state changes, checking client-supplied attributes against the policy, and keeping server-set attributes
// (1.4 §3, §3.22; 2.1 §4, §4.57).
import { createHash } from 'node:crypto';
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeRule, isServerOnlyRule, ruleAppliesTo, type ObjectTypeName } from '../model/attribute-policy.js';
import { isDestroyed, nextState, State } from '../model/lifecycle.js';
import type { ManagedObject } from '../model/managed-object.js';
import { decodeTtlv } from '../ttlv/decode.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { readAttribute1x, readAttributes2x, readTemplateAttribute, templateNames, type AttributeInput } from './attribute-io.js';
import type { ObjectServices, OperationContext } from './operation.js';

export const OBJECT_TYPE_NAMES: ReadonlyMap<number, ObjectTypeName> = new Map(
  Object.entries(Enum.ObjectType).map(([k, v]) => [v, k as ObjectTypeName]),
);

export function services(ctx: OperationContext): ObjectServices {
  if (ctx.services === undefined) throw new KmipError('GeneralFailure', 'this server has no object store');
  return ctx.services;
}

/** The Unique Identifier a request names, or the ID Placeholder when it names none (1.4 §4; 2.1 §6.1). */
export function targetUid(uid: string | undefined, ctx: OperationContext): string {
  const target = uid ?? ctx.idPlaceholder;
  if (target === undefined) throw new KmipError('MissingData', 'no Unique Identifier and no ID Placeholder');
  return target;
}

export { newUid } from './uid.js';

/** True when `identity` may see and act on `object`: its owner or an administrator (1.4 §3.2 key management domain). */
export function mayAccess(object: ManagedObject, identity: string, svc: ObjectServices): boolean {
  return object.owner === identity || svc.isAdmin(identity);
}

/**
 * The object `uid` if the caller may see it. Another owner's object is answered exactly like a missing one, so
 * its existence is not disclosed. Date-driven state changes are applied (and stored) on the way.
 */
export function loadObject(ctx: OperationContext, uid: string): ManagedObject {
  const svc = services(ctx);
  const found = svc.store.get(uid);
  if (found === undefined || !mayAccess(found, ctx.identity, svc)) {
    // Object Not Found in 2.x (BL-M-4-21), Item Not Found in 1.x (the result-reason table maps it).
    throw new KmipError('ObjectNotFound', `no object ${uid}`);
  }
  const refreshed = applyDueDates(found, svc.now());
  if (refreshed !== found) svc.store.update(refreshed);
  return refreshed;
}

/**
 * "Any archived object SHALL first be made available by a Recover operation" (1.4 §4; 2.1 §6.1): operations on an
 * archived object other than Recover are Object Archived.
 */
export function refuseArchived(object: ManagedObject): void {
  if (object.archived === true) throw new KmipError('ObjectArchived', `object ${object.uid} is archived; Recover it first`);
}

/** A destroyed object: Item Not Found to 1.x clients, Object Destroyed to 2.x (BL-M-8-21). */
export function refuseDestroyed(object: ManagedObject): void {
  if (isDestroyed(object.state)) throw new KmipError('ObjectDestroyed', `object ${object.uid} is destroyed`);
}

// ---- attributes of an object ------------------------------------------------------------------------------

export function instancesOf(object: ManagedObject, name: string): AttributeInstance[] {
  return object.attributes.filter((a) => a.name === name);
}

export function firstValue(object: ManagedObject, name: string): TtlvItem | undefined {
  return object.attributes.find((a) => a.name === name)?.value;
}

export function dateOf(object: ManagedObject, name: string): bigint | undefined {
  const v = firstValue(object, name);
  return v?.type === ItemType.DateTime ? v.value : undefined;
}

/** Replaces every instance of `name` with one value (index 0). */
export function withSingle(attributes: readonly AttributeInstance[], name: string, value: TtlvItem): AttributeInstance[] {
  const out = attributes.filter((a) => a.name !== name);
  out.push({ name, index: 0, value });
  return out;
}

export function withoutAttribute(attributes: readonly AttributeInstance[], name: string): AttributeInstance[] {
  return attributes.filter((a) => a.name !== name);
}

export function dateValue(name: string, seconds: bigint): TtlvItem {
  return ttlv.dateTime(Tag[name as keyof typeof Tag], seconds);
}

/** A changed object: State attribute mirrored, Last Change Date set (1.4 §3.32). */
export function changed(object: ManagedObject, changes: Partial<Pick<ManagedObject, 'state' | 'attributes' | 'material'>>, now: bigint): ManagedObject {
  const state = changes.state ?? object.state;
  let attributes = changes.attributes ?? object.attributes;
  if (state !== object.state) attributes = withSingle(attributes, 'State', ttlv.enumeration(Tag.State, state));
  attributes = withSingle(attributes, 'LastChangeDate', dateValue('LastChangeDate', now));
  return { ...object, ...changes, state, attributes };
}

/**
 * Transitions driven by dates (1.4 §3.22 transitions 4 and 6): a reached Activation Date activates a Pre-Active
 * object, a reached Deactivation Date deactivates an Active one. Returns the same object when nothing is due.
 */
export function applyDueDates(object: ManagedObject, now: bigint): ManagedObject {
  let state = object.state;
  // every request on an object comes through here (a poll is little else): one pass over the list, and none for
  // the states no date moves
  if (state !== State.PreActive && state !== State.Active) return object;
  let activation: TtlvItem | undefined;
  let deactivation: TtlvItem | undefined;
  for (const a of object.attributes) {
    if (a.name === 'ActivationDate') activation ??= a.value;
    else if (a.name === 'DeactivationDate') deactivation ??= a.value;
  }
  const activationDate = activation?.type === ItemType.DateTime ? activation.value : undefined;
  const deactivationDate = deactivation?.type === ItemType.DateTime ? deactivation.value : undefined;
  if (state === State.PreActive && activationDate !== undefined && activationDate <= now) state = nextState(state, 'activate') ?? state;
  if (state === State.Active && deactivationDate !== undefined && deactivationDate <= now) state = nextState(state, 'deactivate') ?? state;
  return state === object.state ? object : changed(object, { state }, now);
}

// ---- client-supplied attributes -----------------------------------------------------------------------------

/**
 * Checks attributes a client supplies when creating or registering an object of `objectType`, and numbers their
 * instances. Refuses: attributes the version does not define or that do not apply to the type, values of the
 * wrong item type, server-only attributes, a second instance of a single-valued attribute.
 */
export function clientAttributes(inputs: readonly AttributeInput[], objectType: number, version: KmipVersion): AttributeInstance[] {
  const typeName = OBJECT_TYPE_NAMES.get(objectType);
  const out: AttributeInstance[] = [];
  for (const input of inputs) {
    const rule = attributeRule(input.name, version);
    if (rule === undefined) throw new KmipError('UnsupportedAttribute', `attribute ${input.name} is not defined in KMIP ${version}`);
    if (typeName !== undefined && !ruleAppliesTo(rule, typeName)) {
      throw new KmipError('InvalidAttribute', `attribute ${input.name} does not apply to ${typeName}`);
    }
    if (isServerOnlyRule(rule)) throw new KmipError('ReadOnlyAttribute', `attribute ${input.name} is set by the server`);
    checkValueType(input, rule.type, rule.anyValueType === true);
    const existing = out.filter((a) => a.name === input.name);
    if (existing.length > 0 && !rule.multiValued) {
      throw new KmipError('AttributeSingleValued', `attribute ${input.name} may have only one value`);
    }
    out.push({ name: input.name, index: existing.length, value: input.value });
  }
  return out;
}

export function checkValueType(input: AttributeInput, type: number, anyType: boolean): void {
  if (!anyType && input.value.type !== type) {
    throw new KmipError('InvalidAttributeValue', `attribute ${input.name} has item type ${input.value.type}, expected ${type}`);
  }
  if (anyType && input.value.type === ItemType.Structure && input.value.value.some((c) => c.type === ItemType.Structure)) {
    // A custom attribute's structure may not nest structures (1.4 §3.39).
    throw new KmipError('InvalidAttributeValue', `custom attribute ${input.name} nests a structure`);
  }
}

/**
 * The attributes the server sets on a new object (1.4 §3.1, §3.3, §3.17, §3.22, §3.23, §3.32, §3.37): Unique
 * Identifier, Object Type, State, Initial Date, Last Change Date, Original Creation Date, and the dates the
 * state implies. `client` comes first so Get Attributes shows the client's attributes in the order it gave them.
 */
export function serverAttributes(uid: string, objectType: number, state: number, now: bigint, extra: readonly AttributeInstance[] = []): AttributeInstance[] {
  const out: AttributeInstance[] = [
    { name: 'UniqueIdentifier', index: 0, value: ttlv.textString(Tag.UniqueIdentifier, uid) },
    { name: 'ObjectType', index: 0, value: ttlv.enumeration(Tag.ObjectType, objectType) },
    { name: 'State', index: 0, value: ttlv.enumeration(Tag.State, state) },
    { name: 'InitialDate', index: 0, value: dateValue('InitialDate', now) },
    { name: 'LastChangeDate', index: 0, value: dateValue('LastChangeDate', now) },
    { name: 'OriginalCreationDate', index: 0, value: dateValue('OriginalCreationDate', now) },
  ];
  return [...out, ...extra];
}

/** Digest of key material (1.4 §3.17): SHA-256 over the bytes in the given Key Format Type. */
export function digestAttribute(material: Uint8Array, keyFormatType: number): AttributeInstance {
  const digest = createHash('sha256').update(material).digest();
  return {
    name: 'Digest',
    index: 0,
    value: ttlv.structure(Tag.Digest, [
      ttlv.enumeration(Tag.HashingAlgorithm, Enum.HashingAlgorithm.SHA_256),
      ttlv.byteString(Tag.DigestValue, digest),
      ttlv.enumeration(Tag.KeyFormatType, keyFormatType),
    ]),
  };
}

/** Seal an object's content (its TTLV) under the key store's KEK, bound to its UID. */
export function sealContent(svc: ObjectServices, uid: string, content: Uint8Array): ManagedObject['material'] {
  return svc.keys.seal(uid, content);
}

// ---- names ------------------------------------------------------------------------------------------------

/**
 * Names are unique per owner (each identity is its own key management domain, 1.4 §3.2): a name in use by
 * another live object of the same owner is Non Unique Name Attribute (Illegal Operation in 1.x). A destroyed
 * object's name may be used again.
 */
export function assertNamesUnique(
  ctx: OperationContext,
  attributes: readonly AttributeInstance[],
  owner: string,
  exceptUid?: string,
): void {
  const svc = services(ctx);
  for (const a of attributes) {
    if (a.name !== 'Name' || a.value.type !== ItemType.Structure) continue;
    const nameValue = a.value.value.find((c) => c.tag === Tag.NameValue);
    if (nameValue === undefined) continue;
    const hits = svc.store.locate({
      owner,
      filters: [{ kind: 'equals', name: 'Name', value: ttlv.structure(Tag.Name, [nameValue]) }],
      include: { online: true, archived: true, destroyed: false },
      maxItems: 2,
    });
    if (hits.some((uid) => uid !== exceptUid)) {
      throw new KmipError('NonUniqueNameAttribute', `the name ${nameValue.type === ItemType.TextString ? JSON.stringify(nameValue.value) : ''} is already in use`);
    }
  }
}

// ---- creating payloads ----------------------------------------------------------------------------------------

/**
 * The creating payload's attributes in either dialect: 1.x Template-Attribute, 2.x Attributes. A 1.x
 * Template-Attribute may name Template objects (1.4 §2.1.8): their attributes come first, and an attribute the
 * request gives itself replaces a single-valued one from a template.
 */
export function creationInputs(templateAttribute: TtlvItem | undefined, attributes: TtlvItem | undefined, version: KmipVersion, ctx?: OperationContext): AttributeInput[] {
  if (attributes !== undefined) return readAttributes2x(attributes, version);
  if (templateAttribute === undefined) return [];
  const own = readTemplateAttribute(templateAttribute);
  const names = templateNames(templateAttribute);
  if (names.length === 0) return own;
  if (ctx === undefined) throw new KmipError('FeatureNotSupported', 'templates cannot be used here');
  const fromTemplates = names.flatMap((name) => templateAttributes(ctx, name));
  const given = new Set(own.map((a) => a.name));
  const kept = fromTemplates.filter((a) => !given.has(a.name) || (attributeRule(a.name, version)?.multiValued ?? false));
  return [...kept, ...own];
}

/** The attributes a Template object holds, found by its Name among the caller's objects. */
function templateAttributes(ctx: OperationContext, name: TtlvItem): AttributeInput[] {
  const svc = services(ctx);
  const nameValue = name.type === ItemType.Structure ? name.value.find((c) => c.tag === Tag.NameValue) : undefined;
  const hits = svc.store.locate({
    owner: svc.isAdmin(ctx.identity) ? undefined : ctx.identity,
    filters: [
      { kind: 'equals', name: 'Name', value: ttlv.structure(Tag.Name, nameValue === undefined ? [] : [nameValue]) },
      { kind: 'equals', name: 'ObjectType', value: ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.Template) },
    ],
    include: { online: true, archived: false, destroyed: false },
    maxItems: 1,
  });
  const uid = hits[0];
  if (uid === undefined) throw new KmipError('ItemNotFound', 'no Template of that name');
  const template = loadObject(ctx, uid);
  if (template.material === undefined) throw new KmipError('ItemNotFound', 'the Template has no content');
  const content = decodeTtlv(svc.keys.open(template.uid, template.material));
  return content.type === ItemType.Structure ? content.value.filter((c) => c.tag === Tag.Attribute).map((c) => readAttribute1x(c)) : [];
}

/** The integer value of the single `name` among inputs, if given. */
export function inputNumber(inputs: readonly AttributeInput[], name: string): number | undefined {
  const v = inputs.find((i) => i.name === name)?.value;
  return v !== undefined && (v.type === ItemType.Integer || v.type === ItemType.Enumeration) ? v.value : undefined;
}

export function inputDate(inputs: readonly AttributeInput[], name: string): bigint | undefined {
  const v = inputs.find((i) => i.name === name)?.value;
  return v?.type === ItemType.DateTime ? v.value : undefined;
}

// ---- the periodic sweep ---------------------------------------------------------------------------------------

/**
 * Moves objects whose Activation or Deactivation Date has come (1.4 §3.22 transitions 4 and 6) even when no
 * client reads them, so that Locate by State sees the truth. Returns how many objects changed.
 */
export function sweepDueStates(svc: ObjectServices, limit = 1000): number {
  const now = svc.now();
  let moved = 0;
  svc.store.transaction(() => {
    for (const uid of svc.store.dueForStateChange(now, limit)) {
      const object = svc.store.get(uid);
      if (object === undefined) continue;
      const refreshed = applyDueDates(object, now);
      if (refreshed !== object) {
        svc.store.update(refreshed);
        moved++;
      }
    }
  });
  return moved;
}
