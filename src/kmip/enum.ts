// `Enum.Operation.Get` style constants, derived from the enumeration and mask tables so no value is written twice.
import { ENUMERATIONS } from './enumerations.js';
import { MASKS } from './masks.js';

type EnumEntry = (typeof ENUMERATIONS)[number];
type MaskEntry = (typeof MASKS)[number];
type ValuesOf<E extends { readonly values: readonly { readonly name: string }[] }> = {
  readonly [K in E['values'][number]['name']]: number;
};
type BitsOf<M extends { readonly bits: readonly { readonly name: string }[] }> = {
  readonly [K in M['bits'][number]['name']]: number;
};

/** Enumeration name → value name → value (every version's names; see the table for the version ranges). */
export const Enum = Object.freeze(
  Object.fromEntries(
    ENUMERATIONS.map((e) => [e.name, Object.freeze(Object.fromEntries(e.values.map((v) => [v.name, v.value])))]),
  ),
) as { readonly [E in EnumEntry as E['name']]: ValuesOf<E> };

/** Mask name → bit name → bit. */
export const Mask = Object.freeze(
  Object.fromEntries(MASKS.map((m) => [m.name, Object.freeze(Object.fromEntries(m.bits.map((b) => [b.name, b.value])))])),
) as { readonly [M in MaskEntry as M['name']]: BitsOf<M> };
