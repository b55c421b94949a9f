// Get Attribute List (1.4 §4.13; 2.1 §6.1.21): which attributes the object has, each once, in the dialect of the
// request: 1.x Attribute Names (text), 2.x Attribute References (the tag as an Enumeration, or Vendor Identification
// and Attribute Name for a vendor attribute); only attributes the client's version defines. Destroyed objects keep
// their metadata, so they answer too (SKFF-M-9). Errors (1.4 §11.14; 2.1 §6.1.21.1): Item Not Found, Object Archived.
import { tagByName } from '../kmip/dictionary.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { externalName1x, readAttributeReference } from './attribute-io.js';
import { selectAttributes } from './get-attributes.js';
import { loadObject, refuseArchived, targetUid } from './object-access.js';
import type { OperationContext, OperationRun } from './operation.js';

const RequestSchema1x = defineStructure('GetAttributeListRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
]);

export const getAttributeList: OperationRun = (payload, ctx) => {
  const { uid, names } = readRequest(payload, ctx);
  const object = loadObject(ctx, targetUid(uid, ctx));
  refuseArchived(object);
  const present = [...new Set(selectAttributes(object.attributes, names, ctx.version, object.objectType).map((a) => a.name))];
  const body: TtlvItem[] = [ttlv.textString(Tag.UniqueIdentifier, object.uid)];
  if (ctx.version.startsWith('1.')) body.push(...present.map((n) => ttlv.textString(Tag.AttributeName, externalName1x(n))));
  else body.push(...present.map(attributeReference));
  return { payload: ttlv.structure(Tag.ResponsePayload, body), uniqueIdentifiers: [object.uid] };
};

/** 2.x Attribute Reference (2.1 §5.5): the attribute's tag, or a vendor attribute's two names. */
function attributeReference(name: string): TtlvItem {
  const tag = tagByName(name);
  if (tag !== undefined) return ttlv.enumeration(Tag.AttributeReference, tag);
  const dash = name.indexOf('-');
  return ttlv.structure(Tag.AttributeReference, [
    ttlv.textString(Tag.VendorIdentification, name.slice(0, dash)),
    ttlv.textString(Tag.AttributeName, name.slice(dash + 1)),
  ]);
}

/**
 * 2.1 §6.1.21 says "If no Attribute Reference is provided, the server SHALL return all attributes" although its
 * request table has no such field: a 2.x request may carry Attribute References, which then narrow the list.
 */
function readRequest(payload: TtlvItem, ctx: OperationContext): { uid: string | undefined; names: string[] | undefined } {
  if (ctx.version.startsWith('1.')) {
    const req = readStructure(payload, RequestSchema1x, ctx.readOptions) as { uniqueIdentifier?: string };
    return { uid: req.uniqueIdentifier, names: undefined };
  }
  let uid: string | undefined;
  const names: string[] = [];
  for (const c of payload.type === T.Structure ? payload.value : []) {
    if (c.tag === Tag.UniqueIdentifier && c.type === T.TextString && uid === undefined) uid = c.value;
    else if (c.tag === Tag.AttributeReference) names.push(readAttributeReference(c, ctx.version));
    else if (!ctx.readOptions.ignoreUnknown) throw new KmipError('InvalidField', `unexpected 0x${c.tag.toString(16)} in Get Attribute List`);
  }
  return { uid, names };
}
