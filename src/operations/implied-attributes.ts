// The attributes the server sets on a new object beyond its identity and dates (1.4 §3.20 Lease Time, §3.44 Random
// Number Generator, §3.48–§3.51 Sensitive … Never Extractable; 2.1 §4.26 Key Format Type, §4.44 Protection Storage
// Mask, §4.56 Short Unique Identifier): one table, consulted by Create, Register and Re-key.
import { createHash } from 'node:crypto';
import { Enum, Mask } from '../kmip/enum.js';
import { Tag } from '../kmip/tag.js';
import { KMIP_VERSIONS } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeRule, ruleAppliesTo, type ObjectTypeName } from '../model/attribute-policy.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { OBJECT_TYPE_NAMES } from './object-access.js';

/**
 * Lease Time (1.4 §3.20): "the maximum Lease Time [the server] is able to serve". kmipd grants leases of up to one
 * hour (Check refuses a longer one); the OASIS profile vectors show the same 3600 seconds.
 */
export const LEASE_TIME_SECONDS = 3600;

/**
 * Protection Storage Mask (2.1 §4.44): where the object is kept. Key material is sealed under the token's KEK but
 * stored, and served, by the kmipd process: Software.
 */
export const PROTECTION_STORAGE_MASK = Mask.ProtectionStorageMask.Software;

/**
 * Random Number Generator (1.4 §3.44): the token's RNG makes every generated key, and PKCS#11 does not say which
 * algorithm it runs: "If the specific details of the random number generator are unknown then the RNG Algorithm …
 * SHALL be set to Unspecified" (as Query RNGs reports).
 */
export function rngParameters(): TtlvItem {
  return ttlv.structure(Tag.RandomNumberGenerator, [ttlv.enumeration(Tag.RNGAlgorithm, Enum.RNGAlgorithm.Unspecified)]);
}

export interface NewObject {
  readonly uid: string;
  readonly objectType: number;
  /** What the object has so far (the client's and those its content implies): a value given there is kept. */
  readonly attributes: readonly AttributeInstance[];
  /** The server generated the key material (Create, Re-key), so it names its RNG. */
  readonly generated: boolean;
  /** Key Format Type of the stored key material (2.1 §4.26), for keys the server generated. */
  readonly keyFormatType?: number;
}

interface Implied {
  readonly name: string;
  readonly value: (o: NewObject) => TtlvItem | undefined;
}

/** Value of a Boolean attribute the object has, else `fallback`. */
function flag(o: NewObject, name: string, fallback: boolean): boolean {
  const v = o.attributes.find((a) => a.name === name)?.value;
  return v?.type === ItemType.Boolean ? v.value : fallback;
}

/** In order; each is set only where the object lacks it and its rule applies to the object type. */
const IMPLIED: readonly Implied[] = [
  // 2.1 §4.56: "SHOULD be generated as a SHA-256 hash of the Unique Identifier and SHALL be a 32 byte byte string".
  { name: 'ShortUniqueIdentifier', value: (o) => ttlv.byteString(Tag.ShortUniqueIdentifier, createHash('sha256').update(o.uid).digest()) },
  { name: 'LeaseTime', value: () => ttlv.interval(Tag.LeaseTime, LEASE_TIME_SECONDS) },
  // 1.4 §3.48: the server sets False when the client gives no value; §3.49 Always Sensitive starts as Sensitive.
  { name: 'Sensitive', value: () => ttlv.boolean(Tag.Sensitive, false) },
  { name: 'AlwaysSensitive', value: (o) => ttlv.boolean(Tag.AlwaysSensitive, flag(o, 'Sensitive', false)) },
  // 1.4 §3.50: Extractable defaults to True; §3.51 Never Extractable starts as its negation.
  { name: 'Extractable', value: () => ttlv.boolean(Tag.Extractable, true) },
  { name: 'NeverExtractable', value: (o) => ttlv.boolean(Tag.NeverExtractable, !flag(o, 'Extractable', true)) },
  { name: 'RandomNumberGenerator', value: (o) => (o.generated ? rngParameters() : undefined) },
  { name: 'KeyFormatType', value: (o) => (o.keyFormatType === undefined ? undefined : ttlv.enumeration(Tag.KeyFormatType, o.keyFormatType)) },
  { name: 'ProtectionStorageMask', value: () => ttlv.integer(Tag.ProtectionStorageMask, PROTECTION_STORAGE_MASK) },
];

/**
 * True when every version that defines the attribute applies it to the object type: the object is stored once and
 * shown to clients of any version (1.x Lease Time applies to cryptographic objects only, 2.x to all).
 */
function appliesInEveryVersion(name: string, typeName: ObjectTypeName): boolean {
  const rules = KMIP_VERSIONS.map((v) => attributeRule(name, v)).filter((r) => r !== undefined);
  return rules.length > 0 && rules.every((r) => ruleAppliesTo(r, typeName));
}

/**
 * The implied attributes a new object lacks. Stored for every version: Get Attributes shows each only to clients
 * whose version defines it.
 */
export function impliedAttributes(o: NewObject): AttributeInstance[] {
  const typeName = OBJECT_TYPE_NAMES.get(o.objectType);
  const out: AttributeInstance[] = [];
  const sofar = (): readonly AttributeInstance[] => [...o.attributes, ...out];
  for (const implied of IMPLIED) {
    if (typeName === undefined || !appliesInEveryVersion(implied.name, typeName)) continue;
    if (sofar().some((a) => a.name === implied.name)) continue;
    const value = implied.value({ ...o, attributes: sofar() });
    if (value !== undefined) out.push({ name: implied.name, index: 0, value });
  }
  return out;
}
