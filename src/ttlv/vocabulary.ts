// What the text encodings (XML, JSON, tree) need to know of names; ttlv/ stays free of KMIP by taking
// this interface, and kmip/ supplies the implementation (Addtl Msg Enc §4.1.6, §6.1.6).

/** One named bit of a mask, or one named value of an enumeration. */
export interface NamedValue {
  readonly name: string;
  readonly value: number;
}

export interface Vocabulary {
  /** Normalised CamelCase name of a tag ("CryptographicAlgorithm"), undefined when unknown. */
  tagName(tag: number): string | undefined;
  /** Tag for a normalised name; undefined when unknown. */
  tagByName(name: string): number | undefined;
  /**
   * Name of an Enumeration item's value. `attributeName` is the text of the sibling AttributeName when the
   * item is a 1.x Attribute's AttributeValue (tag 0x42000B): the enumeration then follows that attribute.
   */
  enumName(tag: number, value: number, attributeName?: string): string | undefined;
  /** Value of an Enumeration item given by name; same `attributeName` rule. */
  enumValue(tag: number, name: string, attributeName?: string): number | undefined;
  /** The named bits when an Integer item with this tag (or AttributeValue of that attribute) is a mask. */
  maskBits(tag: number, attributeName?: string): readonly NamedValue[] | undefined;
}
