// Test helper: a tiny hand-written Vocabulary for the XML and JSON encoding tests (tag numbers from KMIP 1.4 §9.1.3.1,
// but the codec under test knows nothing of them).
import type { NamedValue, Vocabulary } from '../../src/ttlv/vocabulary.js';

export const TAGS = {
  ActivationDate: 0x420001,
  Attribute: 0x420008,
  AttributeName: 0x42000a,
  AttributeValue: 0x42000b,
  BatchCount: 0x42000d,
  BatchOrderOption: 0x42000e,
  CryptographicAlgorithm: 0x420028,
  CryptographicUsageMask: 0x42002c,
  IVCounterNonce: 0x42003d,
  Modulus: 0x420052,
  ObjectType: 0x420057,
  Offset: 0x420058,
  ProtocolVersion: 0x420069,
  ProtocolVersionMajor: 0x42006a,
  ProtocolVersionMinor: 0x42006b,
  RequestMessage: 0x420078,
  UsageLimitsCount: 0x420096,
  NameValue: 0x420055,
  LastChangeDate: 0x420048,
} as const;
export type TagName = keyof typeof TAGS;
const NAMES = new Map<number, string>(Object.entries(TAGS).map(([n, v]) => [v, n]));
const ENUMS: Record<number, NamedValue[]> = {
  [TAGS.CryptographicAlgorithm]: [
    { name: 'DES', value: 1 },
    { name: 'DES3', value: 2 },
    { name: 'AES', value: 3 },
  ],
  [TAGS.ObjectType]: [
    { name: 'Certificate', value: 1 },
    { name: 'SymmetricKey', value: 2 },
  ],
};
const USAGE_MASK: NamedValue[] = [
  { name: 'Sign', value: 0x1 },
  { name: 'Verify', value: 0x2 },
  { name: 'Encrypt', value: 0x4 },
  { name: 'Decrypt', value: 0x8 },
  { name: 'CertificateSign', value: 0x1000 },
];
const ATTRIBUTES: Record<string, number> = {
  'Cryptographic Algorithm': TAGS.CryptographicAlgorithm,
  'Cryptographic Usage Mask': TAGS.CryptographicUsageMask,
};
function effective(tag: number, attributeName?: string): number | undefined {
  return tag === TAGS.AttributeValue ? (attributeName === undefined ? undefined : ATTRIBUTES[attributeName]) : tag;
}
export const vocab: Vocabulary = {
  tagName: (tag) => NAMES.get(tag),
  tagByName: (name) => (Object.hasOwn(TAGS, name) ? TAGS[name as TagName] : undefined),
  enumName: (tag, value, an) => ENUMS[effective(tag, an) ?? -1]?.find((e) => e.value === value)?.name,
  enumValue: (tag, name, an) => ENUMS[effective(tag, an) ?? -1]?.find((e) => e.name === name)?.value,
  maskBits: (tag, an) => (effective(tag, an) === TAGS.CryptographicUsageMask ? USAGE_MASK : undefined),
};

