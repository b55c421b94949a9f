// Test helper for the lifecycle operations: Register payloads (object structures in both attribute dialects), Revoke
// and Re-key items, and reading attribute values back in either dialect (1.4 §4.3–4.4, §4.19–4.23; 2.1 §6.1).
import { attributeByName } from '../../src/kmip/dictionary.js';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import type { KmipVersion } from '../../src/kmip/versions.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { child, children, reasonName, type BatchItemSpec } from './kmip-messages.js';
import type { ObjectHarness } from './object-harness.js';

const Op = Enum.Operation;

/** An attribute by its 1.x name ("Cryptographic Usage Mask", "x-ID"); its value's tag is set per dialect. */
export interface Attr {
  readonly name: string;
  readonly value: TtlvItem;
}

function retag(value: TtlvItem, tag: number): TtlvItem {
  return { ...value, tag } as TtlvItem;
}

export function tagOf1xName(name: string): number {
  const def = attributeByName(name);
  if (def === undefined) throw new Error(`no attribute named ${name}`);
  return (Tag as Readonly<Record<string, number>>)[def.tag]!;
}

/** Template-Attribute (1.x) or Attributes (2.x) for any attribute the dictionary names. */
export function attrs(version: KmipVersion, list: readonly Attr[]): TtlvItem {
  if (version.startsWith('1.')) {
    return ttlv.structure(Tag.TemplateAttribute, list.map((a) => ttlv.structure(Tag.Attribute, [
      ttlv.textString(Tag.AttributeName, a.name), retag(a.value, Tag.AttributeValue),
    ])));
  }
  return ttlv.structure(Tag.Attributes, list.map((a) => {
    if (a.name.startsWith('x-') || a.name.startsWith('y-')) {
      return ttlv.structure(Tag.Attribute, [
        ttlv.textString(Tag.VendorIdentification, a.name.slice(0, 1)),
        ttlv.textString(Tag.AttributeName, a.name.slice(2)),
        retag(a.value, Tag.AttributeValue),
      ]);
    }
    return retag(a.value, tagOf1xName(a.name));
  }));
}

export const usageMask = (mask: number): Attr => ({ name: 'Cryptographic Usage Mask', value: ttlv.integer(0, mask) });
export const algorithmAttr = (alg: number): Attr => ({ name: 'Cryptographic Algorithm', value: ttlv.enumeration(0, alg) });
export const lengthAttr = (bits: number): Attr => ({ name: 'Cryptographic Length', value: ttlv.integer(0, bits) });
export const dateAttr = (name: string, seconds: bigint): Attr => ({ name, value: ttlv.dateTime(0, seconds) });
export const nameAttr = (name: string): Attr => ({
  name: 'Name',
  value: ttlv.structure(0, [ttlv.textString(Tag.NameValue, name), ttlv.enumeration(Tag.NameType, Enum.NameType.UninterpretedTextString)]),
});

/** A Key Block {Key Format Type, Key Value {Key Material}, Algorithm?, Length?}. */
export function keyBlock(format: number, material: TtlvItem, algorithm?: number, bits?: number): TtlvItem {
  return ttlv.structure(Tag.KeyBlock, [
    ttlv.enumeration(Tag.KeyFormatType, format),
    ttlv.structure(Tag.KeyValue, [retag(material, Tag.KeyMaterial)]),
    ...(algorithm === undefined ? [] : [ttlv.enumeration(Tag.CryptographicAlgorithm, algorithm)]),
    ...(bits === undefined ? [] : [ttlv.integer(Tag.CryptographicLength, bits)]),
  ]);
}

export function symmetricKey(bytes: Uint8Array, algorithm?: number, bits?: number, format: number = Enum.KeyFormatType.Raw): TtlvItem {
  const material = format === Enum.KeyFormatType.TransparentSymmetricKey
    ? ttlv.structure(Tag.KeyMaterial, [ttlv.byteString(Tag.Key, bytes)])
    : ttlv.byteString(Tag.KeyMaterial, bytes);
  return ttlv.structure(Tag.SymmetricKey, [keyBlock(format, material, algorithm, bits)]);
}

export function secretData(bytes: Uint8Array, type: number = Enum.SecretDataType.Password, format: number = Enum.KeyFormatType.Opaque): TtlvItem {
  return ttlv.structure(Tag.SecretData, [ttlv.enumeration(Tag.SecretDataType, type), keyBlock(format, ttlv.byteString(0, bytes))]);
}

export function opaqueObject(bytes: Uint8Array, type = 0x80000001): TtlvItem {
  return ttlv.structure(Tag.OpaqueObject, [ttlv.enumeration(Tag.OpaqueDataType, type), ttlv.byteString(Tag.OpaqueDataValue, bytes)]);
}

/** A Register item: Object Type, attributes in the version's dialect, the object. */
export function registerItem(version: KmipVersion, objectType: number, object: TtlvItem | undefined, list: readonly Attr[] = []): BatchItemSpec {
  return {
    operation: Op.Register,
    payload: [ttlv.enumeration(Tag.ObjectType, objectType), attrs(version, list), ...(object === undefined ? [] : [object])],
  };
}

/** Register of an AES key in Raw format, algorithm and length in the Key Block. */
export function registerAes(version: KmipVersion, bytes: Uint8Array, list: readonly Attr[] = [usageMask(0x0c)]): BatchItemSpec {
  return registerItem(version, Enum.ObjectType.SymmetricKey, symmetricKey(bytes, Enum.CryptographicAlgorithm.AES, bytes.length * 8), list);
}

export function revokeItem(uid: string | undefined, code: number, occurred?: bigint, message?: string): BatchItemSpec {
  return {
    operation: Op.Revoke,
    payload: [
      ...(uid === undefined ? [] : [ttlv.textString(Tag.UniqueIdentifier, uid)]),
      ttlv.structure(Tag.RevocationReason, [
        ttlv.enumeration(Tag.RevocationReasonCode, code),
        ...(message === undefined ? [] : [ttlv.textString(Tag.RevocationMessage, message)]),
      ]),
      ...(occurred === undefined ? [] : [ttlv.dateTime(Tag.CompromiseOccurrenceDate, occurred)]),
    ],
  };
}

/** The values of attribute `name` (1.x name) of `uid`, read with Get Attributes in `version` (value tags as sent). */
export async function attributeValues(h: ObjectHarness, version: KmipVersion, uid: string, name: string): Promise<TtlvItem[]> {
  const request = version.startsWith('1.')
    ? ttlv.textString(Tag.AttributeName, name)
    : ttlv.enumeration(Tag.AttributeReference, tagOf1xName(name));
  const r = await h.one(version, { operation: Op.GetAttributes, payload: [ttlv.textString(Tag.UniqueIdentifier, uid), request] });
  if (r.resultReason !== undefined) throw new Error(`Get Attributes failed: ${reasonName(r.resultReason)} ${r.resultMessage ?? ''}`);
  const p = r.payload!;
  if (version.startsWith('1.')) return children(p, Tag.Attribute).map((a) => child(a, Tag.AttributeValue)!);
  return children(child(p, Tag.Attributes)!, tagOf1xName(name));
}

export async function stateOf(h: ObjectHarness, uid: string, version: KmipVersion = '2.1'): Promise<number | undefined> {
  const [v] = await attributeValues(h, version, uid, 'State');
  return v?.type === ItemType.Enumeration ? v.value : undefined;
}

export async function dateAttributeOf(h: ObjectHarness, uid: string, name: string, version: KmipVersion = '2.1'): Promise<bigint | undefined> {
  const [v] = await attributeValues(h, version, uid, name);
  return v?.type === ItemType.DateTime ? v.value : undefined;
}

/** Random-looking but fixed test bytes, distinct per seed. */
export function testBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export const reasonOf = (r: { resultReason?: number }): string | undefined => reasonName(r.resultReason);

/**
 * A missing (or another owner's) object: Item Not Found today; 2.x should say Object Not Found (BL-M-4-21), which
 * object-access.ts may adopt, so tests accept either.
 */
export const NOT_FOUND = /^(ItemNotFound|ObjectNotFound)$/;
