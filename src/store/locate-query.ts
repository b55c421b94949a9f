// What Locate asks of the store, after operations/locate has read the request in its version (1.4 §4.9; 2.1 §6.1.27).
import type { TtlvItem } from '../ttlv/ttlv-item.js';

export type AttributeFilter =
  /** The object has an instance of `name` equal to `value`; for a structure, equal on the fields given. */
  | { readonly kind: 'equals'; readonly name: string; readonly value: TtlvItem }
  /** Two instances of a date attribute: the object's value lies in [from, to], inclusive (seconds). */
  | { readonly kind: 'range'; readonly name: string; readonly from: bigint; readonly to: bigint }
  /** Cryptographic Usage Mask: the object's mask has every bit of `mask` (a superset). */
  | { readonly kind: 'maskSuperset'; readonly name: string; readonly mask: number };

export interface LocateQuery {
  /** Only objects of this owner; undefined for an administrator, who sees every object. */
  readonly owner: string | undefined;
  /** ANDed. */
  readonly filters: readonly AttributeFilter[];
  /** Which storage classes to include (Storage Status Mask; destroyed only when a 2.x mask asks). */
  readonly include: { readonly online: boolean; readonly archived: boolean; readonly destroyed: boolean };
  readonly offsetItems?: number;
  readonly maxItems?: number;
}
