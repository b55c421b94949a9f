// The object structure of a Register request, checked and kept as given (1.4 §2.2, §2.1.3–2.1.7; 2.1 §2.2, §2.1.3–
// 2.1.7): the Key Block of keys and secret data, certificates, opaque objects, split keys, 1.x templates; and the
// attributes the content implies (its algorithm and length, Digest, Key Format Type, certificate fields).
import { createHash } from 'node:crypto';
import { enumForTag, enumValueDef } from '../kmip/dictionary.js';
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure, type ReadOptions } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { readAttribute1x } from './attribute-io.js';
import { child } from './key-material.js';
import { clientAttributes, digestAttribute } from './object-access.js';
import { x509Attributes } from './x509-attributes.js';

/** What Register learns from the object structure. */
export interface RegisteredContent {
  /** Attributes the content implies; a client's own value for one of them must agree with it. */
  readonly implied: AttributeInstance[];
  /** Key Block facts, for the Register Attribute Requirements (1.4 Table 171; 2.1 Table 293). */
  readonly keyBlock?: KeyBlockFacts;
}

export interface KeyBlockFacts {
  readonly keyFormatType: number;
  readonly algorithm?: number;
  readonly length?: number;
  /** The key bytes of an unwrapped Raw / Opaque / Transparent Symmetric Key block (a view into the request). */
  readonly keyBytes?: Uint8Array;
  /** The Unique Identifier of the key that wraps it, when the Key Block is wrapped. */
  readonly wrappedBy?: string;
  readonly wrapped: boolean;
}

const F = Enum.KeyFormatType;

/** Key Format Types whose Key Material is a Byte String; the Transparent ones are structures (1.4 §2.1.7). */
const BYTE_STRING_FORMATS: ReadonlySet<number> = new Set([F.Raw, F.Opaque, F.PKCS_1, F.PKCS_8, F.X_509, F.ECPrivateKey]);

/** The Key Format Types kmipd registers per object type (1.4 §9.1.3.2.3), stored as given; none is converted. */
export const REGISTERED_FORMATS = {
  SymmetricKey: [F.Raw, F.TransparentSymmetricKey],
  SecretData: [F.Raw, F.Opaque],
  PublicKey: [
    F.Raw, F.PKCS_1, F.X_509, F.TransparentRSAPublicKey, F.TransparentDSAPublicKey, F.TransparentDHPublicKey,
    F.TransparentECDSAPublicKey, F.TransparentECDHPublicKey, F.TransparentECMQVPublicKey, F.TransparentECPublicKey,
  ],
  PrivateKey: [
    F.Raw, F.PKCS_1, F.PKCS_8, F.ECPrivateKey, F.TransparentRSAPrivateKey, F.TransparentDSAPrivateKey,
    F.TransparentDHPrivateKey, F.TransparentECDSAPrivateKey, F.TransparentECDHPrivateKey, F.TransparentECMQVPrivateKey,
    F.TransparentECPrivateKey,
  ],
  SplitKey: [F.Raw, F.Opaque, F.TransparentSymmetricKey],
} as const;

const KEY_FORMATS = enumForTag(Tag.KeyFormatType)!;

/** Fields of a Key Block (1.4 §2.1.3). Key Value is read by hand: a Structure, or a Byte String when wrapped. */
const KEY_BLOCK_FIELDS: ReadonlySet<number> = new Set([
  Tag.KeyFormatType, Tag.KeyCompressionType, Tag.KeyValue, Tag.CryptographicAlgorithm, Tag.CryptographicLength, Tag.KeyWrappingData,
]);

function fail(message: string): never {
  throw new KmipError('InvalidField', message);
}

/** Reads and checks a Key Block against the formats allowed for its object type. */
export function readKeyBlock(block: TtlvItem | undefined, formats: readonly number[], opts: ReadOptions): KeyBlockFacts {
  if (block?.type !== T.Structure) throw new KmipError('InvalidMessage', 'the object lacks its Key Block');
  for (const c of block.value) {
    if (!KEY_BLOCK_FIELDS.has(c.tag) && !opts.ignoreUnknown) fail(`unexpected 0x${c.tag.toString(16)} in Key Block`);
  }
  const format = child(block, Tag.KeyFormatType);
  if (format?.type !== T.Enumeration) throw new KmipError('InvalidMessage', 'the Key Block lacks its Key Format Type');
  if (enumValueDef(KEY_FORMATS, format.value, opts.version) === undefined || !formats.includes(format.value)) {
    fail(`Key Format Type 0x${format.value.toString(16)} is not registered for this object type`);
  }
  const algorithm = child(block, Tag.CryptographicAlgorithm);
  const length = child(block, Tag.CryptographicLength);
  if (algorithm !== undefined && algorithm.type !== T.Enumeration) throw new KmipError('InvalidMessage', 'Cryptographic Algorithm must be an Enumeration');
  if (length !== undefined && length.type !== T.Integer) throw new KmipError('InvalidMessage', 'Cryptographic Length must be an Integer');
  const keyValue = child(block, Tag.KeyValue);
  const wrapping = child(block, Tag.KeyWrappingData);
  const facts = {
    keyFormatType: format.value,
    ...(algorithm?.type === T.Enumeration && { algorithm: algorithm.value }),
    ...(length?.type === T.Integer && { length: length.value }),
  };
  if (wrapping !== undefined) {
    // A wrapped Key Value is the wrapped bytes (1.4 §2.1.4); kmipd stores it as given, it cannot see the key.
    if (keyValue?.type !== T.ByteString) fail('a wrapped Key Block carries its Key Value as a Byte String');
    const info = child(wrapping, Tag.EncryptionKeyInformation) ?? child(wrapping, Tag.MACSignatureKeyInformation);
    const uid = child(info, Tag.UniqueIdentifier);
    return { ...facts, wrapped: true, ...(uid?.type === T.TextString && { wrappedBy: uid.value }) };
  }
  if (keyValue?.type !== T.Structure) throw new KmipError('InvalidMessage', 'the Key Block lacks its Key Value structure');
  const material = child(keyValue, Tag.KeyMaterial);
  if (material === undefined) throw new KmipError('InvalidMessage', 'the Key Value lacks its Key Material');
  const wantBytes = BYTE_STRING_FORMATS.has(format.value);
  if (wantBytes ? material.type !== T.ByteString : material.type !== T.Structure) {
    fail(`the Key Material does not match Key Format Type 0x${format.value.toString(16)}`);
  }
  let keyBytes: Uint8Array | undefined;
  if (material.type === T.ByteString) keyBytes = material.value;
  else if (format.value === F.TransparentSymmetricKey) {
    const key = child(material, Tag.Key);
    if (key?.type !== T.ByteString) throw new KmipError('InvalidMessage', 'a Transparent Symmetric Key lacks its Key');
    keyBytes = key.value;
  }
  return { ...facts, wrapped: false, ...(keyBytes !== undefined && { keyBytes }) };
}

/** Digest of a Key Block's Key Material: over the Byte String, or over the TTLV of the structure (1.4 §3.17). */
function keyDigest(block: TtlvItem, facts: KeyBlockFacts): AttributeInstance[] {
  if (facts.wrapped) return [];
  const material = child(child(block, Tag.KeyValue), Tag.KeyMaterial)!;
  if (material.type === T.ByteString) return [digestAttribute(material.value, facts.keyFormatType)];
  const encoded = encodeTtlv(material);
  try {
    return [digestAttribute(encoded, facts.keyFormatType)];
  } finally {
    encoded.fill(0);
  }
}

/** Digest of a certificate or an opaque object: no Key Format Type (1.4 §3.17 Table 88). */
function valueDigest(value: Uint8Array): AttributeInstance {
  return {
    name: 'Digest',
    index: 0,
    value: ttlv.structure(Tag.Digest, [
      ttlv.enumeration(Tag.HashingAlgorithm, Enum.HashingAlgorithm.SHA_256),
      ttlv.byteString(Tag.DigestValue, createHash('sha256').update(value).digest()),
    ]),
  };
}

function one(name: string, value: TtlvItem): AttributeInstance {
  return { name, index: 0, value };
}

function keyBlockContent(item: TtlvItem, formats: readonly number[], opts: ReadOptions): RegisteredContent {
  const block = child(item, Tag.KeyBlock);
  const keyBlock = readKeyBlock(block, formats, opts);
  return {
    keyBlock,
    implied: [...keyDigest(block!, keyBlock), one('KeyFormatType', ttlv.enumeration(Tag.KeyFormatType, keyBlock.keyFormatType))],
  };
}

const SecretDataSchema = defineStructure('SecretData', Tag.SecretData, [
  { key: 'secretDataType', tag: Tag.SecretDataType, type: T.Enumeration, required: true },
  { key: 'keyBlock', tag: Tag.KeyBlock, type: T.Structure, required: true },
]);

const OpaqueObjectSchema = defineStructure('OpaqueObject', Tag.OpaqueObject, [
  { key: 'opaqueDataType', tag: Tag.OpaqueDataType, type: T.Enumeration, required: true },
  { key: 'opaqueDataValue', tag: Tag.OpaqueDataValue, type: T.ByteString, required: true },
]);

const CertificateSchema = defineStructure('Certificate', Tag.Certificate, [
  { key: 'certificateType', tag: Tag.CertificateType, type: T.Enumeration, required: true },
  { key: 'certificateValue', tag: Tag.CertificateValue, type: T.ByteString, required: true },
]);

const KeySchema = (name: string, tag: number) => defineStructure(name, tag, [{ key: 'keyBlock', tag: Tag.KeyBlock, type: T.Structure, required: true }]);
const SymmetricKeySchema = KeySchema('SymmetricKey', Tag.SymmetricKey);
const PublicKeySchema = KeySchema('PublicKey', Tag.PublicKey);
const PrivateKeySchema = KeySchema('PrivateKey', Tag.PrivateKey);

const SplitKeySchema = defineStructure('SplitKey', Tag.SplitKey, [
  { key: 'splitKeyParts', tag: Tag.SplitKeyParts, type: T.Integer, required: true },
  { key: 'keyPartIdentifier', tag: Tag.KeyPartIdentifier, type: T.Integer, required: true },
  { key: 'splitKeyThreshold', tag: Tag.SplitKeyThreshold, type: T.Integer, required: true },
  { key: 'splitKeyMethod', tag: Tag.SplitKeyMethod, type: T.Enumeration, required: true },
  { key: 'primeFieldSize', tag: Tag.PrimeFieldSize, type: T.BigInteger },
  { key: 'keyBlock', tag: Tag.KeyBlock, type: T.Structure, required: true },
]);

const SECRET_DATA_TYPES = enumForTag(Tag.SecretDataType)!;
const SPLIT_KEY_METHODS = enumForTag(Tag.SplitKeyMethod)!;

type ContentReader = (item: TtlvItem, opts: ReadOptions) => RegisteredContent;

const readSymmetricKey: ContentReader = (item, opts) => {
  readStructure(item, SymmetricKeySchema, opts);
  return keyBlockContent(item, REGISTERED_FORMATS.SymmetricKey, opts);
};

const readPublicKey: ContentReader = (item, opts) => {
  readStructure(item, PublicKeySchema, opts);
  return keyBlockContent(item, REGISTERED_FORMATS.PublicKey, opts);
};

const readPrivateKey: ContentReader = (item, opts) => {
  readStructure(item, PrivateKeySchema, opts);
  return keyBlockContent(item, REGISTERED_FORMATS.PrivateKey, opts);
};

const readSecretData: ContentReader = (item, opts) => {
  const s = readStructure(item, SecretDataSchema, opts) as { secretDataType: number };
  if (enumValueDef(SECRET_DATA_TYPES, s.secretDataType, opts.version) === undefined) fail(`Secret Data Type 0x${s.secretDataType.toString(16)} is not recognized`);
  return keyBlockContent(item, REGISTERED_FORMATS.SecretData, opts);
};

const readSplitKey: ContentReader = (item, opts) => {
  const s = readStructure(item, SplitKeySchema, opts) as {
    splitKeyParts: number; keyPartIdentifier: number; splitKeyThreshold: number; splitKeyMethod: number; primeFieldSize?: bigint;
  };
  if (enumValueDef(SPLIT_KEY_METHODS, s.splitKeyMethod, opts.version) === undefined) fail('Split Key Method is not recognized');
  // 1.4 §2.2.5: the threshold is at most the number of parts; Prime Field Size only with the prime-field method.
  if (s.splitKeyThreshold < 1 || s.splitKeyThreshold > s.splitKeyParts || s.keyPartIdentifier < 1) fail('inconsistent Split Key parts');
  if ((s.splitKeyMethod === Enum.SplitKeyMethod.PolynomialSharingPrimeField) !== (s.primeFieldSize !== undefined)) {
    fail('Prime Field Size goes with, and only with, Polynomial Sharing Prime Field');
  }
  return keyBlockContent(item, REGISTERED_FORMATS.SplitKey, opts);
};

const readOpaqueObject: ContentReader = (item, opts) => {
  // Opaque Data Type is any value, extension values (0x8XXXXXXX) included: OMOS-M-1 registers 0x80000001.
  const s = readStructure(item, OpaqueObjectSchema, opts) as { opaqueDataType: number; opaqueDataValue: Uint8Array };
  return {
    implied: [valueDigest(s.opaqueDataValue), one('OpaqueDataType', ttlv.enumeration(Tag.OpaqueDataType, s.opaqueDataType))],
  };
};

const readCertificate: ContentReader = (item, opts) => {
  const s = readStructure(item, CertificateSchema, opts) as { certificateType: number; certificateValue: Uint8Array };
  if (s.certificateType !== Enum.CertificateType.X_509) fail('kmipd registers X.509 certificates only');
  return {
    implied: [
      one('CertificateType', ttlv.enumeration(Tag.CertificateType, s.certificateType)),
      ...x509Attributes(s.certificateValue),
      valueDigest(s.certificateValue),
    ],
  };
};

/**
 * A 1.x Template (1.4 §2.2.6): attributes for later creating requests. It SHALL NOT hold a Name (§11.4, Invalid
 * Field): its own name comes with the Register request's Template-Attribute.
 */
const readTemplate: ContentReader = (item, opts) => {
  if (item.type !== T.Structure) throw new KmipError('InvalidMessage', 'Template must be a Structure');
  const inputs = item.value.map((c) => {
    if (c.tag !== Tag.Attribute) throw new KmipError('InvalidMessage', `unexpected 0x${c.tag.toString(16)} in Template`);
    return readAttribute1x(c);
  });
  if (inputs.some((i) => i.name === 'Name')) fail('a Template object may not contain a Name attribute');
  clientAttributes(inputs, Enum.ObjectType.Template, opts.version);
  return { implied: [] };
};

export interface ObjectStructureDef {
  readonly objectType: number;
  readonly tag: number;
  readonly since: KmipVersion;
  readonly until?: KmipVersion;
  readonly read: ContentReader;
}

const OT = Enum.ObjectType;

/** The object structures Register accepts, each with the versions whose Register takes it (1.4 §4.3; 2.1 §6.1.43). */
export const OBJECT_STRUCTURES: readonly ObjectStructureDef[] = [
  { objectType: OT.Certificate, tag: Tag.Certificate, since: '1.0', read: readCertificate },
  { objectType: OT.SymmetricKey, tag: Tag.SymmetricKey, since: '1.0', read: readSymmetricKey },
  { objectType: OT.PublicKey, tag: Tag.PublicKey, since: '1.0', read: readPublicKey },
  { objectType: OT.PrivateKey, tag: Tag.PrivateKey, since: '1.0', read: readPrivateKey },
  { objectType: OT.SplitKey, tag: Tag.SplitKey, since: '1.0', read: readSplitKey },
  { objectType: OT.Template, tag: Tag.Template, since: '1.0', until: '2.0', read: readTemplate },
  { objectType: OT.SecretData, tag: Tag.SecretData, since: '1.0', read: readSecretData },
  { objectType: OT.OpaqueObject, tag: Tag.OpaqueObject, since: '1.0', read: readOpaqueObject },
];
