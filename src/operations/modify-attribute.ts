// Modify Attribute (1.4 §4.15; 2.1 §6.1.34): a new value for one existing instance of an attribute the client may
// modify, in the states its rule allows. 1.x names the instance by Attribute Index (default 0) and gets the modified
// Attribute back; 2.x names it by Current Attribute, or not at all when the attribute has a single instance, and gets
// the Unique Identifier. An Activation or Deactivation Date moved to the past takes effect at once (1.4 §3.22).
// Errors (1.4 §11.16; 2.1 §6.1.34.1): Item Not Found, Attribute Read Only (1.x Permission Denied), Attribute Not
// Found (1.x Invalid Field), Attribute Instance Not Found (1.x Item Not Found), Non Unique Name Attribute (1.x Illegal
// Operation), Wrong Key Lifecycle State (1.x Permission Denied), Object Archived, Invalid Attribute (Value).
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { readAttribute1x, writeAttribute1x, type AttributeInput } from './attribute-io.js';
import { assertClientMay, assertValueFits, commitAttributes, replaceInstance, ruleOf, sameValue } from './attribute-changes.js';
import { readWrappedAttribute } from './attribute-payloads.js';
import { assertNamesUnique, instancesOf, loadObject, refuseArchived, targetUid } from './object-access.js';
import type { OperationContext, OperationRun } from './operation.js';

const RequestSchema = defineStructure('ModifyAttributeRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'attribute', tag: Tag.Attribute, type: T.Structure, required: true, until: '2.0' },
  { key: 'currentAttribute', tag: Tag.CurrentAttribute, type: T.Structure, since: '2.0' },
  { key: 'newAttribute', tag: Tag.NewAttribute, type: T.Structure, required: true, since: '2.0' },
]);

interface ModifyRequest {
  readonly uid: string | undefined;
  readonly input: AttributeInput;
  /** How the instance is named: 1.x by index, 2.x by its current value (or by being the only one). */
  readonly which: { readonly index: number } | { readonly current: TtlvItem | undefined };
}

export const modifyAttribute: OperationRun = (payload, ctx) => {
  const { uid, input, which } = readRequest(payload, ctx);
  const object = loadObject(ctx, targetUid(uid, ctx));
  refuseArchived(object);
  const rule = ruleOf(input.name, ctx.version);
  assertClientMay('modify', input.name, rule, object);
  assertValueFits(input, rule, object);
  const existing = instancesOf(object, input.name);
  if (existing.length === 0) throw new KmipError('AttributeNotFound', `object has no ${input.name}: add it first`);
  const target = selectInstance(existing, which, input.name);
  const modified: AttributeInstance = { name: input.name, index: target.index, value: input.value };
  assertNamesUnique(ctx, [modified], object.owner, object.uid);
  commitAttributes(ctx, object, replaceInstance(object.attributes, modified));

  const body: TtlvItem[] = [ttlv.textString(Tag.UniqueIdentifier, object.uid)];
  if (ctx.version.startsWith('1.')) body.push(writeAttribute1x(modified, ctx.version));
  return { payload: ttlv.structure(Tag.ResponsePayload, body), uniqueIdentifiers: [object.uid] };
};

function selectInstance(existing: readonly AttributeInstance[], which: ModifyRequest['which'], name: string): AttributeInstance {
  let found: AttributeInstance | undefined;
  if ('index' in which) found = existing.find((a) => a.index === which.index);
  else if (which.current !== undefined) found = existing.find((a) => sameValue(a.value, which.current!));
  // 2.x without Current Attribute: only an attribute with a single instance says which one (2.1 §6.1.34)
  else if (existing.length === 1) found = existing[0];
  else throw new KmipError('AttributeInstanceNotFound', `${name} has ${existing.length} instances: name one by Current Attribute`);
  if (found === undefined) throw new KmipError('AttributeInstanceNotFound', `no such instance of ${name}`);
  return found;
}

function readRequest(payload: TtlvItem, ctx: OperationContext): ModifyRequest {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    uniqueIdentifier?: string;
    attribute?: TtlvItem;
    currentAttribute?: TtlvItem;
    newAttribute?: TtlvItem;
  };
  if (req.attribute !== undefined) {
    const input = readAttribute1x(req.attribute);
    // "If no Attribute Index is specified in the request, then the Attribute Index SHALL be assumed to be 0"
    return { uid: req.uniqueIdentifier, input, which: { index: input.index ?? 0 } };
  }
  const input = readWrappedAttribute(req.newAttribute!, ctx.version);
  const current = req.currentAttribute === undefined ? undefined : readWrappedAttribute(req.currentAttribute, ctx.version);
  if (current !== undefined && current.name !== input.name) {
    throw new KmipError('InvalidField', `Current Attribute ${current.name} and New Attribute ${input.name} differ`);
  }
  return { uid: req.uniqueIdentifier, input, which: { current: current?.value } };
}
