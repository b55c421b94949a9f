// Shapes of the KMIP dictionary tables (tags, enumerations, masks, attribute names); the data lives in
// tags.ts, enumerations.ts, masks.ts and attribute-names.ts, the lookups in dictionary.ts.
import type { KmipVersion } from './versions.js';

/** One tag of the spec (1.4 §9.1.3.1 Table 289, 2.1 §9.1.3.1 ...). `name` is normalised CamelCase (Addtl Msg Enc §6.1.3). */
export interface TagDef {
  readonly name: string;
  readonly tag: number;
  /** First version that defines the tag. */
  readonly since: KmipVersion;
  /** First version that no longer defines it (removed or reserved); absent while it is still defined. */
  readonly until?: KmipVersion;
}

/** One value of an enumeration; `name` is normalised CamelCase as the XML encoding writes it (e.g. DES3, SHA_256). */
export interface EnumValueDef {
  readonly name: string;
  readonly value: number;
  readonly since: KmipVersion;
  readonly until?: KmipVersion;
}

/** An enumeration, and the tags (normalised names) whose Enumeration items take their values from it. */
export interface EnumDef {
  readonly name: string;
  /** Spec section(s) it comes from, e.g. "1.4 §9.1.3.2.3; 2.1 §11.3". */
  readonly section: string;
  readonly tags: readonly string[];
  readonly values: readonly EnumValueDef[];
}

/** A bit mask carried in an Integer (Cryptographic Usage Mask, Storage Status Mask, ...). */
export interface MaskDef {
  readonly name: string;
  readonly section: string;
  readonly tags: readonly string[];
  readonly bits: readonly EnumValueDef[];
}

/** A 1.x attribute name ("Cryptographic Algorithm") and the tag (normalised name) that carries it in 2.x. */
export interface AttributeNameDef {
  readonly name: string;
  readonly tag: string;
  readonly since: KmipVersion;
  readonly until?: KmipVersion;
}
