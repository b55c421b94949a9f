// Delete Attribute (1.4 §4.16; 2.1 §6.1.13): removes instances of an attribute the client may delete; attributes that
// SHALL always have a value never go. 1.x names one instance by Attribute Name and Attribute Index (default 0) and gets
// it back; 2.x names one by Current Attribute, or every instance by Attribute Reference alone, and gets the Unique
// Identifier. Errors (1.4 §11.17; 2.1 §6.1.13.1): Item Not Found, Attribute Read Only (1.x Permission Denied), Attribute
// Not Found and Attribute Instance Not Found (both Item Not Found in 1.x), Object Archived.
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { internalName1x, readAttributeReference, writeAttribute1x } from './attribute-io.js';
import { assertClientMay, commitAttributes, ruleOf, sameValue } from './attribute-changes.js';
import { readWrappedAttribute } from './attribute-payloads.js';
import { instancesOf, loadObject, refuseArchived, targetUid } from './object-access.js';
import type { OperationContext, OperationRun } from './operation.js';

const RequestSchema1x = defineStructure('DeleteAttributeRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'attributeName', tag: Tag.AttributeName, type: T.TextString, required: true },
  { key: 'attributeIndex', tag: Tag.AttributeIndex, type: T.Integer },
]);

interface DeleteRequest {
  readonly uid: string | undefined;
  readonly name: string;
  /** 1.x: one instance by index; 2.x: one by its value, or every instance. */
  readonly which: { readonly index: number } | { readonly current: TtlvItem } | 'all';
}

export const deleteAttribute: OperationRun = (payload, ctx) => {
  const { uid, name, which } = readRequest(payload, ctx);
  const object = loadObject(ctx, targetUid(uid, ctx));
  refuseArchived(object);
  assertClientMay('delete', name, ruleOf(name, ctx.version), object);
  const existing = instancesOf(object, name);
  if (existing.length === 0) throw new KmipError('AttributeNotFound', `object has no ${name}`);
  const doomed = selectInstances(existing, which, name);
  commitAttributes(ctx, object, object.attributes.filter((a) => !doomed.includes(a)));

  const body: TtlvItem[] = [ttlv.textString(Tag.UniqueIdentifier, object.uid)];
  if (ctx.version.startsWith('1.')) body.push(...doomed.map((a) => writeAttribute1x(a, ctx.version)));
  return { payload: ttlv.structure(Tag.ResponsePayload, body), uniqueIdentifiers: [object.uid] };
};

function selectInstances(existing: readonly AttributeInstance[], which: DeleteRequest['which'], name: string): AttributeInstance[] {
  if (which === 'all') return [...existing];
  const found = 'index' in which
    ? existing.find((a) => a.index === which.index)
    : existing.find((a) => sameValue(a.value, which.current));
  if (found === undefined) throw new KmipError('AttributeInstanceNotFound', `no such instance of ${name}`);
  return [found];
}

function readRequest(payload: TtlvItem, ctx: OperationContext): DeleteRequest {
  if (ctx.version.startsWith('1.')) {
    const req = readStructure(payload, RequestSchema1x, ctx.readOptions) as { uniqueIdentifier?: string; attributeName: string; attributeIndex?: number };
    if (req.attributeIndex !== undefined && req.attributeIndex < 0) throw new KmipError('InvalidField', 'Attribute Index must not be negative');
    return { uid: req.uniqueIdentifier, name: internalName1x(req.attributeName), which: { index: req.attributeIndex ?? 0 } };
  }
  // 2.x: Attribute Reference is an Enumeration or a Structure, so the payload is read field by field
  let uid: string | undefined;
  let current: TtlvItem | undefined;
  let reference: TtlvItem | undefined;
  for (const c of payload.type === T.Structure ? payload.value : []) {
    if (c.tag === Tag.UniqueIdentifier && c.type === T.TextString && uid === undefined) uid = c.value;
    else if (c.tag === Tag.CurrentAttribute && current === undefined) current = c;
    else if (c.tag === Tag.AttributeReference && reference === undefined) reference = c;
    else if (!ctx.readOptions.ignoreUnknown) throw new KmipError('InvalidField', `unexpected 0x${c.tag.toString(16)} in Delete Attribute`);
  }
  const referenced = reference === undefined ? undefined : readAttributeReference(reference, ctx.version);
  if (current !== undefined) {
    const input = readWrappedAttribute(current, ctx.version);
    if (referenced !== undefined && referenced !== input.name) {
      throw new KmipError('InvalidField', `Current Attribute ${input.name} and Attribute Reference ${referenced} differ`);
    }
    return { uid, name: input.name, which: { current: input.value } };
  }
  if (referenced === undefined) throw new KmipError('InvalidMessage', 'Delete Attribute names no attribute');
  return { uid, name: referenced, which: 'all' };
}
