// Locate's matching rules (1.4 §4.9; 2.1 §6.1.28) as store filters: every attribute is a filter, the filters are
// ANDed; two instances of a date attribute are an inclusive range; a Cryptographic Usage Mask matches any superset; a
// structure matches on the fields given; Usage Limits asks for at least the Count and Total given.
import { KmipError } from '../kmip/kmip-error.js';
import { Tag } from '../kmip/tag.js';
import type { KmipVersion } from '../kmip/versions.js';
import { attributeRule, type AttributeRule } from '../model/attribute-policy.js';
import type { ManagedObject } from '../model/managed-object.js';
import type { AttributeFilter } from '../store/locate-query.js';
import { ItemType } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import type { AttributeInput } from './attribute-io.js';

/** "If a Date attribute is set to its largest possible value, then it is equivalent to an undefined attribute." */
const LARGEST_DATE = 0x7fff_ffff_ffff_ffffn;

/** Attributes whose filters are not equality (1.4 §4.9): the rest match by value, structures on the fields given. */
const SPECIAL_MATCH = {
  CryptographicUsageMask: 'maskSuperset',
  UsageLimits: 'atLeast',
} as const satisfies Readonly<Record<string, string>>;

export interface LocateFilters {
  /** For the store, ANDed. */
  readonly filters: AttributeFilter[];
  /** Usage Limits filters: the store finds objects that have Usage Limits, these are checked on each of them. */
  readonly usageLimits: TtlvItem[];
}

/** The filters of a Locate request's attributes. Attribute Index values are ignored (1.4 §4.9). */
export function locateFilters(inputs: readonly AttributeInput[], version: KmipVersion): LocateFilters {
  const byName = new Map<string, TtlvItem[]>();
  for (const input of inputs) byName.set(input.name, [...(byName.get(input.name) ?? []), input.value]);
  const filters: AttributeFilter[] = [];
  const usageLimits: TtlvItem[] = [];
  for (const [name, values] of byName) {
    const rule = filterRule(name, version);
    for (const v of values) checkType(name, v, rule);
    const special = SPECIAL_MATCH[name as keyof typeof SPECIAL_MATCH];
    if (special === 'maskSuperset') {
      for (const v of values) filters.push({ kind: 'maskSuperset', name, mask: v.value as number });
    } else if (special === 'atLeast') {
      // the store narrows to objects with Usage Limits (an empty structure matches any); the amounts are compared after
      filters.push({ kind: 'equals', name, value: ttlv.structure(Tag.UsageLimits, []) });
      usageLimits.push(...values);
    } else if (rule.type === ItemType.DateTime && !isCustom(name)) {
      filters.push(...dateFilters(name, values as Extract<TtlvItem, { type: typeof ItemType.DateTime }>[]));
    } else {
      for (const value of values) filters.push({ kind: 'equals', name, value });
    }
  }
  return { filters, usageLimits };
}

function isCustom(name: string): boolean {
  return name.startsWith('x-') || name.startsWith('y-');
}

function filterRule(name: string, version: KmipVersion): AttributeRule {
  const rule = attributeRule(name, version);
  if (rule === undefined) throw new KmipError('InvalidAttribute', `${name} is not an attribute of KMIP ${version}`);
  return rule;
}

function checkType(name: string, value: TtlvItem, rule: AttributeRule): void {
  if (rule.anyValueType === true || isCustom(name)) return;
  if (value.type !== rule.type) throw new KmipError('InvalidField', `Locate filter ${name} has item type ${value.type}, expected ${rule.type}`);
}

/** One date: that date (none at all when it is the largest date); two: the range between them, limits included. */
function dateFilters(name: string, values: readonly { readonly value: bigint }[]): AttributeFilter[] {
  if (values.length === 1) {
    const only = values[0]!.value;
    return only === LARGEST_DATE ? [] : [{ kind: 'equals', name, value: ttlv.dateTime(Tag[name as keyof typeof Tag], only) }];
  }
  if (values.length === 2) {
    const [a, b] = [values[0]!.value, values[1]!.value];
    return [{ kind: 'range', name, from: a < b ? a : b, to: a < b ? b : a }];
  }
  throw new KmipError('InvalidField', `Locate takes one date or two (a range) for ${name}, not ${values.length}`);
}

/** Usage Limits (1.4 §4.9): the object's Count and Total at least those given, its Unit the one given. */
export function usageLimitsMatch(object: ManagedObject, wanted: readonly TtlvItem[]): boolean {
  const have = object.attributes.find((a) => a.name === 'UsageLimits')?.value;
  if (have === undefined || have.type !== ItemType.Structure) return false;
  return wanted.every((w) => (w.type === ItemType.Structure ? w.value : []).every((field) => {
    const mine = have.value.find((c) => c.tag === field.tag);
    if (mine === undefined || mine.type !== field.type) return false;
    if (field.tag === Tag.UsageLimitsCount || field.tag === Tag.UsageLimitsTotal) return (mine.value as bigint) >= (field.value as bigint);
    return mine.value === field.value;
  }));
}
