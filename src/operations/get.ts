// Get (1.4 §4.11; 2.1 §6.1.22): the object's content, unsealed through the token, in its registered format or
// a requested one where a conversion exists. Errors: Object Not Found (Item Not Found in 1.x); Object Destroyed
// (Item Not Found in 1.x); Object Archived;
// Not Extractable (Extractable false); Sensitive (Sensitive true); Key Format Type Not Supported; Feature Not
// Supported for key wrapping and compression (cryptographic services come later).
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { decodeTtlv } from '../ttlv/decode.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { child, keyBlockOf } from './key-material.js';
import { changed, firstValue, loadObject, refuseArchived, refuseDestroyed, services, targetUid, withSingle } from './object-access.js';
import type { SealedMaterial } from '../keystore/key-store.js';
import type { ManagedObject } from '../model/managed-object.js';
import type { OperationContext, OperationOutcome, OperationRun, OperationRunAsync } from './operation.js';

const RequestSchema = defineStructure('GetRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'keyFormatType', tag: Tag.KeyFormatType, type: T.Enumeration },
  { key: 'keyWrapType', tag: Tag.KeyWrapType, type: T.Enumeration, since: '1.4' },
  { key: 'keyCompressionType', tag: Tag.KeyCompressionType, type: T.Enumeration },
  { key: 'keyWrappingSpecification', tag: Tag.KeyWrappingSpecification, type: T.Structure },
]);

const F = Enum.KeyFormatType;

/** Everything a Get checks before the unseal: the object it may hand out, and the format asked for. */
function prepare(payload: TtlvItem, ctx: OperationContext): { object: ManagedObject; material: SealedMaterial; keyFormatType?: number } {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    uniqueIdentifier?: string;
    keyFormatType?: number;
    keyWrappingSpecification?: TtlvItem;
    keyCompressionType?: number;
  };
  if (req.keyWrappingSpecification !== undefined) throw new KmipError('FeatureNotSupported', 'key wrapping on Get is not supported yet');
  if (req.keyCompressionType !== undefined) throw new KmipError('KeyCompressionTypeNotSupported', 'key compression is not supported');
  const object = loadObject(ctx, targetUid(req.uniqueIdentifier, ctx));
  refuseDestroyed(object);
  refuseArchived(object);
  if (isFalse(firstValue(object, 'Extractable'))) throw new KmipError('NotExtractable', 'the object is not extractable');
  if (isTrue(firstValue(object, 'Sensitive'))) throw new KmipError('Sensitive', 'the object is sensitive');
  if (object.material === undefined) throw new KmipError('KeyValueNotPresent', 'the object has no key material');
  return { object, material: object.material, ...(req.keyFormatType !== undefined && { keyFormatType: req.keyFormatType }) };
}

/**
 * The response around the unsealed content; the plaintext is zeroed once the response is encoded, or on a fault.
 * `waited`: the unseal ran off the event loop, so the object may have changed since it was read.
 */
function finish(ctx: OperationContext, object: ManagedObject, plaintext: Uint8Array, keyFormatType: number | undefined, waited: boolean): OperationOutcome {
  const svc = services(ctx);
  let content: TtlvItem;
  try {
    content = convertFormat(decodeTtlv(plaintext), keyFormatType);
  } catch (e) {
    plaintext.fill(0);
    throw e;
  }
  // A key that has been handed out is no longer fresh (1.4 §3.34). Read again: after an unseal off the event
  // loop another request may have changed the object, and writing the copy read before would undo that.
  const current = waited ? svc.store.get(object.uid) : object;
  if (current !== undefined && isTrue(firstValue(current, 'Fresh'))) {
    svc.store.update(changed(current, { attributes: withSingle(current.attributes, 'Fresh', ttlv.boolean(Tag.Fresh, false)) }, svc.now()));
  }
  return {
    // Object Type, Unique Identifier, then the object itself (1.4 §4.11 Table 185; 2.1 §6.1.22).
    payload: ttlv.structure(Tag.ResponsePayload, [
      ttlv.enumeration(Tag.ObjectType, object.objectType),
      ttlv.textString(Tag.UniqueIdentifier, object.uid),
      content,
    ]),
    uniqueIdentifiers: [object.uid],
    afterResponse: () => plaintext.fill(0),
  };
}

export const get: OperationRun = (payload, ctx) => {
  const { object, material, keyFormatType } = prepare(payload, ctx);
  return finish(ctx, object, services(ctx).keys.open(object.uid, material), keyFormatType, false);
};

/** Get with the unseal on the key store's worker: the event loop serves other requests meanwhile. */
export const getAsync: OperationRunAsync = async (payload, ctx) => {
  const { object, material, keyFormatType } = prepare(payload, ctx);
  return finish(ctx, object, await services(ctx).keys.openAsync(object.uid, material), keyFormatType, true);
};

function isTrue(v: TtlvItem | undefined): boolean {
  return v?.type === T.Boolean && v.value;
}

function isFalse(v: TtlvItem | undefined): boolean {
  return v?.type === T.Boolean && !v.value;
}

/**
 * The content in the requested Key Format Type. Symmetric keys convert between Raw and Transparent Symmetric
 * Key (1.4 §2.1.7.1); anything else is served only in the format it was registered in.
 */
function convertFormat(content: TtlvItem, wanted: number | undefined): TtlvItem {
  const block = keyBlockOf(content);
  if (wanted === undefined || block === undefined) return content;
  const format = child(block, Tag.KeyFormatType);
  const have = format?.type === T.Enumeration ? format.value : undefined;
  if (have === wanted) return content;
  const keyValue = child(block, Tag.KeyValue);
  const material = child(keyValue, Tag.KeyMaterial);
  if (content.tag === Tag.SymmetricKey && material !== undefined && keyValue?.type === T.Structure) {
    let converted: TtlvItem | undefined;
    if (have === F.Raw && wanted === F.TransparentSymmetricKey && material.type === T.ByteString) {
      converted = ttlv.structure(Tag.KeyMaterial, [ttlv.byteString(Tag.Key, material.value)]);
    } else if (have === F.TransparentSymmetricKey && wanted === F.Raw) {
      const key = child(material, Tag.Key);
      if (key?.type === T.ByteString) converted = ttlv.byteString(Tag.KeyMaterial, key.value);
    }
    if (converted !== undefined) {
      const newValue = ttlv.structure(Tag.KeyValue, keyValue.value.map((c) => (c.tag === Tag.KeyMaterial ? converted! : c)));
      const newBlock = ttlv.structure(
        Tag.KeyBlock,
        (block as TtlvItem & { type: typeof T.Structure }).value.map((c) =>
          c.tag === Tag.KeyFormatType ? ttlv.enumeration(Tag.KeyFormatType, wanted) : c.tag === Tag.KeyValue ? newValue : c,
        ),
      );
      return ttlv.structure(content.tag, [newBlock]);
    }
  }
  throw new KmipError('KeyFormatTypeNotSupported', `the object cannot be returned in Key Format Type 0x${wanted.toString(16)}`);
}
