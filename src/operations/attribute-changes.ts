// What Add, Modify, Delete and Set Attribute share: who may change which attribute in which state, instance
// numbering, committing a change, and the 1.x answers of each operation's error table (1.4 §2.1.1, §4.14–4.16,
// §11.15–11.17; 2.1 §6.1.2, §6.1.13, §6.1.34, §6.1.51).
import { KmipError, type ResultReasonName } from '../kmip/kmip-error.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeRule, ruleAppliesTo, type AttributeRule, type StateName } from '../model/attribute-policy.js';
import { stateName } from '../model/lifecycle.js';
import type { ManagedObject } from '../model/managed-object.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import type { AttributeInput } from './attribute-io.js';
import { applyDueDates, changed, checkValueType, OBJECT_TYPE_NAMES, services } from './object-access.js';
import type { OperationContext } from './operation.js';

/** Most instances of one attribute on one object: bounds the object's row (1.4 §11.15 "server limit on instances"). */
export const MAX_INSTANCES_PER_ATTRIBUTE = 256;




// ---- the policy, per change -----------------------------------------------------------------------------------

export type ChangeKind = 'add' | 'modify' | 'delete';

/**
 * Who may make a change, from the attribute rules (1.4 §3 Table 54; 2.1 §4 Table 27), and the Result Reason each
 * 2.x error table gives a refusal (Add: Read Only Attribute; Modify, Delete: Attribute Read Only).
 */
const MAY_CHANGE: Readonly<Record<ChangeKind, { readonly allowed: (rule: AttributeRule) => boolean; readonly refusal: ResultReasonName }>> = {
  // a value the client may give: not one only the server sets
  add: { allowed: (r) => r.initiallySetBy !== 'server', refusal: 'ReadOnlyAttribute' },
  modify: { allowed: (r) => r.clientModifiable, refusal: 'AttributeReadOnly' },
  // "Attributes that are always REQUIRED to have a value SHALL never be deleted" (1.4 §4.16)
  delete: { allowed: (r) => r.clientDeletable && !r.alwaysPresent, refusal: 'AttributeReadOnly' },
};

const DONE: Readonly<Record<ChangeKind, string>> = { add: 'added', modify: 'modified', delete: 'deleted' };

/** The rule of `name` in `version`; a name the version does not define is Unsupported Attribute. */
export function ruleOf(name: string, version: KmipVersion): AttributeRule {
  const rule = attributeRule(name, version);
  if (rule === undefined) throw new KmipError('UnsupportedAttribute', `attribute ${name} is not defined in KMIP ${version}`);
  return rule;
}

/**
 * Refuses a change the client may not make: by the rule's who-may table; y- custom attributes belong to the server
 * (1.4 §3.39; 2.1 §4.60); a change outside the states the rule allows is Wrong Key Lifecycle State (1.4 §3.24: the
 * Activation Date of an Active object is Permission Denied in 1.x, as SKLC-M-3 expects).
 */
export function assertClientMay(
  kind: ChangeKind,
  name: string,
  rule: AttributeRule,
  object: ManagedObject,
  refusal: ResultReasonName = MAY_CHANGE[kind].refusal,
): void {
  if (name.startsWith('y-') || !MAY_CHANGE[kind].allowed(rule)) {
    throw new KmipError(refusal, `attribute ${name} cannot be ${DONE[kind]} by a client`);
  }
  assertStateAllows(name, rule, object);
}

export function assertStateAllows(name: string, rule: AttributeRule, object: ManagedObject): void {
  const states = rule.modifiableInStates;
  if (states !== undefined && !states.includes(stateName(object.state) as StateName)) {
    throw new KmipError('WrongKeyLifecycleState', `attribute ${name} may change only in state ${states.join(' or ')}`);
  }
}

/** Refuses a value of an attribute that does not apply to the object's type, or of the wrong item type. */
export function assertValueFits(input: AttributeInput, rule: AttributeRule, object: ManagedObject): void {
  const typeName = OBJECT_TYPE_NAMES.get(object.objectType);
  if (typeName !== undefined && !ruleAppliesTo(rule, typeName)) {
    throw new KmipError('InvalidAttribute', `attribute ${input.name} does not apply to ${typeName}`);
  }
  // custom attributes carry any item type in both dialects (1.4 §3.39; 2.1 §4.60)
  const custom = input.name.startsWith('x-') || input.name.startsWith('y-');
  checkValueType(input, rule.type, rule.anyValueType === true || custom);
}

// ---- instances ------------------------------------------------------------------------------------------------

/**
 * The index a new instance gets: 0 for a single-valued attribute, else the lowest index no instance holds. Indices
 * never change when other instances come and go (1.4 §2.1.1), so a freed index is the only one that can be reused.
 */
export function nextIndex(existing: readonly AttributeInstance[]): number {
  const used = new Set(existing.map((a) => a.index));
  let i = 0;
  while (used.has(i)) i++;
  return i;
}

/** Exact equality of two values (tags aside): a Current Attribute names one existing instance by its whole value. */
export function sameValue(a: TtlvItem, b: TtlvItem): boolean {
  if (a.type !== b.type) return false;
  if (a.type === ItemType.Structure) {
    const other = b.value as TtlvItem[];
    return a.value.length === other.length && a.value.every((c, i) => c.tag === other[i]!.tag && sameValue(c, other[i]!));
  }
  if (a.type === ItemType.ByteString) return Buffer.compare(a.value, b.value as Uint8Array) === 0;
  return a.value === b.value;
}

/** `attributes` with the instance `name`/`index` replaced in place (Get Attributes keeps its order). */
export function replaceInstance(attributes: readonly AttributeInstance[], replacement: AttributeInstance): AttributeInstance[] {
  return attributes.map((a) => (a.name === replacement.name && a.index === replacement.index ? replacement : a));
}

// ---- committing -----------------------------------------------------------------------------------------------

/**
 * Attributes the server keeps in step with another (1.4 §3.40, §3.42; 2.1 §4.3, §4.35): Always Sensitive becomes
 * False once Sensitive is set False, Never Extractable becomes False once Extractable is set True.
 */
const FOLLOWERS = [
  { source: 'Sensitive', when: false, follower: 'AlwaysSensitive', becomes: false },
  { source: 'Extractable', when: true, follower: 'NeverExtractable', becomes: false },
] as const;

function withFollowers(attributes: readonly AttributeInstance[]): AttributeInstance[] {
  let out = [...attributes];
  for (const f of FOLLOWERS) {
    const source = out.find((a) => a.name === f.source)?.value;
    const follower = out.find((a) => a.name === f.follower);
    if (source?.type === ItemType.Boolean && source.value === f.when && follower !== undefined) {
      out = replaceInstance(out, { ...follower, value: ttlv.boolean(Tag[f.follower], f.becomes) });
    }
  }
  return out;
}

/**
 * Stores the object with its new attributes: Last Change Date set (1.4 §3.32), the server's followers updated, and
 * the date-driven transitions applied, so an Activation or Deactivation Date set to the past takes effect now (1.4
 * §3.22 transitions 4 and 6).
 */
export function commitAttributes(ctx: OperationContext, object: ManagedObject, attributes: readonly AttributeInstance[]): ManagedObject {
  const svc = services(ctx);
  const now = svc.now();
  const next = applyDueDates(changed(object, { attributes: withFollowers(attributes) }, now), now);
  svc.store.update(next);
  return next;
}
