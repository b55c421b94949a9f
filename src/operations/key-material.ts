// Key material kmipd generates and the Key Block that carries it (1.4 §2.1.3–2.1.7; 2.1 §2.1.3–2.1.7).
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { Tag } from '../kmip/tag.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';

const A = Enum.CryptographicAlgorithm;

/** Cryptographic Length (bits) → key bytes, per symmetric algorithm kmipd generates. */
const SYMMETRIC_LENGTHS: ReadonlyMap<number, (bits: number) => number | undefined> = new Map<number, (bits: number) => number | undefined>([
  [A.AES, (b) => ([128, 192, 256].includes(b) ? b / 8 : undefined)],
  // Two-key 3DES is 112 bits of strength in 16 bytes, three-key 168 bits in 24 (with parity bits, 192).
  [A.DES3, (b) => (b === 112 ? 16 : b === 168 || b === 192 ? 24 : undefined)],
  [A.ChaCha20, (b) => (b === 256 ? 32 : undefined)],
  [A.Camellia, (b) => ([128, 192, 256].includes(b) ? b / 8 : undefined)],
  ...[A.HMAC_SHA1, A.HMAC_SHA224, A.HMAC_SHA256, A.HMAC_SHA384, A.HMAC_SHA512, A.HMAC_MD5,
    A.HMAC_SHA3_224, A.HMAC_SHA3_256, A.HMAC_SHA3_384, A.HMAC_SHA3_512].map(
    (alg) => [alg, (b: number) => (b >= 8 && b <= 4096 && b % 8 === 0 ? b / 8 : undefined)] as [number, (b: number) => number | undefined],
  ),
]);

/** Key bytes for a symmetric key of `algorithm` and `bits`; refuses what kmipd does not generate. */
export function symmetricKeyBytes(algorithm: number | undefined, bits: number | undefined): number {
  if (algorithm === undefined) throw new KmipError('MissingData', 'Create of a Symmetric Key needs a Cryptographic Algorithm');
  if (bits === undefined) throw new KmipError('MissingData', 'Create of a Symmetric Key needs a Cryptographic Length');
  const lengthOf = SYMMETRIC_LENGTHS.get(algorithm);
  if (lengthOf === undefined) throw new KmipError('InvalidField', `kmipd does not generate symmetric keys of algorithm 0x${algorithm.toString(16)}`);
  const bytes = lengthOf(bits);
  if (bytes === undefined) throw new KmipError('InvalidField', `Cryptographic Length ${bits} is not valid for this algorithm`);
  return bytes;
}

/** A Symmetric Key object in Raw format: Key Block {Key Format Type, Key Value {Key Material}, Algorithm, Length}. */
export function symmetricKeyObject(material: Uint8Array, algorithm: number, bits: number): TtlvItem {
  return ttlv.structure(Tag.SymmetricKey, [
    ttlv.structure(Tag.KeyBlock, [
      ttlv.enumeration(Tag.KeyFormatType, Enum.KeyFormatType.Raw),
      ttlv.structure(Tag.KeyValue, [ttlv.byteString(Tag.KeyMaterial, material)]),
      ttlv.enumeration(Tag.CryptographicAlgorithm, algorithm),
      ttlv.integer(Tag.CryptographicLength, bits),
    ]),
  ]);
}

/** The object structure tag for each Object Type (1.4 §2.2). */
export const OBJECT_TAGS: ReadonlyMap<number, number> = new Map([
  [Enum.ObjectType.Certificate, Tag.Certificate],
  [Enum.ObjectType.SymmetricKey, Tag.SymmetricKey],
  [Enum.ObjectType.PublicKey, Tag.PublicKey],
  [Enum.ObjectType.PrivateKey, Tag.PrivateKey],
  [Enum.ObjectType.SplitKey, Tag.SplitKey],
  [Enum.ObjectType.Template, Tag.Template],
  [Enum.ObjectType.SecretData, Tag.SecretData],
  [Enum.ObjectType.OpaqueObject, Tag.OpaqueObject],
  [Enum.ObjectType.PGPKey, Tag.PGPKey],
]);

export function child(item: TtlvItem | undefined, tag: number): TtlvItem | undefined {
  return item?.type === ItemType.Structure ? item.value.find((c) => c.tag === tag) : undefined;
}

/** The Key Block of a key-carrying object structure (Symmetric, Public, Private, Split Key, Secret Data, PGP Key). */
export function keyBlockOf(object: TtlvItem): TtlvItem | undefined {
  return child(object, Tag.KeyBlock);
}

/** Key Material bytes of a Key Block whose Key Value is not wrapped (a Byte String directly in Key Value). */
export function rawKeyMaterial(keyBlock: TtlvItem): Uint8Array | undefined {
  const keyValue = child(keyBlock, Tag.KeyValue);
  const material = child(keyValue, Tag.KeyMaterial);
  return material?.type === ItemType.ByteString ? material.value : undefined;
}
