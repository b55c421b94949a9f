// kmipd's version-neutral attribute: the 2.x attribute tag name and its value item; 1.x names and 2.x custom
// Attribute structures are mapped to and from this form at the message boundary (1.4 §2.1.1, §3; 2.1 §2.1.1, §4).
import type { TtlvItem } from '../ttlv/ttlv-item.js';

export interface AttributeInstance {
  /**
   * The attribute's name: the normalised tag name of its 2.x tag ("CryptographicAlgorithm", "Name",
   * "ActivationDate"), or for custom attributes the 1.x text name ("x-Product", "y-Owner"); a 2.x custom
   * Attribute with Vendor Identification "x" and Attribute Name "Product" is "x-Product" (2.1 §4.60).
   */
  readonly name: string;
  /** 1.x Attribute Index: 0 for the first instance of a name, unique per name within an object. */
  readonly index: number;
  /**
   * The value as a TTLV item carrying the attribute's own tag (e.g. tag CryptographicAlgorithm, Enumeration
   * 3; tag Name, a Structure of NameValue and NameType). Custom attributes carry tag AttributeValue.
   */
  readonly value: TtlvItem;
}

/** True for names clients (x-) or the server (y-) define (1.4 §3.39 Custom Attribute). */
export function isCustomAttributeName(name: string): boolean {
  return name.startsWith('x-') || name.startsWith('y-');
}
