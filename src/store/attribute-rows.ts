// An object's rows in the attributes table (store/schema.ts, migration 4): one per instance of a searchable
// attribute, holding only what Locate seeks (key, num); the values themselves are in the objects row's list.
import type Database from 'better-sqlite3';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeKey } from '../model/attribute-match.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { isUnkeyed } from './attribute-list.js';
import { hasNumericProjection } from './locate-sql.js';

/** The value kept in attributes.num, for range queries; null for types it does not fit. */
function numericProjection(item: TtlvItem): number | bigint | null {
  if (!hasNumericProjection(item)) return null;
  if (item.type === ItemType.Boolean) return item.value ? 1 : 0;
  return item.value as number | bigint;
}

/** (name, index) identifies an instance within an object: refuse a duplicate before writing anything. */
export function checkAttributeIndexes(uid: string, attributes: readonly AttributeInstance[]): void {
  // index 0 (nearly every instance) by name alone: the name's hash is already computed, a joined key's is not
  const firsts = new Set<string>();
  let others: Set<string> | undefined;
  for (const a of attributes) {
    if (!Number.isInteger(a.index) || a.index < 0) throw new Error(`attribute ${a.name} has index ${a.index}`);
    const seen = a.index === 0 ? firsts : (others ??= new Set<string>());
    const k = a.index === 0 ? a.name : `${a.index}\u0000${a.name}`;
    if (seen.has(k)) throw new Error(`object ${uid} has two instances of ${a.name} with index ${a.index}`);
    seen.add(k);
  }
}

/** What a row holds of an instance: its projections. */
interface Projection {
  readonly type: number;
  readonly key: string | null;
  readonly num: number | bigint | null;
}

function projection(value: TtlvItem): Projection {
  return { type: value.type, key: attributeKey(value), num: numericProjection(value) };
}

/** Rows written by one statement at most; a longer list takes several. */
const ROWS_PER_STATEMENT = 16;

export class AttributeRows {
  readonly #db: Database.Database;
  /** Upserts of 1 … ROWS_PER_STATEMENT rows, prepared when first needed. */
  readonly #write = new Map<number, Database.Statement>();
  readonly #rows: Database.Statement;
  readonly #delete: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    // safe integers: a LongInteger custom attribute's num may exceed 2^53
    this.#rows = db.prepare('SELECT name, idx, item_type, key, num FROM attributes WHERE uid = ?').raw(true).safeIntegers(true);
    this.#delete = db.prepare('DELETE FROM attributes WHERE uid = ? AND name = ? AND idx = ?');
  }

  /** Writes a new object's rows. */
  insert(uid: string, attributes: readonly AttributeInstance[]): void {
    const params: unknown[] = [];
    for (const a of attributes) {
      if (isUnkeyed(a.name)) continue;
      const p = projection(a.value);
      params.push(uid, a.name, a.index, p.type, p.key, p.num);
    }
    this.#upsert(params);
  }

  /**
   * Inserts the rows in `params` (six values each), replacing the projections of rows already there: one
   * statement for a Create's five or so rows, where a statement per row cost a call into SQLite each.
   */
  #upsert(params: readonly unknown[]): void {
    for (let at = 0; at < params.length; at += ROWS_PER_STATEMENT * 6) {
      const chunk = params.slice(at, at + ROWS_PER_STATEMENT * 6);
      this.#statement(chunk.length / 6).run(...chunk);
    }
  }

  #statement(rows: number): Database.Statement {
    let stmt = this.#write.get(rows);
    if (stmt === undefined) {
      stmt = this.#db.prepare(
        `INSERT INTO attributes (uid, name, idx, item_type, key, num) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (uid, name, idx) DO UPDATE SET item_type = excluded.item_type, key = excluded.key, num = excluded.num`,
      );
      this.#write.set(rows, stmt);
    }
    return stmt;
  }

  /**
   * Writes only the rows an update changed: an Activate changes two dates of some six rows. The rows are compared
   * by projection, so a value whose projections did not move writes nothing. `previous` is the object's list as
   * stored, when the caller holds it (the store's cache); otherwise the rows are read back.
   */
  update(uid: string, attributes: readonly AttributeInstance[], previous?: readonly AttributeInstance[]): void {
    const old = new Map<string, Projection>();
    if (previous !== undefined) {
      for (const a of previous) if (!isUnkeyed(a.name)) old.set(`${a.index}\u0000${a.name}`, projection(a.value));
    } else {
      for (const [name, index, type, key, num] of this.#rows.all(uid) as [string, bigint, bigint, string | null, bigint | null][]) {
        old.set(`${index}\u0000${name}`, { type: Number(type), key, num });
      }
    }
    const params: unknown[] = [];
    for (const a of attributes) {
      if (isUnkeyed(a.name)) continue;
      const k = `${a.index}\u0000${a.name}`;
      const p = projection(a.value);
      const before = old.get(k);
      old.delete(k);
      if (before === undefined || before.type !== p.type || before.key !== p.key || !sameNum(before.num, p.num)) {
        params.push(uid, a.name, a.index, p.type, p.key, p.num);
      }
    }
    this.#upsert(params);
    for (const k of old.keys()) {
      const cut = k.indexOf('\u0000');
      this.#delete.run(uid, k.slice(cut + 1), Number(k.slice(0, cut)));
    }
  }
}

/** Two num projections: a number and a bigint of one value are the same (SQLite returns whichever fits). */
function sameNum(a: number | bigint | null, b: number | bigint | null): boolean {
  if (a === null || b === null) return a === b;
  return typeof a === typeof b ? a === b : BigInt(a) === BigInt(b);
}
