// Lookups over the tag, enumeration, mask and attribute-name tables, indexed once at load (1.4 §9.1.3, 2.1 §11).
import { ATTRIBUTE_NAMES as ATTRIBUTE_TABLE } from './attribute-names.js';
import type { AttributeNameDef, EnumDef, EnumValueDef, MaskDef, TagDef } from './dictionary-types.js';
import { ENUMERATIONS as ENUM_TABLE } from './enumerations.js';
import { MASKS as MASK_TABLE } from './masks.js';
import { TAGS as TAG_TABLE } from './tags.js';
import { definedIn, versionRank, type KmipVersion } from './versions.js';

// The tables are `as const` literals (for typed names elsewhere); here they are read as their plain shapes.
const TAGS: readonly TagDef[] = TAG_TABLE;
const ENUMERATIONS: readonly EnumDef[] = ENUM_TABLE;
const MASKS: readonly MaskDef[] = MASK_TABLE;
const ATTRIBUTE_NAMES: readonly AttributeNameDef[] = ATTRIBUTE_TABLE;

/** Named entries (tags, enumeration values, mask bits) sharing a number, newest `since` first. */
type Versioned<T extends { readonly since: KmipVersion }> = readonly T[];

function newestFirst<T extends { readonly since: KmipVersion }>(a: T, b: T): number {
  return versionRank(b.since) - versionRank(a.since);
}

/** The entry defined in `version`, or the newest entry when no version is given. */
function pick<T extends { readonly since: KmipVersion; readonly until?: KmipVersion }>(
  entries: Versioned<T> | undefined,
  version: KmipVersion | undefined,
): T | undefined {
  if (entries === undefined) return undefined;
  if (version === undefined) return entries[0];
  return entries.find((e) => definedIn(version, e.since, e.until));
}

function groupByNumber<T extends { readonly since: KmipVersion }>(
  items: readonly T[],
  key: (item: T) => number,
): Map<number, Versioned<T>> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  for (const list of out.values()) list.sort(newestFirst);
  return out;
}

// ---- tags -------------------------------------------------------------------------------------------

const TAG_DEFS_BY_VALUE = groupByNumber(TAGS, (t) => t.tag);
const TAG_BY_NAME = new Map<string, number>(TAGS.map((t) => [t.name, t.tag]));
const TAG_DEF_BY_NAME = new Map<string, TagDef>(TAGS.map((t) => [t.name, t]));

/** Normalised name of a tag: the one defined in `version`, or the newest name when no version is given. */
export function tagName(tag: number, version?: KmipVersion): string | undefined {
  return pick(TAG_DEFS_BY_VALUE.get(tag), version)?.name;
}

/** Tag value for a normalised name of any version. */
export function tagByName(name: string): number | undefined {
  return TAG_BY_NAME.get(name);
}

/** The table entry of a normalised tag name (its versions), any version. */
export function tagDefByName(name: string): TagDef | undefined {
  return TAG_DEF_BY_NAME.get(name);
}

/** True when `version` defines the tag (not absent, not reserved). */
export function tagDefined(tag: number, version: KmipVersion): boolean {
  return pick(TAG_DEFS_BY_VALUE.get(tag), version) !== undefined;
}

// ---- enumerations and masks -------------------------------------------------------------------------

/**
 * 2.x Attribute Reference is an "Enumeration (Tag)" (2.1 §5.5 Table 161): its values are the Tag
 * Enumeration (2.1 §11.56), so the tag table doubles as that enumeration. Used only when the
 * enumeration tables do not already claim the tag.
 */
export const TAG_ENUMERATION: EnumDef = {
  name: 'Tag',
  section: '2.0 §11.54; 2.1 §11.56',
  tags: ['AttributeReference'],
  values: TAGS.map((t) => ({ name: t.name, value: t.tag, since: t.since, ...(t.until ? { until: t.until } : {}) })),
};

interface ValueIndex {
  readonly byValue: Map<number, Versioned<EnumValueDef>>;
  readonly byName: Map<string, EnumValueDef>;
}

function indexValues(values: readonly EnumValueDef[]): ValueIndex {
  return {
    byValue: groupByNumber(values, (v) => v.value),
    byName: new Map(values.map((v) => [v.name, v])),
  };
}

// Keyed by the definition object; a definition built elsewhere is indexed on first use.
const VALUE_INDEX = new WeakMap<EnumDef | MaskDef, ValueIndex>();

function valueIndex(def: EnumDef | MaskDef): ValueIndex {
  let index = VALUE_INDEX.get(def);
  if (index === undefined) {
    index = indexValues('values' in def ? def.values : def.bits);
    VALUE_INDEX.set(def, index);
  }
  return index;
}

/** Maps tag value → definition for every tag name a definition lists; the first definition claiming a tag wins. */
function byTag<D extends EnumDef | MaskDef>(defs: readonly D[]): Map<number, D> {
  const out = new Map<number, D>();
  for (const def of defs) {
    valueIndex(def);
    for (const name of def.tags) {
      const tag = TAG_BY_NAME.get(name);
      if (tag !== undefined && !out.has(tag)) out.set(tag, def);
    }
  }
  return out;
}

const ENUM_BY_TAG = byTag([...ENUMERATIONS, TAG_ENUMERATION]);
const MASK_BY_TAG = byTag(MASKS);

/** The enumeration whose values an Enumeration item with this tag takes. */
export function enumForTag(tag: number): EnumDef | undefined {
  return ENUM_BY_TAG.get(tag);
}

/** The bit mask an Integer item with this tag carries. */
export function maskForTag(tag: number): MaskDef | undefined {
  return MASK_BY_TAG.get(tag);
}

/** The value entry of an enumeration or mask: the one defined in `version`, or the newest when no version is given. */
export function enumValueDef(def: EnumDef | MaskDef, value: number, version?: KmipVersion): EnumValueDef | undefined {
  return pick(valueIndex(def).byValue.get(value), version);
}

/** Name of an enumeration value (as defined in `version`, or the newest name). */
export function enumValueName(def: EnumDef, value: number, version?: KmipVersion): string | undefined {
  return enumValueDef(def, value, version)?.name;
}

/** The value entry for a name of any version (callers check `since`/`until` when the version matters). */
export function enumValueDefByName(def: EnumDef | MaskDef, name: string): EnumValueDef | undefined {
  return valueIndex(def).byName.get(name);
}

/** Value of an enumeration name of any version. Names only: hex text is the caller's to parse. */
export function enumValueByName(def: EnumDef, name: string): number | undefined {
  return enumValueDefByName(def, name)?.value;
}

// ---- 1.x attribute names ----------------------------------------------------------------------------

const ATTRIBUTE_BY_NAME = new Map<string, AttributeNameDef>(ATTRIBUTE_NAMES.map((a) => [a.name, a]));
const ATTRIBUTE_BY_TAG = new Map<string, AttributeNameDef>(ATTRIBUTE_NAMES.map((a) => [a.tag, a]));

/** The attribute a 1.x Attribute Name text denotes ("Cryptographic Algorithm"); exact text, case-sensitive. */
export function attributeByName(name: string): AttributeNameDef | undefined {
  return ATTRIBUTE_BY_NAME.get(name);
}

/** The attribute whose value the tag (normalised name, "CryptographicAlgorithm") carries. */
export function attributeByTag(tagName: string): AttributeNameDef | undefined {
  return ATTRIBUTE_BY_TAG.get(tagName);
}
