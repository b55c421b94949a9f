// The SQLite schema and every migration to it, in order; the file's version is PRAGMA user_version (DESIGN: storage).
import type Database from 'better-sqlite3';

export interface Migration {
  /** The user_version the file has once this migration ran: 1, 2, 3 … with no gaps. */
  readonly version: number;
  readonly description: string;
  /** DDL (and data moves) run in one transaction with the user_version bump. */
  readonly sql: string;
}

/**
 * Attributes left out of the (name, key) index (migration 3): set on every object with few distinct values (a
 * seek by one of them finds most objects, so newest-first with a per-object probe is as fast), or mirrored in
 * an objects column (UniqueIdentifier, ObjectType, State). Dates are left out by type: the dates index serves
 * them. A Create used to add ~20 scattered entries to this index; now it adds its few searchable ones (Name,
 * Object Group, Link, custom attributes …). The Locate SQL repeats the index's WHERE terms verbatim, which is
 * how SQLite knows it may use a partial index: change this list only with a new migration.
 */
export const UNKEYED_ATTRIBUTES = [
  'UniqueIdentifier', 'ObjectType', 'State', 'CryptographicAlgorithm', 'CryptographicLength', 'CryptographicUsageMask',
  'Sensitive', 'AlwaysSensitive', 'Extractable', 'NeverExtractable', 'Fresh', 'KeyFormatType', 'ProtectionStorageMask',
  'ProtectionStorageMasks', 'RandomNumberGenerator', 'LeaseTime', 'CertificateType', 'CertificateLength',
] as const;

/** The WHERE terms of the (name, key) index, as both the index and the queries that seek it spell them. */
export const KEYED_ROWS_SQL = `item_type != 9 AND name NOT IN (${UNKEYED_ATTRIBUTES.map((n) => `'${n}'`).join(', ')})`;

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
      CREATE INDEX attributes_name_key ON attributes (name, key, item_type) WHERE ${KEYED_ROWS_SQL};
    `,
  },
];

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
      // user_version takes no bound parameter; m.version is a checked integer
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}
