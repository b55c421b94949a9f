// Add Attribute (1.4 §4.14; 2.1 §6.1.2): a new instance of an attribute the client may set, at the lowest free index
// for a multi-valued attribute; a second instance of a single-valued one is refused. 1.x answers with the added
// Attribute and its index, 2.x with the Unique Identifier alone.
// Errors (1.4 §11.15; 2.1 §6.1.2.1): Item Not Found, Read Only Attribute (1.x Permission Denied), Invalid Attribute
// (not for this object type; 1.x Permission Denied), Attribute Single Valued (1.x Illegal Operation), Invalid Field
// (1.x Attribute Index given), Non Unique Name Attribute (1.x Illegal Operation), Server Limit Exceeded (1.x Index Out
// of Bounds), Wrong Key Lifecycle State (1.x Permission Denied), Object Archived, Invalid Attribute Value.
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { readAttribute1x, writeAttribute1x, type AttributeInput } from './attribute-io.js';
import { assertClientMay, assertValueFits, commitAttributes, MAX_INSTANCES_PER_ATTRIBUTE, nextIndex, ruleOf } from './attribute-changes.js';
import { readWrappedAttribute } from './attribute-payloads.js';
import { assertNamesUnique, instancesOf, loadObject, refuseArchived, targetUid } from './object-access.js';
import type { OperationContext, OperationRun } from './operation.js';

const RequestSchema = defineStructure('AddAttributeRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'attribute', tag: Tag.Attribute, type: T.Structure, required: true, until: '2.0' },
  { key: 'newAttribute', tag: Tag.NewAttribute, type: T.Structure, required: true, since: '2.0' },
]);

export const addAttribute: OperationRun = (payload, ctx) => {
  const { uid, input } = readRequest(payload, ctx);
  const object = loadObject(ctx, targetUid(uid, ctx));
  refuseArchived(object);
  const rule = ruleOf(input.name, ctx.version);
  assertClientMay('add', input.name, rule, object);
  assertValueFits(input, rule, object);
  const existing = instancesOf(object, input.name);
  if (existing.length > 0 && !rule.multiValued) {
    throw new KmipError('AttributeSingleValued', `attribute ${input.name} already has a value: modify it instead`);
  }
  if (existing.length >= MAX_INSTANCES_PER_ATTRIBUTE) {
    throw new KmipError('ServerLimitExceeded', `attribute ${input.name} has ${existing.length} instances, the most kmipd keeps`);
  }
  const added: AttributeInstance = { name: input.name, index: nextIndex(existing), value: input.value };
  // the object's own names count too: adding a name it already has is a duplicate (BL-M-8-21)
  assertNamesUnique(ctx, [added], object.owner);
  commitAttributes(ctx, object, [...object.attributes, added]);

  const body: TtlvItem[] = [ttlv.textString(Tag.UniqueIdentifier, object.uid)];
  if (ctx.version.startsWith('1.')) body.push(writeAttribute1x(added, ctx.version));
  return { payload: ttlv.structure(Tag.ResponsePayload, body), uniqueIdentifiers: [object.uid] };
};

function readRequest(payload: TtlvItem, ctx: OperationContext): { uid: string | undefined; input: AttributeInput } {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as { uniqueIdentifier?: string; attribute?: TtlvItem; newAttribute?: TtlvItem };
  if (req.attribute !== undefined) {
    const input = readAttribute1x(req.attribute);
    // "The Attribute Index SHALL NOT be specified in the request" (1.4 §4.14): the server assigns it
    if (input.index !== undefined) throw new KmipError('InvalidField', 'Add Attribute takes no Attribute Index');
    return { uid: req.uniqueIdentifier, input };
  }
  return { uid: req.uniqueIdentifier, input: readWrappedAttribute(req.newAttribute!, ctx.version) };
}
