// Locate → SQL over the objects/attributes schema (store/schema.ts): each filter an indexed subquery or a test per
// candidate object, ANDed (1.4 §4.9; 2.1 §6.1.27). A pure function, so the query shapes are unit-tested without a
// database.
import { Enum } from '../kmip/enum.js';
import { attributeKey } from '../model/attribute-match.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import type { AttributeFilter, LocateQuery } from './locate-query.js';
import { isUnkeyed, unkeyedNeedle } from './attribute-list.js';
import { KEYED_ROWS_SQL } from './schema.js';

export type SqlParam = string | number | bigint;
export type EqualsFilter = Extract<AttributeFilter, { kind: 'equals' }>;

export interface LocateSql {
  /**
   * When `confirm` is empty: selects `uid`, newest first, offset and limit applied (they are the last params).
   * Otherwise: selects `uid, sequence` of candidates, and ends in `o.sequence < ? ORDER BY o.sequence DESC LIMIT ?`
   * — the caller appends (sequence bound, page size) to `params` and walks the candidates page by page.
   */
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** Equals filters the SQL only narrows (structures, or no index key): confirm each candidate with valueMatches. */
  readonly confirm: readonly EqualsFilter[];
}

/** The Storage Status classes as predicates on objects; Destroyed / Destroyed Compromised are their own class. */
const DESTROYED = `(${Enum.State.Destroyed}, ${Enum.State.DestroyedCompromised})`;
const STORAGE_CLASS_SQL = {
  online: `(o.archived = 0 AND o.state NOT IN ${DESTROYED})`,
  archived: `(o.archived = 1 AND o.state NOT IN ${DESTROYED})`,
  destroyed: `o.state IN ${DESTROYED}`,
} as const;

/** Attributes mirrored in objects columns: their equality filters read the column, not the attributes table. */
const OBJECT_COLUMNS: Readonly<Record<string, { readonly column: string; readonly type: number }>> = {
  ObjectType: { column: 'o.object_type', type: ItemType.Enumeration },
  State: { column: 'o.state', type: ItemType.Enumeration },
  UniqueIdentifier: { column: 'o.uid', type: ItemType.TextString },
};

/** Mask attributes kept in an objects column (they have no rows: attribute-list.ts), for bit tests. */
const MASK_COLUMNS: Readonly<Record<string, string>> = { CryptographicUsageMask: 'o.usage_mask' };

/** Item types whose value the store keeps in attributes.num (store/sqlite-store.ts numericProjection). */
const NUMERIC_TYPES: ReadonlySet<number> = new Set([
  ItemType.Integer, ItemType.Enumeration, ItemType.Interval, ItemType.DateTime, ItemType.LongInteger, ItemType.Boolean,
]);

/** True when the store keeps `item` in the num column. */
export function hasNumericProjection(item: TtlvItem): boolean {
  return NUMERIC_TYPES.has(item.type);
}

/**
 * Equal index keys (with equal item types) mean equal values for every scalar type: attributeKey renders each
 * injectively. A structure's key is only its primary field, so structures are always confirmed.
 */
function keyIsExact(value: TtlvItem): boolean {
  return value.type !== ItemType.Structure;
}

export function buildLocateSql(query: LocateQuery): LocateSql {
  const where: string[] = [];
  const params: SqlParam[] = [];
  const confirm: EqualsFilter[] = [];
  /** True once some filter is an indexed subquery that can drive the search. */
  let driven = false;

  const classes = (Object.keys(STORAGE_CLASS_SQL) as (keyof typeof STORAGE_CLASS_SQL)[]).filter((c) => query.include[c]);
  // all three classes together are every object: no predicate
  if (classes.length === 0) where.push('0');
  else if (classes.length < 3) where.push(`(${classes.map((c) => STORAGE_CLASS_SQL[c]).join(' OR ')})`);

  for (const f of query.filters) {
    switch (f.kind) {
      case 'equals': {
        const mirrored = OBJECT_COLUMNS[f.name];
        if (mirrored !== undefined && f.value.type === mirrored.type) {
          where.push(`${mirrored.column} = ?`);
          params.push(f.value.value as string | number);
          break;
        }
        if (f.value.type === ItemType.DateTime) {
          // one date is a range of one second, served by the dates index
          where.push(`o.uid IN (SELECT uid FROM attributes WHERE name = ? AND item_type = ${ItemType.DateTime} AND num BETWEEN ? AND ?)`);
          params.push(f.name, f.value.value, f.value.value);
          driven = true;
          break;
        }
        const key = attributeKey(f.value);
        if (isUnkeyed(f.name)) {
          // a common value, kept in the object's searchable text: newest objects first, a test each, until the
          // limit is reached (with no key, the test is for any instance of the name and type, then confirmed)
          where.push('instr(o.unkeyed, ?) > 0');
          params.push(unkeyedNeedle(f.name, f.value.type, key));
        } else if (key !== null) {
          // the (name, key, item_type) index yields the candidate uids directly; its WHERE terms, verbatim, let
          // the planner use that partial index
          where.push(`o.uid IN (SELECT uid FROM attributes WHERE name = ? AND key = ? AND item_type = ? AND ${KEYED_ROWS_SQL})`);
          params.push(f.name, key, f.value.type);
          driven = true;
        } else {
          // no key to narrow by: a primary-key probe per candidate object
          where.push('EXISTS (SELECT 1 FROM attributes a WHERE a.uid = o.uid AND a.name = ? AND a.item_type = ?)');
          params.push(f.name, f.value.type);
        }
        if (!keyIsExact(f.value) || key === null) confirm.push(f);
        break;
      }
      case 'range':
        // item_type = Date-Time: the partial index attributes_name_date (range filters are on dates only)
        where.push(`o.uid IN (SELECT uid FROM attributes WHERE name = ? AND item_type = ${ItemType.DateTime} AND num BETWEEN ? AND ?)`);
        params.push(f.name, f.from, f.to);
        driven = true;
        break;
      case 'maskSuperset':
        // a bit test cannot seek an index: a test per candidate, so the other filters (or the LIMIT) bound the work.
        // As unsigned 32 bits: a stored Integer mask with bit 31 set is negative, and & keeps exactly its low bits.
        if (MASK_COLUMNS[f.name] !== undefined) {
          where.push(`(${MASK_COLUMNS[f.name]} & ?) = ?`);
          params.push(f.mask >>> 0, f.mask >>> 0);
        } else if (!isUnkeyed(f.name)) {
          where.push('EXISTS (SELECT 1 FROM attributes a WHERE a.uid = o.uid AND a.name = ? AND (a.num & ?) = ?)');
          params.push(f.name, f.mask >>> 0, f.mask >>> 0);
        } else {
          // neither rows nor a column hold it: a silent "no match" would be a wrong answer
          throw new Error(`${f.name} is kept in no column and no rows: Locate cannot bit-test it`);
        }
        break;
    }
  }

  if (query.owner !== undefined) {
    // unary + keeps the planner off objects_owner when an attribute subquery can drive the search (a tenant
    // usually owns most objects); with no other filter the owner index is still the cheapest path
    where.push(driven ? '+o.owner = ?' : 'o.owner = ?');
    params.push(query.owner);
  }

  if (confirm.length > 0) {
    where.push('o.sequence < ?');
    return {
      sql: `SELECT o.uid, o.sequence FROM objects o WHERE ${where.join(' AND ')} ORDER BY o.sequence DESC LIMIT ?`,
      params,
      confirm,
    };
  }
  params.push(query.maxItems ?? -1, query.offsetItems ?? 0);
  const filter = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  return { sql: `SELECT o.uid FROM objects o${filter} ORDER BY o.sequence DESC LIMIT ? OFFSET ?`, params, confirm };
}
