// The SQLite schema and every migration to it, in order; the file's version is PRAGMA user_version (DESIGN: storage).
import type Database from 'better-sqlite3';
import { decodeTtlv } from '../ttlv/decode.js';
import { encodeAttributeList, UNKEYED_ATTRIBUTES, unkeyedText, usageMaskOf } from './attribute-list.js';

export interface Migration {
  /** The user_version the file has once this migration ran: 1, 2, 3 … with no gaps. */
  readonly version: number;
  readonly description: string;
  /** DDL (and data moves) run in one transaction with the user_version bump. */
  readonly sql: string;
  /** A data move SQL alone cannot make, run after `sql` in the same transaction. */
  readonly then?: (db: Database.Database) => void;
}

/**
 * The unkeyed attributes (attribute-list.ts) as an SQL list. Migration 3 left them out of the (name, key) index,
 * migration 4 out of the attributes table: the list may never change, as both migrations are spelled with it.
 */
const UNKEYED_SQL_LIST = `(${UNKEYED_ATTRIBUTES.map((n) => `'${n}'`).join(', ')})`;
/** The WHERE terms of migration 3's (name, key) index, as it shipped. */
const KEYED_ROWS_SQL_V3 = `item_type != 9 AND name NOT IN ${UNKEYED_SQL_LIST}`;

/**
 * The WHERE terms of the (name, key) index since migration 4: dates have their own index, and a row without a key
 * (a structure with no identifying field, such as a Digest) is never sought by key, so indexing it only cost each
 * Create a page. The Locate SQL repeats them verbatim, which is how SQLite knows it may use a partial index:
 * change them only with a new migration.
 */
export const KEYED_ROWS_SQL = 'item_type != 9 AND key IS NOT NULL';

/**
 * Never edit a migration that has shipped: append a new one. A newer kmipd opens an older file by running the
 * migrations above the file's version; an older kmipd refuses a newer file rather than misread it.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'objects and their attributes, indexed for Locate',
    sql: `
      -- sequence is the rowid: the table is kept in creation order, so "newest first" reads it backwards, and
      -- uid (UNIQUE NOT NULL, the key the protocol uses) costs one index instead of a second table b-tree.
      CREATE TABLE objects (
        sequence    INTEGER PRIMARY KEY,
        uid         TEXT    NOT NULL UNIQUE,
        object_type INTEGER NOT NULL,
        state       INTEGER NOT NULL,
        owner       TEXT    NOT NULL,
        archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        -- sealed key material (AES-GCM under the KEK); NULL once destroyed, wiped by secure_delete
        material    BLOB,
        kek_version INTEGER,
        CHECK ((material IS NULL) = (kek_version IS NULL))
      );
      -- the lifecycle sweep finds PreActive objects by state; owner-only Locate lists a tenant's objects
      CREATE INDEX objects_state ON objects (state);
      CREATE INDEX objects_owner ON objects (owner);
      -- KEK rotation walks the blobs still sealed under an old KEK version
      CREATE INDEX objects_kek_version ON objects (kek_version) WHERE material IS NOT NULL;

      -- One row per attribute instance. Clustered by (uid, name, idx), so an object's attributes are one range
      -- and "has attribute name" for one object is a primary-key probe. value is the TTLV of the value item; key
      -- and num are its indexable projections (model/attribute-match.ts attributeKey; numeric types).
      CREATE TABLE attributes (
        uid       TEXT    NOT NULL REFERENCES objects (uid) ON DELETE CASCADE,
        name      TEXT    NOT NULL,
        idx       INTEGER NOT NULL,
        pos       INTEGER NOT NULL,
        item_type INTEGER NOT NULL,
        key       TEXT,
        num       INTEGER,
        value     BLOB    NOT NULL,
        PRIMARY KEY (uid, name, idx)
      ) WITHOUT ROWID;
      -- equality Locate; item_type keeps TextString "5" and Integer 5 of one custom attribute apart
      CREATE INDEX attributes_name_key ON attributes (name, key, item_type);
      -- date ranges and usage masks
      CREATE INDEX attributes_name_num ON attributes (name, num);
    `,
  },
  {
    version: 2,
    description: 'the (name, num) index holds dates only',
    sql: `
      -- Only date ranges seek it (Locate's range filters, the lifecycle sweep): usage masks are bit-tested per
      -- object. Indexing every numeric attribute put ~20 scattered index pages into each Create's commit; dates
      -- are 3 or 4 an object. Queries name item_type = 9 (Date-Time) so that the planner may use it.
      DROP INDEX attributes_name_num;
      CREATE INDEX attributes_name_date ON attributes (name, num) WHERE item_type = 9;
    `,
  },
  {
    version: 3,
    description: 'the (name, key) index holds searchable attributes only',
    sql: `
      DROP INDEX attributes_name_key;
      CREATE INDEX attributes_name_key ON attributes (name, key, item_type) WHERE ${KEYED_ROWS_SQL_V3};
    `,
  },
  {
    version: 4,
    description: "each object's attribute list in its row; attribute rows for searchable attributes only",
    sql: `
      -- the whole list, in order (attribute-list.ts): a read is one row and one decode, a write one value
      ALTER TABLE objects ADD COLUMN attribute_list BLOB NOT NULL DEFAULT x'';
      -- the unkeyed attributes' searchable text and the usage mask, for Locate's per-object tests
      ALTER TABLE objects ADD COLUMN unkeyed TEXT NOT NULL DEFAULT '';
      ALTER TABLE objects ADD COLUMN usage_mask INTEGER;
    `,
    then: moveToAttributeLists,
  },
  {
    version: 5,
    // no change of tables: the number tells an older kmipd, which cannot read the lists this one writes, to stop
    description: 'attribute lists hold most instances as bare values (attribute-list.ts)',
    sql: '',
  },
];

/**
 * Migration 4's data move: each object's rows, in order, become its attribute list; then the attributes table is
 * rebuilt with the rows Locate seeks (searchable attributes and dates) and without the value and position, which
 * the list now holds. A Create wrote 21 rows and ~18 WAL pages; it now writes about 6 rows and ~14 pages.
 */
function moveToAttributeLists(db: Database.Database): void {
  // a page of objects at a time: a connection cannot write while a read of it is still being iterated
  const page = db.prepare('SELECT sequence, uid FROM objects WHERE sequence > ? ORDER BY sequence LIMIT 1000').raw(true);
  const rows = db.prepare('SELECT name, idx, value FROM attributes WHERE uid = ? ORDER BY pos').raw(true);
  const write = db.prepare('UPDATE objects SET attribute_list = ?, unkeyed = ?, usage_mask = ? WHERE uid = ?');
  for (let after = 0, objects: [number, string][]; (objects = page.all(after) as [number, string][]).length > 0; after = objects[objects.length - 1]![0]) {
    for (const [, uid] of objects) {
      const attributes = (rows.all(uid) as [string, number, Buffer][]).map(([name, index, value]) => ({ name, index, value: decodeTtlv(value) }));
      write.run(encodeAttributeList(attributes), unkeyedText(attributes), usageMaskOf(attributes), uid);
    }
  }
  db.exec(`
    CREATE TABLE attributes_v4 (
      uid       TEXT    NOT NULL REFERENCES objects (uid) ON DELETE CASCADE,
      name      TEXT    NOT NULL,
      idx       INTEGER NOT NULL,
      item_type INTEGER NOT NULL,
      key       TEXT,
      num       INTEGER,
      PRIMARY KEY (uid, name, idx)
    ) WITHOUT ROWID;
    INSERT INTO attributes_v4 SELECT uid, name, idx, item_type, key, num FROM attributes
     WHERE name NOT IN ${UNKEYED_SQL_LIST};
    DROP TABLE attributes;
    ALTER TABLE attributes_v4 RENAME TO attributes;
    CREATE INDEX attributes_name_key ON attributes (name, key, item_type) WHERE ${KEYED_ROWS_SQL};
    CREATE INDEX attributes_name_date ON attributes (name, num) WHERE item_type = 9;
  `);
}

/** Latest schema version this build knows. */
export function schemaVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

/**
 * Brings `db` to the latest version of `migrations`, each step in its own transaction (SQLite DDL is
 * transactional, so a failed step leaves the file at the previous version). Returns the versions before and after.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { readonly from: number; readonly to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} is numbered ${m.version}: versions must be 1, 2, 3 …`);
  });
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = schemaVersion(migrations);
  if (from > latest) {
    throw new Error(`database schema version ${from} is newer than this kmipd knows (${latest}): upgrade kmipd`);
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      m.then?.(db);
      // user_version takes no bound parameter; m.version is a checked integer
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}
