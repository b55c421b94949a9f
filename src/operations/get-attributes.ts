// Get Attributes (1.4 §4.12; 2.1 §6.1.23): the named attributes (all, when none is named), each only if the
// client's version defines it. Destroyed objects keep their metadata, so they answer too. Errors: Item Not Found.
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeRule, ruleAppliesTo } from '../model/attribute-policy.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { internalName1x, readAttributeReference, visibleIn, writeAttribute } from './attribute-io.js';
import { loadObject, OBJECT_TYPE_NAMES, targetUid } from './object-access.js';
import type { OperationRun } from './operation.js';

const RequestSchema = defineStructure('GetAttributesRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'attributeName', tag: Tag.AttributeName, type: T.TextString, repeated: true, until: '2.0' },
]);

export const getAttributes: OperationRun = (payload, ctx) => {
  const { uid, names } = readRequest(payload, ctx.version, ctx.readOptions);
  const object = loadObject(ctx, targetUid(uid, ctx));
  const shown = selectAttributes(object.attributes, names, ctx.version, object.objectType);
  const body: TtlvItem[] = [ttlv.textString(Tag.UniqueIdentifier, object.uid)];
  if (ctx.version.startsWith('1.')) body.push(...shown.map((a) => writeAttribute(a, ctx.version)));
  else body.push(ttlv.structure(Tag.Attributes, shown.map((a) => writeAttribute(a, ctx.version))));
  return { payload: ttlv.structure(Tag.ResponsePayload, body), uniqueIdentifiers: [object.uid] };
};

/** The attribute instances a client of `version` is shown: in request order, or all in stored order. */
export function selectAttributes(
  all: readonly AttributeInstance[],
  names: readonly string[] | undefined,
  version: KmipVersion,
  objectType: number,
): AttributeInstance[] {
  const typeName = OBJECT_TYPE_NAMES.get(objectType);
  const shown = (a: AttributeInstance): boolean => {
    if (!visibleIn(a.name, version, (n) => attributeRule(n, version) ?? attributeRule(n))) return false;
    // Only attributes the client's version applies to this object type (1.x has no State on an Opaque Object).
    const rule = attributeRule(a.name, version);
    return rule === undefined || typeName === undefined || ruleAppliesTo(rule, typeName);
  };
  if (names === undefined || names.length === 0) return all.filter(shown);
  // the rules are consulted only for the instances asked for (a poll asks for State alone)
  const out: AttributeInstance[] = [];
  for (const name of new Set(names)) for (const a of all) if (a.name === name && shown(a)) out.push(a);
  return out;
}

function readRequest(payload: TtlvItem, version: KmipVersion, opts: Parameters<typeof readStructure>[2]): { uid: string | undefined; names: string[] } {
  if (version.startsWith('1.')) {
    const req = readStructure(payload, RequestSchema, opts) as { uniqueIdentifier?: string; attributeName?: string[] };
    // A name that is no attribute at all is not returned, like an attribute the object lacks.
    return { uid: req.uniqueIdentifier, names: (req.attributeName ?? []).flatMap((n) => tryName(n)) };
  }
  // 2.x: Attribute Reference is an Enumeration naming a tag or a structure naming a vendor attribute, so it
  // is read here rather than by one schema.
  let uid: string | undefined;
  const names: string[] = [];
  for (const c of payload.type === T.Structure ? payload.value : []) {
    if (c.tag === Tag.UniqueIdentifier && c.type === T.TextString && uid === undefined) uid = c.value;
    else if (c.tag === Tag.AttributeReference) names.push(readAttributeReference(c, version));
    else if (!opts.ignoreUnknown) throw new KmipError('InvalidField', `unexpected 0x${c.tag.toString(16)} in Get Attributes`);
  }
  return { uid, names };
}

function tryName(text: string): string[] {
  try {
    return [internalName1x(text)];
  } catch (e) {
    if (e instanceof KmipError) return [];
    throw e;
  }
}
