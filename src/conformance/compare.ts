// The judge: one server response against the test case's expected response, under the permitted variations
// (KMIP Profiles §4.7.1, tables in variations.ts). Structures keep the spec's field order except the lists that
// are sets; placeholders bind or must repeat their binding. Returns the first difference, by expected order.
import { Enum } from '../kmip/enum.js';
import { Tag } from '../kmip/tag.js';
import { ITEM_TYPE_NAMES, ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { attributeTagName, child, children, enumOf, type FileFacts, type ObjectOrigin, operationName, textOf } from './facts.js';
import { childSegment, formatPath, type PathSegment, tagLabel, typedValueText, valueText } from './paths.js';
import { type Bindings, nowOffset } from './placeholders.js';
import type { Template } from './test-case.js';
import {
  ASYMMETRIC_OBJECT_TYPES,
  CRYPTO_OUTPUT_BY_OPERATION,
  CRYPTO_OUTPUT_TAGS,
  DIGEST_VARIABLE_CHILDREN,
  FIXED_LENGTH_KEY_FORMATS,
  LIST_RULES,
  LOOSELY_SPACED_TAGS,
  type LeafRule,
  type ListRule,
  OPTIONAL_CHILDREN,
  type OptionalChild,
  SERVER_CHOSEN_TAGS,
  SERVER_DESCRIBED_STRUCTURES,
  SERVER_SET_DATE_TAGS,
  TEST_IDENTIFIER,
} from './variations.js';

export interface Difference {
  /** Field path below the message, e.g. BatchItem[1].ResponsePayload.UniqueIdentifier. */
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

export interface Judgement {
  readonly difference?: Difference;
  /** Permitted variations that were used, one line each (for --verbose). */
  readonly notes: readonly string[];
}

export interface JudgeInput {
  readonly expected: Template;
  readonly actual: TtlvItem;
  /** The request as sent, placeholders filled: tells what the client fixed or asked for. */
  readonly request: TtlvItem;
  /** Bound so far; the response's new bindings are added only when it passes. */
  readonly bindings: Bindings;
  readonly facts: FileFacts;
  /** Query's Operation / Object Type lists must hold every item of the test case, not only those the file uses. */
  readonly strictQueryLists?: boolean;
}

const LOOSE_SPACING: ReadonlySet<string> = new Set(LOOSELY_SPACED_TAGS);
const CHOSEN: ReadonlySet<string> = new Set(SERVER_CHOSEN_TAGS);
const DATES: ReadonlySet<string> = new Set(SERVER_SET_DATE_TAGS);
const DIGEST_CHILDREN: ReadonlySet<string> = new Set(DIGEST_VARIABLE_CHILDREN);
const DESCRIBED: ReadonlySet<string> = new Set(SERVER_DESCRIBED_STRUCTURES);
const CRYPTO_OUTPUT: ReadonlySet<string> = new Set(CRYPTO_OUTPUT_TAGS);
const CRYPTO_KIND: Readonly<Record<string, 'fixed' | 'random' | 'keyed'>> = CRYPTO_OUTPUT_BY_OPERATION;
const ASYMMETRIC: ReadonlySet<number> = new Set(ASYMMETRIC_OBJECT_TYPES.map((n) => Enum.ObjectType[n]));
const FIXED_LENGTH_FORMATS: ReadonlySet<number> = new Set(FIXED_LENGTH_KEY_FORMATS.map((n) => Enum.KeyFormatType[n]));
/** Structures whose text values are attribute values (test identifiers may carry vendor prefixes). */
const ATTRIBUTE_CONTAINERS: ReadonlySet<number> = new Set([Tag.Attribute, Tag.Attributes, Tag.TemplateAttribute]);

/** Bindings and notes of one attempt; a failed attempt is dropped with everything it bound. */
interface Trial {
  readonly bindings: Bindings;
  readonly notes: string[];
}

function fork(t: Trial): Trial {
  return { bindings: t.bindings.fork(), notes: [] };
}

function commit(t: Trial, into: Trial): void {
  t.bindings.commit();
  into.notes.push(...t.notes);
}

interface KeyBlockScope {
  readonly formatRule: LeafRule;
  /** The server chose another Key Format Type than the example's: the material's shape follows its choice. */
  readonly formatDiffers: boolean;
  readonly materialRule: LeafRule;
  readonly fixedLength: boolean;
}

/** Where an item sits: what the rules need to know about its surroundings. */
interface Scope {
  readonly path: readonly PathSegment[];
  /** Tag name of the enclosing structure. */
  readonly parent: string;
  /** The batch item's operation name and its request batch item. */
  readonly operation?: string;
  readonly requestItem?: TtlvItem;
  /** The server's Unique Identifier in this batch item's payload. */
  readonly payloadUid?: string;
  /** Server generated an IV/counter/nonce for this batch item. */
  readonly serverIv: boolean;
  /** 1.x Attribute Value: tag name of the attribute its Attribute Name names. */
  readonly attributeTag?: string;
  /** …and the Attribute Name itself, which resolves the value's enumeration names. */
  readonly attributeName?: string;
  readonly inAttribute: boolean;
  readonly inDigest: boolean;
  readonly keyBlock?: KeyBlockScope;
  /** Server-generated structured key material: tags and types only. */
  readonly shapeOnly: boolean;
  /** A rule set by the enclosing structure for this very item (optional fields with a variable value). */
  readonly rule?: LeafRule;
  /** Protocol version as major * 100 + minor. */
  readonly version: number;
}

interface Located {
  readonly diff: Difference;
  /** Position in the expected structure, to report the earliest difference first. */
  readonly at: number;
}

/** Judges one response. New bindings are committed to `input.bindings` only when there is no difference. */
export function judgeResponse(input: JudgeInput): Judgement {
  const judge = new Judge(input);
  const trial: Trial = { bindings: input.bindings.fork(), notes: [] };
  const diff = judge.compare(input.expected.root, input.actual, judge.rootScope(), trial);
  if (diff === undefined) trial.bindings.commit();
  return diff === undefined ? { notes: trial.notes } : { difference: diff, notes: trial.notes };
}

class Judge {
  private readonly placeholders: ReadonlyMap<TtlvItem, string>;
  private readonly requestItems: TtlvItem[];
  private readonly expectedItems = new Set<TtlvItem>();

  constructor(private readonly input: JudgeInput) {
    this.placeholders = input.expected.placeholders;
    this.requestItems = children(input.request, Tag.BatchItem);
    const walk = (i: TtlvItem): void => {
      this.expectedItems.add(i);
      if (i.type === ItemType.Structure) i.value.forEach(walk);
    };
    walk(input.expected.root);
  }

  rootScope(): Scope {
    const version = child(child(this.input.expected.root, Tag.ResponseHeader), Tag.ProtocolVersion);
    const major = child(version, Tag.ProtocolVersionMajor);
    const minor = child(version, Tag.ProtocolVersionMinor);
    const v = (major?.type === ItemType.Integer ? major.value : 1) * 100 + (minor?.type === ItemType.Integer ? minor.value : 0);
    return { path: [], parent: '', serverIv: false, inAttribute: false, inDigest: false, shapeOnly: false, version: v };
  }

  compare(e: TtlvItem, a: TtlvItem, scope: Scope, trial: Trial): Difference | undefined {
    const path = formatPath(scope.path);
    if (e.tag !== a.tag) return { path, expected: tagLabel(e.tag), got: tagLabel(a.tag) };
    if (scope.rule === 'any') {
      this.noteIfDifferent(e, a, scope, trial, 'any value');
      return undefined;
    }
    if (e.type === ItemType.Structure) {
      if (a.type !== ItemType.Structure) return { path, expected: 'a Structure', got: typedValueText(a) };
      if (scope.rule === 'type') {
        if (!sameValue(e, a)) trial.notes.push(`${path}: server-chosen value (any content)`);
        return undefined;
      }
      return this.compareStructure(e, a, scope, trial);
    }
    return this.compareLeaf(e, a, scope, trial);
  }

  // ---- leaves ------------------------------------------------------------------------------------------

  private compareLeaf(e: TtlvItem, a: TtlvItem, scope: Scope, trial: Trial): Difference | undefined {
    const path = formatPath(scope.path);
    const placeholder = this.placeholders.get(e);
    if (placeholder !== undefined) {
      if (a.type !== e.type) return { path, expected: `${typeName(e)} ${placeholder}`, got: typedValueText(a) };
      // $NOW±n in a response: the server's clock, any valid time.
      if (nowOffset(placeholder) !== undefined) return undefined;
      const bound = trial.bindings.get(placeholder);
      if (bound === undefined) {
        trial.bindings.bind(placeholder, copyLeaf(a));
        return undefined;
      }
      if (sameValue(bound, a)) return undefined;
      return { path, expected: `${placeholder} (bound to ${valueText(bound)})`, got: valueText(a) };
    }
    const rule = scope.rule ?? this.leafRule(e, scope);
    if (rule === 'any') {
      this.noteIfDifferent(e, a, scope, trial, 'any value');
      return undefined;
    }
    if (a.type !== e.type) return { path, expected: typedValueText(e, attrName(scope)), got: typedValueText(a, attrName(scope)) };
    switch (rule) {
      case 'exact':
        if (sameValue(e, a)) return undefined;
        return { path, expected: valueText(e, attrName(scope)), got: valueText(a, attrName(scope)) };
      case 'type':
        this.noteIfDifferent(e, a, scope, trial, 'server-chosen value');
        return undefined;
      case 'length':
        if (lengthOf(e) !== lengthOf(a)) {
          return { path, expected: `${lengthOf(e)} bytes (server-chosen value)`, got: `${lengthOf(a)} bytes ${valueText(a)}` };
        }
        this.noteIfDifferent(e, a, scope, trial, 'server-chosen value of the same length');
        return undefined;
      case 'words':
        if (e.type === ItemType.TextString && a.type === ItemType.TextString && a.value === collapse(e.value)) return undefined;
        return { path, expected: JSON.stringify(e.type === ItemType.TextString ? collapse(e.value) : valueText(e)), got: valueText(a) };
      case 'suffix':
        if (e.type === ItemType.TextString && a.type === ItemType.TextString && a.value.endsWith(e.value)) {
          this.noteIfDifferent(e, a, scope, trial, 'test identifier with a prefix');
          return undefined;
        }
        return { path, expected: `${valueText(e)} (or a prefixed form)`, got: valueText(a) };
    }
  }

  /** The rule for a literal leaf of the expected response. */
  private leafRule(e: TtlvItem, scope: Scope): LeafRule {
    const name = tagLabel(e.tag);
    const effective = e.tag === Tag.AttributeValue ? (scope.attributeTag ?? name) : name;
    if (scope.shapeOnly) return e.type === ItemType.ByteString && scope.keyBlock?.fixedLength === true ? 'length' : 'type';
    if (scope.inDigest && DIGEST_CHILDREN.has(name)) return 'type';
    if (CHOSEN.has(effective)) return 'type';
    if (DATES.has(effective) && e.type === ItemType.DateTime) {
      return this.input.facts.fixedDates.has(`${effective}:${e.value}`) ? 'exact' : 'type';
    }
    if (scope.keyBlock !== undefined) {
      if (name === 'KeyFormatType') return scope.keyBlock.formatRule;
      if (name === 'KeyMaterial' || (name === 'KeyValue' && e.type === ItemType.ByteString)) return scope.keyBlock.materialRule;
    }
    if (scope.parent === 'ResponsePayload' && CRYPTO_OUTPUT.has(name)) return this.cryptoRule(scope);
    if (scope.inAttribute && e.type === ItemType.TextString && TEST_IDENTIFIER.test(e.value)) return 'suffix';
    if (LOOSE_SPACING.has(name) && e.type === ItemType.TextString && / {2,}/.test(e.value)) return 'words';
    return 'exact';
  }

  /** 4.7.1: crypto output varies when the key is the server's or the operation itself varies. */
  private cryptoRule(scope: Scope): LeafRule {
    const kind = CRYPTO_KIND[scope.operation ?? ''];
    if (kind === undefined || kind === 'fixed') return 'exact';
    if (kind === 'random') return 'length';
    const origin = this.origin(scope);
    if (origin === undefined || origin.origin === 'server') return scope.operation === 'Sign' ? 'type' : 'length';
    if (scope.serverIv) return 'length';
    if (origin.objectType !== undefined && ASYMMETRIC.has(origin.objectType)) return scope.operation === 'Sign' ? 'type' : 'length';
    return 'exact';
  }

  private origin(scope: Scope): ObjectOrigin | undefined {
    const uid = scope.payloadUid ?? textOf(child(child(scope.requestItem, Tag.RequestPayload), Tag.UniqueIdentifier));
    return uid === undefined ? undefined : this.input.facts.objects.get(uid);
  }

  private noteIfDifferent(e: TtlvItem, a: TtlvItem, scope: Scope, trial: Trial, why: string): void {
    // Every response's time stamp differs from the file's: not worth a line.
    if (e.tag === Tag.TimeStamp) return;
    if (e.type !== ItemType.Structure && a.type === e.type && sameValue(e, a)) return;
    trial.notes.push(`${formatPath(scope.path)}: ${why}: file ${valueText(e, attrName(scope))}, server ${valueText(a, attrName(scope))}`);
  }

  // ---- structures --------------------------------------------------------------------------------------

  private compareStructure(
    e: Extract<TtlvItem, { type: 0x01 }>,
    a: Extract<TtlvItem, { type: 0x01 }>,
    scope: Scope,
    trial: Trial,
  ): Difference | undefined {
    const name = tagLabel(e.tag);
    const lists = LIST_RULES.filter((r) => r.parent === name && (r.operation === undefined || r.operation === scope.operation));
    const listOf = (item: TtlvItem): ListRule | undefined =>
      lists.find((r) => r.child === '*' || r.child === tagLabel(item.tag));
    const found: Located[] = [];

    // Ordered fields: everything that is not a set-compared list.
    const eOrdered = e.value.map((_, i) => i).filter((i) => listOf(e.value[i] as TtlvItem) === undefined);
    const aOrdered = a.value.map((_, i) => i).filter((i) => listOf(a.value[i] as TtlvItem) === undefined);
    const ordered = this.alignOrdered(e, a, eOrdered, aOrdered, scope, trial);
    if (ordered !== undefined) found.push(ordered);

    // Set-compared lists, one per child tag.
    const groups = new Map<number, ListRule>();
    for (const item of [...e.value, ...a.value]) {
      const rule = listOf(item);
      if (rule !== undefined && !groups.has(item.tag)) groups.set(item.tag, rule);
    }
    for (const [tag, rule] of groups) {
      const d = this.matchList(e, a, tag, rule, scope, trial);
      if (d !== undefined) found.push(d);
    }
    if (found.length === 0) return undefined;
    found.sort((x, y) => x.at - y.at);
    return found[0]?.diff;
  }

  private optionalRule(item: TtlvItem, parent: string, scope: Scope): OptionalChild | undefined {
    const name = tagLabel(item.tag);
    return OPTIONAL_CHILDREN.find((o) => {
      if (o.parent !== parent || o.child !== name) return false;
      if (o.operation !== undefined && o.operation !== scope.operation) return false;
      if (o.when === 'zero-index-1.1') return scope.version >= 101 && item.type === ItemType.Integer && item.value === 0;
      if (o.when === 'non-critical') {
        const critical = child(item, Tag.CriticalityIndicator);
        return critical?.type === ItemType.Boolean && !critical.value;
      }
      return true;
    });
  }

  /** Fields in the spec's order; optional fields may be missing or extra on the server's side. */
  private alignOrdered(
    e: Extract<TtlvItem, { type: 0x01 }>,
    a: Extract<TtlvItem, { type: 0x01 }>,
    eIdx: readonly number[],
    aIdx: readonly number[],
    scope: Scope,
    trial: Trial,
  ): Located | undefined {
    const parent = tagLabel(e.tag);
    let i = 0;
    let j = 0;
    while (i < eIdx.length || j < aIdx.length) {
      const ei = eIdx[i];
      const aj = aIdx[j];
      const ex = ei === undefined ? undefined : (e.value[ei] as TtlvItem);
      const ac = aj === undefined ? undefined : (a.value[aj] as TtlvItem);
      if (ex !== undefined && ac !== undefined && ex.tag === ac.tag && ei !== undefined) {
        const childScope = this.childScope(e, a, ei, aj as number, scope);
        const optional = this.optionalRule(ex, parent, scope);
        const ruled = optional !== undefined && optional.value !== 'compare' ? { ...childScope, rule: optional.value } : childScope;
        const d = this.compare(ex, ac, ruled, trial);
        if (d !== undefined) return { diff: this.explain(d, ex, a), at: ei };
        i++;
        j++;
        continue;
      }
      if (ac !== undefined && this.optionalRule(ac, parent, scope) !== undefined) {
        trial.notes.push(`${formatPath([...scope.path, childSegment(a.value, aj as number)])}: server adds it (permitted)`);
        j++;
        continue;
      }
      if (ex !== undefined && this.optionalRule(ex, parent, scope) !== undefined) {
        trial.notes.push(`${formatPath([...scope.path, childSegment(e.value, ei as number)])}: server leaves it out (permitted)`);
        i++;
        continue;
      }
      // Tags differ and neither is optional: say which side has the item the other lacks.
      const extraActual =
        ex !== undefined && ac !== undefined && !eIdx.slice(i).some((k) => e.value[k]?.tag === ac.tag) && aIdx.slice(j).some((k) => a.value[k]?.tag === ex.tag);
      if (ex !== undefined && !extraActual) {
        const path = formatPath([...scope.path, childSegment(e.value, ei as number)]);
        const expected = ex.type === ItemType.Structure ? `<${tagLabel(ex.tag)}>` : `${tagLabel(ex.tag)} ${this.expectedText(ex, trial)}`;
        // The server's item is one the file has further on: the file's item here is missing.
        // (When each side has the other's item further on, the order differs: show what stands here.)
        const missing =
          ac === undefined || (eIdx.slice(i).some((k) => e.value[k]?.tag === ac.tag) && !aIdx.slice(j).some((k) => a.value[k]?.tag === ex.tag));
        const got = missing ? 'nothing' : ac.type === ItemType.Structure ? `<${tagLabel(ac.tag)}>` : `${tagLabel(ac.tag)} ${valueText(ac)}`;
        return { diff: { path, expected, got }, at: ei as number };
      }
      const path = formatPath([...scope.path, childSegment(a.value, aj as number)]);
      return { diff: { path, expected: 'nothing', got: valueText(ac as TtlvItem) }, at: ei ?? e.value.length };
    }
    return undefined;
  }

  /** A failed Result Status says why: the server's Result Reason and Message go with it. */
  private explain(d: Difference, ex: TtlvItem, actualParent: TtlvItem): Difference {
    if (ex.tag !== Tag.ResultStatus) return d;
    const reason = child(actualParent, Tag.ResultReason);
    const message = textOf(child(actualParent, Tag.ResultMessage));
    const why = [reason === undefined ? undefined : valueText(reason), message === undefined ? undefined : JSON.stringify(message)]
      .filter((x) => x !== undefined)
      .join(' ');
    return why === '' ? d : { ...d, got: `${d.got} (${why})` };
  }

  private expectedText(e: TtlvItem, trial: Trial): string {
    const p = this.placeholders.get(e);
    if (p === undefined && e.type === ItemType.TextString && LOOSE_SPACING.has(tagLabel(e.tag))) return JSON.stringify(collapse(e.value));
    if (p === undefined) return valueText(e);
    const bound = trial.bindings.get(p);
    return bound === undefined ? p : `${p} (bound to ${valueText(bound)})`;
  }

  /** Lists compared as sets (keyed on the value or the attribute), or as an ordered subsequence. */
  private matchList(
    e: Extract<TtlvItem, { type: 0x01 }>,
    a: Extract<TtlvItem, { type: 0x01 }>,
    tag: number,
    rule: ListRule,
    scope: Scope,
    trial: Trial,
  ): Located | undefined {
    const eIdx = e.value.map((_, i) => i).filter((i) => e.value[i]?.tag === tag);
    const aIdx = a.value.map((_, i) => i).filter((i) => a.value[i]?.tag === tag);
    const segment = (items: readonly TtlvItem[], i: number): PathSegment => {
      const item = items[i] as TtlvItem;
      if (rule.key === 'attribute' && item.tag === Tag.Attribute) {
        const n = textOf(child(item, Tag.AttributeName));
        if (n !== undefined) return { tag: item.tag, key: collapse(n) };
      }
      return childSegment(items, i);
    };

    if (rule.order === 'subsequence-when-request-lists-none') {
      const requestPayload = child(scope.requestItem, Tag.RequestPayload);
      const subsequence = children(requestPayload, tag).length === 0;
      let j = 0;
      for (const ei of eIdx) {
        const ex = e.value[ei] as TtlvItem;
        let matched = false;
        let firstDiff: Difference | undefined;
        while (j < aIdx.length) {
          const aj = aIdx[j] as number;
          j++;
          const t = fork(trial);
          const d = this.compare(ex, a.value[aj] as TtlvItem, this.childScope(e, a, ei, aj, scope), t);
          if (d === undefined) {
            commit(t, trial);
            matched = true;
            break;
          }
          firstDiff ??= d;
          if (!subsequence) break;
        }
        if (!matched) {
          const diff = firstDiff ?? { path: formatPath([...scope.path, segment(e.value, ei)]), expected: valueText(ex), got: 'nothing' };
          return { diff, at: ei };
        }
      }
      if (j < aIdx.length) {
        if (subsequence) {
          trial.notes.push(`${formatPath([...scope.path, { tag }])}: server lists ${aIdx.length - j} more (permitted)`);
        } else {
          const aj = aIdx[j] as number;
          return { diff: { path: formatPath([...scope.path, segment(a.value, aj)]), expected: 'nothing', got: valueText(a.value[aj] as TtlvItem) }, at: e.value.length };
        }
      }
      return undefined;
    }

    const used = new Set<number>();
    // Items with an identity first, so that a not-yet-bound placeholder cannot take the item a known one needs.
    const rank = (i: number): number => (this.keyOf(e.value[i] as TtlvItem, rule, trial) === undefined ? 1 : 0);
    const order = [...eIdx].sort((x, y) => rank(x) - rank(y));
    for (const ei of order) {
      const ex = e.value[ei] as TtlvItem;
      const key = this.keyOf(ex, rule, trial);
      let firstDiff: Difference | undefined;
      let matched = false;
      for (const aj of aIdx) {
        if (used.has(aj)) continue;
        const ac = a.value[aj] as TtlvItem;
        if (key !== undefined && this.keyOf(ac, rule, trial) !== key) continue;
        const t = fork(trial);
        const s = { ...this.childScope(e, a, ei, aj, scope), path: [...scope.path, segment(e.value, ei)] };
        const d = this.compare(ex, ac, s, t);
        if (d === undefined) {
          commit(t, trial);
          used.add(aj);
          matched = true;
          break;
        }
        firstDiff ??= d;
      }
      if (matched) continue;
      // A value-keyed list has no "nearest" item: a near miss of another value is not the reason.
      if (firstDiff !== undefined && rule.key === 'attribute') return { diff: firstDiff, at: ei };
      if (rule.missing === 'unless-required' && this.input.strictQueryLists !== true && !this.required(ex)) {
        trial.notes.push(`${formatPath([...scope.path, segment(e.value, ei)])}: server does not list ${valueText(ex)} (not required)`);
        continue;
      }
      const path = formatPath([...scope.path, segment(e.value, ei)]);
      return { diff: { path, expected: ex.type === ItemType.Structure ? `<${tagLabel(ex.tag)}>` : this.expectedText(ex, trial), got: 'nothing' }, at: ei };
    }
    const extra = aIdx.filter((aj) => !used.has(aj));
    if (extra.length > 0) {
      if (!rule.extras) {
        const aj = extra[0] as number;
        return { diff: { path: formatPath([...scope.path, segment(a.value, aj)]), expected: 'nothing', got: valueText(a.value[aj] as TtlvItem) }, at: e.value.length };
      }
      const what = extra.map((aj) => segment(a.value, aj).key ?? valueText(a.value[aj] as TtlvItem));
      trial.notes.push(`${formatPath([...scope.path, { tag }])}: server adds ${extra.length} (${rule.why}): ${[...new Set(what)].slice(0, 8).join(', ')}`);
    }
    return undefined;
  }

  /** Identity of a list item: undefined matches any (a placeholder not yet bound). */
  private keyOf(item: TtlvItem, rule: ListRule, trial: Trial): string | undefined {
    if (rule.key === 'attribute') {
      if (item.tag !== Tag.Attribute) return tagLabel(item.tag);
      const n = textOf(child(item, Tag.AttributeName));
      return n === undefined ? undefined : collapse(n);
    }
    if (item.type === ItemType.Structure) return undefined;
    // A literal server-chosen value (4.7.1) is an example, not an identity.
    if (this.placeholders.has(item) === false && CHOSEN.has(tagLabel(item.tag)) && this.isExpected(item)) return undefined;
    const p = this.placeholders.get(item);
    if (p !== undefined) {
      const bound = trial.bindings.get(p);
      return bound === undefined || nowOffset(p) !== undefined ? undefined : `${bound.type}:${valueText(bound)}`;
    }
    if (item.type === ItemType.TextString && LOOSE_SPACING.has(tagLabel(item.tag))) return `${item.type}:${collapse(item.value)}`;
    return `${item.type}:${valueText(item)}`;
  }

  /** True for items of the test case's response (their identities are known), false for the server's. */
  private isExpected(item: TtlvItem): boolean {
    return this.expectedItems.has(item);
  }

  /** Query lists: the operations and object types the file's own requests use must be reported. */
  private required(item: TtlvItem): boolean {
    if (item.type !== ItemType.Enumeration) return true;
    if (item.tag === Tag.Operation) return this.input.facts.requestedOperations.has(item.value);
    if (item.tag === Tag.ObjectType) return this.input.facts.requestedObjectTypes.has(item.value);
    return true;
  }

  /** The scope of e.value[ei] (matched with a.value[aj]). */
  private childScope(
    e: Extract<TtlvItem, { type: 0x01 }>,
    a: Extract<TtlvItem, { type: 0x01 }>,
    ei: number,
    aj: number,
    scope: Scope,
  ): Scope {
    const ex = e.value[ei] as TtlvItem;
    const ac = a.value[aj] as TtlvItem;
    const parent = tagLabel(e.tag);
    let s: Scope = {
      ...scope,
      path: [...scope.path, childSegment(e.value, ei)],
      parent,
      rule: undefined,
      inAttribute: scope.inAttribute || ATTRIBUTE_CONTAINERS.has(e.tag),
    };
    if (e.tag === Tag.Attribute) {
      const raw = textOf(child(e, Tag.AttributeName));
      const n = raw === undefined ? undefined : collapse(raw);
      const t = attributeTagName(n);
      s = { ...s, ...(n === undefined ? {} : { attributeName: n }), ...(t === undefined ? {} : { attributeTag: t }) };
    }
    if (ex.tag === Tag.BatchItem && e.tag === Tag.ResponseMessage) s = this.batchScope(e, ei, ac, s);
    if (ex.type === ItemType.Structure) {
      const effective = ex.tag === Tag.AttributeValue ? (s.attributeTag ?? 'AttributeValue') : tagLabel(ex.tag);
      if (effective === 'Digest') s = { ...s, inDigest: true };
      if (DESCRIBED.has(effective) && !this.input.facts.fixedStructures.has(effective)) s = { ...s, rule: 'type' };
      if (ex.tag === Tag.KeyBlock) s = { ...s, keyBlock: this.keyBlockScope(ex, ac, s) };
      if (ex.tag === Tag.KeyMaterial && s.keyBlock !== undefined) {
        const rule = s.keyBlock.materialRule;
        if (rule === 'any' || rule === 'type') s = { ...s, rule };
        else if (rule === 'length') s = { ...s, shapeOnly: true };
      }
    }
    return s;
  }

  private batchScope(e: Extract<TtlvItem, { type: 0x01 }>, ei: number, actualItem: TtlvItem, s: Scope): Scope {
    const expectedItem = e.value[ei] as TtlvItem;
    const k = e.value.slice(0, ei).filter((c) => c.tag === Tag.BatchItem).length;
    const requestItem = this.requestItems[k];
    const operation = operationName(enumOf(child(expectedItem, Tag.Operation)));
    const payload = child(actualItem, Tag.ResponsePayload);
    const requestPayload = child(requestItem, Tag.RequestPayload);
    const serverIv = child(payload, Tag.IVCounterNonce) !== undefined && child(requestPayload, Tag.IVCounterNonce) === undefined;
    const payloadUid = textOf(child(payload, Tag.UniqueIdentifier));
    return {
      ...s,
      ...(operation === undefined ? {} : { operation }),
      ...(requestItem === undefined ? {} : { requestItem }),
      ...(payloadUid === undefined ? {} : { payloadUid }),
      serverIv,
    };
  }

  /** 4.7.1: the server picks the Key Format Type of what it creates, and its key material. */
  private keyBlockScope(e: TtlvItem, a: TtlvItem, s: Scope): KeyBlockScope {
    const requestPayload = child(s.requestItem, Tag.RequestPayload);
    const asked = child(requestPayload, Tag.KeyFormatType) !== undefined;
    const origin = this.origin(s);
    const clients = origin?.origin === 'client';
    const formatRule: LeafRule = asked || clients ? 'exact' : 'type';
    const eFormat = enumOf(child(e, Tag.KeyFormatType));
    const aFormat = enumOf(child(a, Tag.KeyFormatType));
    const formatDiffers = formatRule === 'type' && eFormat !== aFormat;
    const wrapped = child(a, Tag.KeyWrappingData) !== undefined;
    const fixedLength = aFormat !== undefined && FIXED_LENGTH_FORMATS.has(aFormat);
    let materialRule: LeafRule;
    if (formatDiffers) materialRule = 'any';
    else if (clients && !wrapped) materialRule = 'exact';
    else if (wrapped) materialRule = clients && this.wrappingKeyIsClients(a) ? 'exact' : 'type';
    else materialRule = fixedLength ? 'length' : 'type';
    return { formatRule, formatDiffers, materialRule, fixedLength };
  }

  private wrappingKeyIsClients(keyBlock: TtlvItem): boolean {
    const info = child(child(keyBlock, Tag.KeyWrappingData), Tag.EncryptionKeyInformation);
    const uid = textOf(child(info, Tag.UniqueIdentifier));
    return uid !== undefined && this.input.facts.objects.get(uid)?.origin === 'client';
  }
}

function attrName(scope: Scope): string | undefined {
  return scope.attributeName;
}

/** A 1.x attribute name as KMIP spells it: single spaces. */
export function collapse(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

function typeName(item: TtlvItem): string {
  return ITEM_TYPE_NAMES[item.type] ?? 'unknown';
}

function lengthOf(item: TtlvItem): number {
  if (item.type === ItemType.ByteString) return item.value.length;
  if (item.type === ItemType.TextString) return Buffer.byteLength(item.value);
  return 0;
}

export function sameValue(x: TtlvItem, y: TtlvItem): boolean {
  if (x.type !== y.type) return false;
  if (x.type === ItemType.ByteString && y.type === ItemType.ByteString) return Buffer.compare(x.value, y.value) === 0;
  if (x.type === ItemType.Structure && y.type === ItemType.Structure) {
    return x.value.length === y.value.length && x.value.every((c, i) => c.tag === y.value[i]?.tag && sameValue(c, y.value[i] as TtlvItem));
  }
  return x.value === y.value;
}

/** A bound value outlives its response buffer: copy byte views. */
function copyLeaf(item: TtlvItem): TtlvItem {
  return item.type === ItemType.ByteString ? { ...item, value: item.value.slice() } : item;
}
