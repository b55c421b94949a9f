// Set Attribute (2.0 §6.1.47; 2.1 §6.1.51, 2.x only): adds the attribute when the object has no instance of it,
// replaces the value when it has exactly one, and refuses when it has several (which one is meant is unknowable).
// Errors (2.1 §6.1.51.1): Item Not Found, Read Only Attribute, Multi Valued Attribute, Invalid Attribute (not for this
// object type), Invalid Attribute Value, Non Unique Name Attribute, Wrong Key Lifecycle State, Object Archived.
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { assertClientMay, assertValueFits, commitAttributes, replaceInstance, ruleOf } from './attribute-changes.js';
import { readWrappedAttribute } from './attribute-payloads.js';
import { assertNamesUnique, instancesOf, loadObject, refuseArchived, targetUid } from './object-access.js';
import type { OperationRun } from './operation.js';

const RequestSchema = defineStructure('SetAttributeRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'newAttribute', tag: Tag.NewAttribute, type: T.Structure, required: true },
]);

export const setAttribute: OperationRun = (payload, ctx) => {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as { uniqueIdentifier?: string; newAttribute: TtlvItem };
  const input = readWrappedAttribute(req.newAttribute, ctx.version);
  const object = loadObject(ctx, targetUid(req.uniqueIdentifier, ctx));
  refuseArchived(object);
  const rule = ruleOf(input.name, ctx.version);
  const existing = instancesOf(object, input.name);
  if (existing.length > 1) {
    throw new KmipError('MultiValuedAttribute', `${input.name} has ${existing.length} instances: use Modify Attribute`);
  }
  const current = existing[0];
  // "Read-Only attributes SHALL NOT be added or modified using this operation": adding needs a client-settable
  // attribute, replacing a client-modifiable one; the 2.x table names the refusal Read Only Attribute either way
  assertClientMay(current === undefined ? 'add' : 'modify', input.name, rule, object, 'ReadOnlyAttribute');
  assertValueFits(input, rule, object);
  const set: AttributeInstance = { name: input.name, index: current?.index ?? 0, value: input.value };
  assertNamesUnique(ctx, [set], object.owner, object.uid);
  const attributes = current === undefined ? [...object.attributes, set] : replaceInstance(object.attributes, set);
  commitAttributes(ctx, object, attributes);
  return {
    payload: ttlv.structure(Tag.ResponsePayload, [ttlv.textString(Tag.UniqueIdentifier, object.uid)]),
    uniqueIdentifiers: [object.uid],
  };
};
