// The KMIP names of tags, enumerations and masks for the text encodings, per version (Addtl Msg Enc §4.1.6, §6.1.6).
import type { NamedValue, Vocabulary } from '../ttlv/vocabulary.js';
import {
  attributeByName,
  enumForTag,
  enumValueDef,
  enumValueDefByName,
  maskForTag,
  tagByName,
  tagDefByName,
  tagName,
} from './dictionary.js';
import type { EnumDef, EnumValueDef, MaskDef } from './dictionary-types.js';
import { definedIn, KMIP_VERSIONS, type KmipVersion } from './versions.js';

/** 1.x Attribute Value (1.4 §2.1.1): its enumeration or mask is that of the attribute its sibling names. */
const ATTRIBUTE_VALUE = 0x42000b;

/** The tag whose enumeration/mask applies: the named attribute's tag for an Attribute Value, else the tag itself. */
function effectiveTag(tag: number, attributeName: string | undefined): number | undefined {
  if (tag !== ATTRIBUTE_VALUE) return tag;
  if (attributeName === undefined) return undefined;
  const attribute = attributeByName(attributeName);
  return attribute === undefined ? undefined : tagByName(attribute.tag);
}

function enumOf(tag: number, attributeName: string | undefined): EnumDef | undefined {
  const t = effectiveTag(tag, attributeName);
  return t === undefined ? undefined : enumForTag(t);
}

function maskOf(tag: number, attributeName: string | undefined): MaskDef | undefined {
  const t = effectiveTag(tag, attributeName);
  return t === undefined ? undefined : maskForTag(t);
}

function inVersion(entry: EnumValueDef | undefined, version: KmipVersion | undefined): EnumValueDef | undefined {
  return entry !== undefined && (version === undefined || definedIn(version, entry.since, entry.until)) ? entry : undefined;
}

/** The bits of a mask as `version` defines them (all bits, newest names, when no version is given). */
function maskBitsFor(mask: MaskDef, version: KmipVersion | undefined): readonly NamedValue[] {
  const seen = new Set<number>();
  const out: NamedValue[] = [];
  for (const bit of mask.bits) {
    if (seen.has(bit.value)) continue;
    const def = enumValueDef(mask, bit.value, version);
    if (def === undefined) continue;
    seen.add(bit.value);
    out.push({ name: def.name, value: def.value });
  }
  return out;
}

function buildVocabulary(version: KmipVersion | undefined): Vocabulary {
  // Bit lists are handed out repeatedly by the encoders: build each once per vocabulary.
  const bitsCache = new Map<MaskDef, readonly NamedValue[]>();
  return {
    tagName: (tag) => tagName(tag, version),
    tagByName: (name) => {
      const def = tagDefByName(name);
      if (def === undefined) return undefined;
      return version === undefined || definedIn(version, def.since, def.until) ? def.tag : undefined;
    },
    enumName: (tag, value, attributeName) => {
      const def = enumOf(tag, attributeName);
      return def === undefined ? undefined : enumValueDef(def, value, version)?.name;
    },
    enumValue: (tag, name, attributeName) => {
      const def = enumOf(tag, attributeName);
      return def === undefined ? undefined : inVersion(enumValueDefByName(def, name), version)?.value;
    },
    maskBits: (tag, attributeName) => {
      const mask = maskOf(tag, attributeName);
      if (mask === undefined) return undefined;
      let bits = bitsCache.get(mask);
      if (bits === undefined) {
        bits = maskBitsFor(mask, version);
        bitsCache.set(mask, bits);
      }
      return bits;
    },
  };
}

const ANY_VERSION = buildVocabulary(undefined);
const BY_VERSION = new Map<KmipVersion, Vocabulary>(KMIP_VERSIONS.map((v) => [v, buildVocabulary(v)]));

/**
 * The vocabulary of one protocol version (names that version does not define are unknown), or, without a
 * version, of all versions at once (newest names out, any version's names in).
 */
export function kmipVocabulary(version?: KmipVersion): Vocabulary {
  return version === undefined ? ANY_VERSION : (BY_VERSION.get(version) ?? ANY_VERSION);
}
