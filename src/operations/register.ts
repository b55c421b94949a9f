// Register (1.4 §4.3; 2.1 §6.1.43): an object made by the client, stored as given (its object structure's TTLV sealed
// under the KEK), with the client's attributes and those its content implies. The new Unique Identifier goes to the
// ID Placeholder. Errors: object type not registered: Invalid Object Type (Invalid Field in 1.x, §11.4); object
// structure missing: Invalid Message; of another type than Object Type, a Key Format Type or value kmipd does not
// register, Key Material not matching the Cryptographic Length or algorithm/length disagreeing with the Key Block:
// Invalid Field; a key without algorithm or length: Missing Data; attribute policy faults (Read Only / Single Valued /
// Unsupported / Invalid Attribute); a name in use: Non Unique Name Attribute.
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure, writeStructure, type FieldDef } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { definedIn, type KmipVersion } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeRule } from '../model/attribute-policy.js';
import { initialState } from '../model/lifecycle.js';
import type { ManagedObject } from '../model/managed-object.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import type { AttributeInput } from './attribute-io.js';
import { impliedAttributes } from './implied-attributes.js';
import { child } from './key-material.js';
import {
  applyDueDates, assertNamesUnique, clientAttributes, creationInputs, inputDate, inputNumber, newUid, serverAttributes,
  services,
} from './object-access.js';
import type { OperationRun } from './operation.js';
import { OBJECT_STRUCTURES, type KeyBlockFacts, type ObjectStructureDef } from './registered-content.js';

const OT = Enum.ObjectType;

/** Object Type values Register accepts in `version` (for Query Objects). */
export function REGISTERED_OBJECT_TYPES(version: KmipVersion): readonly number[] {
  return OBJECT_STRUCTURES.filter((d) => definedIn(version, d.since, d.until)).map((d) => d.objectType);
}

const RequestSchema = defineStructure('RegisterRequestPayload', Tag.RequestPayload, [
  { key: 'objectType', tag: Tag.ObjectType, type: T.Enumeration, required: true },
  { key: 'templateAttribute', tag: Tag.TemplateAttribute, type: T.Structure, until: '2.0' },
  { key: 'attributes', tag: Tag.Attributes, type: T.Structure, since: '2.0' },
  // Any object structure may be present; which one must match Object Type is checked below (1.4 §11.4).
  ...OBJECT_STRUCTURES.map((d): FieldDef => ({ key: `object${d.tag}`, tag: d.tag, type: T.Structure, since: d.since, ...(d.until && { until: d.until }) })),
  { key: 'protectionStorageMasks', tag: Tag.ProtectionStorageMasks, type: T.Structure, since: '2.0' },
]);

const ResponseSchema = defineStructure('RegisterResponsePayload', Tag.ResponsePayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString, required: true },
]);

/** Objects that hold a key: they need a Cryptographic Algorithm and Length (1.4 Table 171; 2.1 Table 293). */
const KEY_TYPES: ReadonlySet<number> = new Set([OT.SymmetricKey, OT.PublicKey, OT.PrivateKey, OT.SplitKey]);

const A = Enum.CryptographicAlgorithm;

/** Bits → key bytes where they differ from bits / 8: DES keys carry parity bits (1.4 §2.1.7; FIPS 46-3). */
const PARITY_LENGTHS: ReadonlyMap<number, ReadonlyMap<number, number>> = new Map([
  [A.DES, new Map([[56, 8], [64, 8]])],
  [A.DES3, new Map([[112, 16], [168, 24], [128, 16], [192, 24]])],
]);

export const register: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as Record<string, unknown> & {
    objectType: number;
    templateAttribute?: TtlvItem;
    attributes?: TtlvItem;
  };
  const def = OBJECT_STRUCTURES.find((d) => d.objectType === req.objectType && definedIn(ctx.version, d.since, d.until));
  if (def === undefined) throw new KmipError('InvalidObjectType', `kmipd does not register Object Type 0x${req.objectType.toString(16)} in KMIP ${ctx.version}`);
  const item = objectItem(req, def);
  const inputs = creationInputs(req.templateAttribute, req.attributes, ctx.version, ctx);
  const content = def.read(item, ctx.readOptions);
  const client = normaliseUsageLimits(clientAttributes(inputs, req.objectType, ctx.version));
  const implied = [...content.implied];
  if (content.keyBlock !== undefined && KEY_TYPES.has(req.objectType)) {
    implied.push(...keyAttributes(inputs, content.keyBlock, req.objectType === OT.SymmetricKey));
  }
  if (content.keyBlock?.wrappedBy !== undefined && ctx.version.startsWith('2.')) {
    // 2.1 §6.1.43: a wrapped object gets a Wrapping Key Link to the key that wraps it.
    implied.push({ name: 'Link', index: 0, value: ttlv.structure(Tag.Link, [
      ttlv.enumeration(Tag.LinkType, Enum.LinkType.WrappingKeyLink),
      ttlv.textString(Tag.LinkedObjectIdentifier, content.keyBlock.wrappedBy),
    ]) });
  }
  const attributes = mergeImplied(client, implied);
  assertNamesUnique(ctx, attributes, ctx.identity);

  const now = svc.now();
  const uid = newUid();
  const state = initialState(inputDate(inputs, 'ActivationDate'), now);
  // 2.1 §4.24: Fresh is True for a new object "unless the client provides a False value in Register".
  const extra: AttributeInstance[] = attributes.some((a) => a.name === 'Fresh') ? [] : [{ name: 'Fresh', index: 0, value: ttlv.boolean(Tag.Fresh, true) }];
  extra.push(...impliedAttributes({ uid, objectType: req.objectType, attributes, generated: false }));
  const sealedContent = encodeTtlv(item);
  let object: ManagedObject;
  try {
    object = {
      uid,
      objectType: req.objectType,
      owner: ctx.identity,
      state,
      attributes: [...attributes, ...serverAttributes(uid, req.objectType, state, now, extra)],
      material: svc.keys.seal(uid, sealedContent),
    };
  } finally {
    sealedContent.fill(0);
  }
  // A Deactivation Date already past deactivates it at once (1.4 §3.22 transition 6; BL-M-7-21).
  svc.store.insert(applyDueDates(object, now));
  return {
    payload: writeStructure({ uniqueIdentifier: uid }, ResponseSchema, ctx.version),
    idPlaceholder: uid,
    uniqueIdentifiers: [uid],
  };
};

/** The request's object structure: present, and the one Object Type names. */
function objectItem(req: Record<string, unknown>, def: ObjectStructureDef): TtlvItem {
  const given = OBJECT_STRUCTURES.filter((d) => req[`object${d.tag}`] !== undefined);
  if (given.length === 0) throw new KmipError('InvalidMessage', 'Register carries no object');
  if (given.length > 1 || given[0] !== def) {
    // 1.4 §11.4: "Object Type does not match type of cryptographic object provided".
    throw new KmipError('InvalidField', 'the object does not match the Object Type');
  }
  return req[`object${def.tag}`] as TtlvItem;
}

/**
 * Cryptographic Algorithm and Length: the client's values, else the Key Block's; both present and disagreeing is
 * Invalid Field, neither is Missing Data. A symmetric key's bytes must make its length (1.4 Table 171).
 */
function keyAttributes(inputs: readonly AttributeInput[], block: KeyBlockFacts, symmetric: boolean): AttributeInstance[] {
  const givenAlgorithm = inputNumber(inputs, 'CryptographicAlgorithm');
  const givenLength = inputNumber(inputs, 'CryptographicLength');
  for (const [name, given, inBlock] of [
    ['Cryptographic Algorithm', givenAlgorithm, block.algorithm],
    ['Cryptographic Length', givenLength, block.length],
  ] as const) {
    if (given !== undefined && inBlock !== undefined && given !== inBlock) throw new KmipError('InvalidField', `${name} ${given} disagrees with the Key Block's ${inBlock}`);
  }
  const algorithm = givenAlgorithm ?? block.algorithm;
  let length = givenLength ?? block.length;
  if (algorithm === undefined) throw new KmipError('MissingData', 'Register of a key needs a Cryptographic Algorithm');
  if (symmetric && block.keyBytes !== undefined) {
    const bytes = block.keyBytes.length;
    // Only the length may be left to the key itself: its bytes say it.
    length ??= bytes * 8;
    const expected = PARITY_LENGTHS.get(algorithm)?.get(length) ?? length / 8;
    if (bytes === 0 || bytes !== expected) throw new KmipError('InvalidField', `${bytes} key bytes do not make a ${length}-bit key`);
  }
  if (length === undefined) throw new KmipError('MissingData', 'Register of a key needs a Cryptographic Length');
  const out: AttributeInstance[] = [];
  if (givenAlgorithm === undefined) out.push({ name: 'CryptographicAlgorithm', index: 0, value: ttlv.enumeration(Tag.CryptographicAlgorithm, algorithm) });
  if (givenLength === undefined) out.push({ name: 'CryptographicLength', index: 0, value: ttlv.integer(Tag.CryptographicLength, length) });
  return out;
}

/**
 * The client's attributes, then those the content implies that the client did not give. A single-valued one the
 * client gave must agree with the content (a Certificate Type of X.509 on a PGP certificate would not).
 */
function mergeImplied(client: readonly AttributeInstance[], implied: readonly AttributeInstance[]): AttributeInstance[] {
  const out = [...client];
  for (const inst of implied) {
    const given = client.filter((a) => a.name === inst.name);
    if (given.some((g) => sameValue(g.value, inst.value))) continue;
    if (given.length > 0 && attributeRule(inst.name)?.multiValued !== true) {
      throw new KmipError('InvalidField', `attribute ${inst.name} disagrees with the object`);
    }
    out.push({ ...inst, index: out.filter((a) => a.name === inst.name).length });
  }
  return out;
}

function sameValue(a: TtlvItem, b: TtlvItem): boolean {
  return a.type === b.type && Buffer.from(encodeTtlv(a)).equals(Buffer.from(encodeTtlv({ ...b, tag: a.tag } as TtlvItem)));
}

/** Usage Limits Count starts at the Total; a creating request's Count is ignored (1.4 §3.21). */
function normaliseUsageLimits(attributes: AttributeInstance[]): AttributeInstance[] {
  return attributes.map((a) => {
    if (a.name !== 'UsageLimits' || a.value.type !== T.Structure) return a;
    const total = child(a.value, Tag.UsageLimitsTotal);
    const unit = child(a.value, Tag.UsageLimitsUnit);
    if (total?.type !== T.LongInteger) return a;
    const fields = [total, ttlv.longInteger(Tag.UsageLimitsCount, total.value), ...(unit === undefined ? [] : [unit])];
    return { ...a, value: ttlv.structure(Tag.UsageLimits, fields) };
  });
}
