// An object's rows in the attributes table (store/schema.ts): one per attribute instance, its value as TTLV beside
// the projections Locate seeks (key, num); written whole for a new object, and only where changed on an update.
import type Database from 'better-sqlite3';
import type { AttributeInstance } from '../model/attribute.js';
import { attributeKey } from '../model/attribute-match.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { hasNumericProjection } from './locate-sql.js';

/** The value kept in attributes.num, for range and mask queries; null for types it does not fit. */
function numericProjection(item: TtlvItem): number | bigint | null {
  if (!hasNumericProjection(item)) return null;
  if (item.type === ItemType.Boolean) return item.value ? 1 : 0;
  return item.value as number | bigint;
}

/** (name, index) is the attributes table's key within an object: refuse a duplicate before writing anything. */
export function checkAttributeIndexes(uid: string, attributes: readonly AttributeInstance[]): void {
  const seen = new Set<string>();
  for (const a of attributes) {
    if (!Number.isInteger(a.index) || a.index < 0) throw new Error(`attribute ${a.name} has index ${a.index}`);
    const k = `${a.index}\u0000${a.name}`;
    if (seen.has(k)) throw new Error(`object ${uid} has two instances of ${a.name} with index ${a.index}`);
    seen.add(k);
  }
}

export class AttributeRows {
  readonly #insert: Database.Statement;
  readonly #rows: Database.Statement;
  readonly #delete: Database.Statement;
  readonly #replace: Database.Statement;

  constructor(db: Database.Database) {
    this.#insert = db.prepare('INSERT INTO attributes (uid, name, idx, pos, item_type, key, num, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.#rows = db.prepare('SELECT name, idx, pos, value FROM attributes WHERE uid = ? ORDER BY pos').raw(true);
    this.#delete = db.prepare('DELETE FROM attributes WHERE uid = ? AND name = ? AND idx = ?');
    this.#replace = db.prepare('UPDATE attributes SET pos = ?, item_type = ?, key = ?, num = ?, value = ? WHERE uid = ? AND name = ? AND idx = ?');
  }

  /** Writes a new object's rows in order; returns each value's stored bytes, in order. */
  insert(uid: string, attributes: readonly AttributeInstance[]): Buffer[] {
    // one statement per row: a multi-row INSERT measured no faster (the cost is in the b-trees, not the calls)
    return attributes.map((a, pos) => {
      const value = encodeTtlv(a.value);
      this.#insert.run(uid, a.name, a.index, pos, a.value.type, attributeKey(a.value), numericProjection(a.value), value);
      return value;
    });
  }

  /**
   * Writes only the rows an update changed: an Activate changes 3 of some 20, and rewriting all of them (each
   * with its index entries) made an update cost as much as a Create. Positions need only increase: the leading
   * rows that are unchanged and still in order keep theirs; from the first row that is new, changed or moved,
   * every row gets a new position after the last one used. The operations append what they change
   * (object-access.ts withSingle), so that tail is usually just the changed rows. Returns each value's stored
   * bytes, in order.
   */
  update(uid: string, attributes: readonly AttributeInstance[]): Buffer[] {
    const old = new Map<string, { pos: number; value: Buffer }>();
    let next = 0;
    for (const [name, index, pos, value] of this.#rows.all(uid) as [string, number, number, Buffer][]) {
      old.set(`${index}\u0000${name}`, { pos, value });
      next = pos + 1;
    }
    const tail: { a: AttributeInstance; value: Buffer; exists: boolean }[] = [];
    const encoded: Buffer[] = [];
    let lastKept = -1;
    for (const a of attributes) {
      const k = `${a.index}\u0000${a.name}`;
      const value = encodeTtlv(a.value);
      encoded.push(value);
      const before = old.get(k);
      old.delete(k);
      if (tail.length === 0 && before !== undefined && before.pos > lastKept && before.value.equals(value)) lastKept = before.pos;
      else tail.push({ a, value, exists: before !== undefined });
    }
    for (const k of old.keys()) {
      const cut = k.indexOf('\u0000');
      this.#delete.run(uid, k.slice(cut + 1), Number(k.slice(0, cut)));
    }
    for (const { a, value, exists } of tail) {
      const pos = next++;
      if (exists) this.#replace.run(pos, a.value.type, attributeKey(a.value), numericProjection(a.value), value, uid, a.name, a.index);
      else this.#insert.run(uid, a.name, a.index, pos, a.value.type, attributeKey(a.value), numericProjection(a.value), value);
    }
    return encoded;
  }
}
