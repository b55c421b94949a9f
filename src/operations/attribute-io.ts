// Attributes at the message boundary, both dialects: 1.x Attribute {Name, Index, Value} inside Template-Attribute,
// and 2.x Attributes holding attribute items, custom ones as Attribute {Vendor Identification, Name, Value}
// (1.4 §2.1.1, §2.1.8; 2.1 §2.1.1, §4.60). Inside kmipd every attribute is an AttributeInstance.
import { attributeByName, attributeByTag, tagByName, tagName } from '../kmip/dictionary.js';
import { valueInVersion } from '../kmip/attribute-fields.js';
import { KmipError } from '../kmip/kmip-error.js';
import { Tag } from '../kmip/tag.js';
import { definedIn, type KmipVersion } from '../kmip/versions.js';
import type { AttributeInstance } from '../model/attribute.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';

/** A value offered by a client, before the policy has checked it. */
export interface AttributeInput {
  readonly name: string;
  /** The 1.x Attribute Index when the client gave one. */
  readonly index: number | undefined;
  readonly value: TtlvItem;
}

/**
 * A 1.x attribute name as kmipd keys it. Runs of whitespace are collapsed: the OASIS 1.0 profile test files
 * carry names such as "Cryptographic   Algorithm", and no attribute name means anything else.
 */
export function internalName1x(text: string): string {
  const name = text.replace(/\s+/g, ' ').trim();
  if (name.startsWith('x-') || name.startsWith('y-')) return name;
  const def = attributeByName(name);
  if (def === undefined) throw new KmipError('UnsupportedAttribute', `unknown attribute "${name}"`);
  return def.tag;
}

/** The 1.x Attribute Name text of an internal name. */
export function externalName1x(name: string): string {
  return attributeByTag(name)?.name ?? name;
}

/** Whether a 1.x client can name the attribute: custom names must be x- or y- (1.4 §3.39). */
function nameableIn1x(name: string): boolean {
  return attributeByTag(name) !== undefined || name.startsWith('x-') || name.startsWith('y-');
}

/** A value item re-tagged: the attribute's own tag inside kmipd, AttributeValue on the 1.x wire. */
function retag(value: TtlvItem, tag: number): TtlvItem {
  return { ...value, tag } as TtlvItem;
}

function valueTagOf(name: string): number {
  return tagByName(name) ?? Tag.AttributeValue;
}

function field(item: TtlvItem, tag: number): TtlvItem | undefined {
  return item.type === ItemType.Structure ? item.value.find((c) => c.tag === tag) : undefined;
}

function textField(item: TtlvItem, tag: number, what: string): string {
  const f = field(item, tag);
  if (f?.type !== ItemType.TextString) throw new KmipError('InvalidMessage', `${what} lacks its ${tagName(tag) ?? tag} text`);
  return f.value;
}

/** One 1.x Attribute structure {Attribute Name, Attribute Index?, Attribute Value?}. */
export function readAttribute1x(item: TtlvItem, requireValue = true): AttributeInput {
  if (item.tag !== Tag.Attribute || item.type !== ItemType.Structure) {
    throw new KmipError('InvalidMessage', 'expected an Attribute structure');
  }
  const name = internalName1x(textField(item, Tag.AttributeName, 'Attribute'));
  const index = field(item, Tag.AttributeIndex);
  if (index !== undefined && (index.type !== ItemType.Integer || index.value < 0)) {
    throw new KmipError('InvalidMessage', 'Attribute Index must be a non-negative Integer');
  }
  const value = field(item, Tag.AttributeValue);
  if (value === undefined && requireValue) throw new KmipError('InvalidMessage', `attribute ${name} has no Attribute Value`);
  return {
    name,
    index: index?.type === ItemType.Integer ? index.value : undefined,
    value: value === undefined ? ttlv.structure(Tag.AttributeValue, []) : retag(value, valueTagOf(name)),
  };
}

/**
 * The attributes of a 1.x Template-Attribute (or Common/Private/Public Key Template-Attribute). Its Name fields
 * name Template objects to draw attributes from (templateNames); they are not attributes themselves.
 */
export function readTemplateAttribute(item: TtlvItem): AttributeInput[] {
  if (item.type !== ItemType.Structure) throw new KmipError('InvalidMessage', 'Template-Attribute must be a Structure');
  const out: AttributeInput[] = [];
  for (const child of item.value) {
    if (child.tag === Tag.Attribute) out.push(readAttribute1x(child));
    else if (child.tag !== Tag.Name) throw new KmipError('InvalidField', `unexpected 0x${child.tag.toString(16)} in Template-Attribute`);
  }
  return out;
}

/** The Names of Template objects a Template-Attribute refers to (1.4 §2.1.8), in order. */
export function templateNames(item: TtlvItem): TtlvItem[] {
  return item.type === ItemType.Structure ? item.value.filter((c) => c.tag === Tag.Name) : [];
}

/** One 2.x attribute item: an attribute tag, or a custom Attribute {Vendor Identification, Attribute Name, Attribute Value}. */
export function readAttribute2x(item: TtlvItem, version: KmipVersion, requireValue = true): AttributeInput {
  if (item.tag === Tag.Attribute) {
    const vendor = textField(item, Tag.VendorIdentification, 'Attribute');
    const name = textField(item, Tag.AttributeName, 'Attribute');
    const value = field(item, Tag.AttributeValue);
    if (value === undefined && requireValue) throw new KmipError('InvalidMessage', `attribute ${vendor}-${name} has no Attribute Value`);
    return { name: `${vendor}-${name}`, index: undefined, value: value ?? ttlv.structure(Tag.AttributeValue, []) };
  }
  const name = tagName(item.tag, version);
  if (name === undefined) throw new KmipError('InvalidField', `0x${item.tag.toString(16)} is not an attribute in KMIP ${version}`);
  return { name, index: undefined, value: item };
}

/** The attributes of a 2.x Attributes (or Common/Private/Public Key Attributes) structure. */
export function readAttributes2x(item: TtlvItem, version: KmipVersion): AttributeInput[] {
  if (item.type !== ItemType.Structure) throw new KmipError('InvalidMessage', 'Attributes must be a Structure');
  return item.value.map((c) => readAttribute2x(c, version));
}

/** A 2.x Attribute Reference: an Enumeration naming a tag, or a structure naming a vendor attribute (2.1 §2.1.1). */
export function readAttributeReference(item: TtlvItem, version: KmipVersion): string {
  if (item.type === ItemType.Enumeration) {
    const name = tagName(item.value, version);
    if (name === undefined) throw new KmipError('InvalidField', `0x${item.value.toString(16)} is not an attribute tag`);
    return name;
  }
  if (item.type === ItemType.Structure) {
    return `${textField(item, Tag.VendorIdentification, 'Attribute Reference')}-${textField(item, Tag.AttributeName, 'Attribute Reference')}`;
  }
  throw new KmipError('InvalidMessage', 'Attribute Reference must be an Enumeration or a Structure');
}

/**
 * 1.x wire form of one instance in `version`; Attribute Index is written only when not 0 (the OASIS 1.x responses
 * omit it), structure fields the version lacks are left out (a 1.0 Digest has no Key Format Type).
 */
export function writeAttribute1x(inst: AttributeInstance, version: KmipVersion): TtlvItem {
  const children: TtlvItem[] = [ttlv.textString(Tag.AttributeName, externalName1x(inst.name))];
  if (inst.index !== 0) children.push(ttlv.integer(Tag.AttributeIndex, inst.index));
  children.push(retag(valueInVersion(inst.value, version), Tag.AttributeValue));
  return ttlv.structure(Tag.Attribute, children);
}

/** 2.x wire form of one instance: the value item itself, or a custom Attribute structure. */
export function writeAttribute2x(inst: AttributeInstance): TtlvItem {
  if (tagByName(inst.name) !== undefined) return inst.value;
  const dash = inst.name.indexOf('-');
  return ttlv.structure(Tag.Attribute, [
    ttlv.textString(Tag.VendorIdentification, inst.name.slice(0, dash)),
    ttlv.textString(Tag.AttributeName, inst.name.slice(dash + 1)),
    retag(inst.value, Tag.AttributeValue),
  ]);
}

/**
 * Whether a client of `version` may be shown the attribute: its tag defined in that version (a 1.0 client
 * never sees Fresh, Extractable, Sensitive …), custom attributes only under names its dialect can express.
 */
export function visibleIn(name: string, version: KmipVersion, since: (name: string) => { since: KmipVersion; until?: KmipVersion } | undefined): boolean {
  const rule = since(name);
  if (rule !== undefined) return definedIn(version, rule.since, rule.until);
  if (tagByName(name) !== undefined) return false; // a tag with no attribute rule is not an attribute
  return version.startsWith('1.') ? nameableIn1x(name) : true;
}

/** The wire form for `version`. */
export function writeAttribute(inst: AttributeInstance, version: KmipVersion): TtlvItem {
  return version.startsWith('1.') ? writeAttribute1x(inst, version) : writeAttribute2x({ ...inst, value: valueInVersion(inst.value, version) });
}
