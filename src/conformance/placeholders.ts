// Placeholder binding and substitution for the OASIS test cases: `$NAME` binds to the server's value where it is
// first seen in a response, later requests carry it and later responses must repeat it; `$NOW±n` is a clock reading.
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { childSegment, formatPath, type PathSegment } from './paths.js';
import type { Template } from './test-case.js';

const NOW = /^\$NOW(?:([+-])(\d+))?$/;

/** Seconds to add to the current time for `$NOW`, `$NOW+n`, `$NOW-n`; undefined for any other placeholder. */
export function nowOffset(placeholder: string): number | undefined {
  const m = NOW.exec(placeholder);
  if (m === null) return undefined;
  return Number(m[2] ?? 0) * (m[1] === '-' ? -1 : 1);
}

/**
 * Values bound so far. A fork sees its parent's bindings and adds its own; commit() hands them to the parent.
 * The judge tries a response (or one candidate of a set) in a fork, so a failed try leaves nothing bound.
 */
export class Bindings {
  private readonly own = new Map<string, TtlvItem>();

  constructor(private readonly parent?: Bindings) {}

  get(name: string): TtlvItem | undefined {
    return this.own.get(name) ?? this.parent?.get(name);
  }

  bind(name: string, value: TtlvItem): void {
    this.own.set(name, value);
  }

  fork(): Bindings {
    return new Bindings(this);
  }

  commit(): void {
    if (this.parent === undefined) return;
    for (const [k, v] of this.own) this.parent.bind(k, v);
    this.own.clear();
  }

  /** Every binding visible here, for reports. */
  entries(): [string, TtlvItem][] {
    const all = new Map(this.parent?.entries() ?? []);
    for (const [k, v] of this.own) all.set(k, v);
    return [...all];
  }
}

/**
 * `$NOW±n` in requests: the current time ± n seconds, read once per file and placeholder text, so that a date
 * written in one request and searched for (Locate) or compared in a later one is the same instant.
 */
export class RequestClock {
  private readonly readings = new Map<string, bigint>();

  constructor(private readonly nowSeconds: () => bigint = () => BigInt(Math.floor(Date.now() / 1000))) {}

  value(placeholder: string): bigint | undefined {
    const offset = nowOffset(placeholder);
    if (offset === undefined) return undefined;
    let v = this.readings.get(placeholder);
    if (v === undefined) {
      v = this.nowSeconds() + BigInt(offset);
      this.readings.set(placeholder, v);
    }
    return v;
  }
}

/** A request uses a placeholder that no earlier response bound: the file cannot be replayed past this step. */
export class UnboundPlaceholderError extends Error {
  override readonly name = 'UnboundPlaceholderError';

  constructor(
    readonly placeholder: string,
    readonly path: string,
    reason: string,
  ) {
    super(`placeholder ${placeholder} at ${path} ${reason}`);
  }
}

/** The request to send: the template with every placeholder leaf replaced by its bound value or clock reading. */
export function instantiate(request: Template, bindings: Bindings, clock: RequestClock): TtlvItem {
  const fill = (item: TtlvItem, path: PathSegment[]): TtlvItem => {
    if (item.type === ItemType.Structure) {
      return { tag: item.tag, type: ItemType.Structure, value: item.value.map((c, i) => fill(c, [...path, childSegment(item.value, i)])) };
    }
    const name = request.placeholders.get(item);
    if (name === undefined) return item;
    const now = clock.value(name);
    if (now !== undefined) {
      if (item.type === ItemType.DateTime) return { tag: item.tag, type: ItemType.DateTime, value: now };
      if (item.type === ItemType.DateTimeExtended) return { tag: item.tag, type: ItemType.DateTimeExtended, value: now * 1_000_000n };
      throw new UnboundPlaceholderError(name, formatPath(path), `is a time but the field is not a Date-Time`);
    }
    const bound = bindings.get(name);
    if (bound === undefined) {
      throw new UnboundPlaceholderError(name, formatPath(path), 'is not bound by any earlier response (the file never shows its value)');
    }
    if (bound.type !== item.type) {
      throw new UnboundPlaceholderError(name, formatPath(path), `was bound to a value of another type (item type ${bound.type}, field type ${item.type})`);
    }
    // The bound value under this field's tag: `$UNIQUE_IDENTIFIER_0` may be bound from an Attribute Value.
    return { ...bound, tag: item.tag } as TtlvItem;
  };
  return fill(request.root, []);
}
