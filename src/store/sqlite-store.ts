// ObjectStore on one SQLite file through better-sqlite3: WAL, durable commits, wiped material, indexed Locate
// (DESIGN: storage).
import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SealedMaterial } from '../keystore/key-store.js';
import { Enum } from '../kmip/enum.js';
import { valueMatches } from '../model/attribute-match.js';
import type { ManagedObject } from '../model/managed-object.js';
import { ItemType } from '../ttlv/item-type.js';
import { buildLocateSql, type EqualsFilter } from './locate-sql.js';
import type { LocateQuery } from './locate-query.js';
import { decodeAttributeList, detachedAttributes, encodeAttributeList, unkeyedText, usageMaskOf } from './attribute-list.js';
import { AttributeRows, checkAttributeIndexes } from './attribute-rows.js';
import type { ObjectStore } from './object-store.js';
import { ObjectCache } from './object-cache.js';
import { MIGRATIONS, migrate, type Migration } from './schema.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

/** Connection settings, each for the guarantee it gives. */
const PRAGMAS = [
  // readers never block the writer; one fsync per commit
  'journal_mode = WAL',
  // FULL: the WAL is synced at every commit, so an acknowledged operation survives power loss (with group
  // commit, NORMAL plus an fdatasync of the WAL before durable() resolves: the same guarantee, off the event loop)
  'synchronous = FULL',
  // deleted content (a destroyed object's sealed material) is overwritten with zeros, not left in free space
  'secure_delete = ON',
  'foreign_keys = ON',
  // another process (a backup, the CLI) holding the lock briefly makes us wait, not fail
  'busy_timeout = 5000',
  // savepoint sub-journals (nested transactions) in memory: in a temp file they cost ~100 µs per savepoint
  'temp_store = MEMORY',
  // 8 MiB of page cache: every COMMIT after a b-tree rebalance walks the whole cache (balance_nonroot parks a
  // page at the lock-byte page number, so pcache1TruncateUnsafe scans every entry), which with 32 MiB was ~5 % of
  // a Create's event-loop time. 2 MiB made the walk cheap but sent the hot index pages back to the OS's cache:
  // Creates were slower than with 8, and Locate's p99 over 1M objects less steady (bench/README.md).
  'cache_size = -8192',
] as const;

/** Locate statements vary with the filter mix; keep the recent shapes prepared. */
const LOCATE_STATEMENT_CACHE = 128;
/** Candidates fetched per page when equals filters are confirmed in JS: bounds memory whatever the match rate. */
const CONFIRM_PAGE_MIN = 64;
const CONFIRM_PAGE_MAX = 1024;
/** Above every sequence: the first page's bound. */
const SEQUENCE_TOP = Number.MAX_SAFE_INTEGER;

export interface SqliteStoreOptions {
  /** The schema to bring the file to; tests pass a longer list to exercise a migration. */
  readonly migrations?: readonly Migration[];
  /**
   * Group commit: transactions share one COMMIT, made once the turn of the event loop that opened the group is
   * done, or, while the previous group's sync is still running, once that sync returns (so a group gathers
   * everything that arrives meanwhile). Each transaction still rolls back alone (a savepoint). The COMMIT writes
   * the WAL without waiting for the disk (synchronous = NORMAL); an fdatasync of the WAL file on libuv's thread
   * pool (or, for a request alone, on the event loop) then makes it durable, and `durable()` resolves only after
   * that. The server sends no response before `durable()` resolves, so nothing acknowledged is lost on a crash or
   * power cut, and the event loop serves other requests while the disk syncs (a synchronous COMMIT held it for
   * half of the time under Creates).
   */
  readonly groupCommit?: boolean;
  /** Told when the store falls back from something it prefers (the checkpoint worker failed); for the log. */
  readonly onWarning?: (message: string) => void;
  /** How the WAL is synced after a group's COMMIT (default fs.fdatasync); tests hold a sync to watch groups form. */
  readonly syncWal?: (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;
  /** How the WAL is synced on the event loop, for `durable(true)` (default fs.fdatasyncSync); tests watch it. */
  readonly syncWalNow?: (fd: number) => void;
  /** With group commit: the WAL file's size beyond which the server thread finishes a checkpoint (default 64 MiB). */
  readonly walLimitBytes?: number;
}

/**
 * The WAL's bound under group commit. The worker's checkpoints copy the WAL while groups keep appending to it, so
 * under a steady stream of writes they never catch up with its end, SQLite never rewinds it, and it grew without
 * end (690 MB in a minute of Creates, each sync then slower, and every read searching a longer WAL index). Past
 * this size the server thread, between two groups, checkpoints what the worker has not copied yet (a few hundred
 * pages, and two syncs); the next transaction then rewinds the WAL, and SQLite truncates it back to this size.
 */
const WAL_LIMIT_BYTES = 64 * 2 ** 20;
/** How many COMMITs pass between two looks at the WAL's size (an fstat). */
const WAL_CHECK_EVERY = 32;

export type SqliteObjectStore = ObjectStore & { readonly db: Database.Database };

/**
 * The lifecycle sweep (1.4 §3.24 Activation Date, §3.27 Deactivation Date): PreActive objects are few, found by
 * objects_state; Active ones past their Deactivation Date are found from the dates index (attributes_name_date),
 * the CROSS JOIN fixing that join order. Params: now, now, limit.
 */
export const DUE_FOR_STATE_CHANGE_SQL = `SELECT uid FROM (
    SELECT o.uid, o.sequence FROM objects o
     WHERE o.state = ${Enum.State.PreActive}
       AND EXISTS (SELECT 1 FROM attributes a WHERE a.uid = o.uid AND a.name = 'ActivationDate' AND +a.num <= ?)
    UNION ALL
    SELECT o.uid, o.sequence FROM attributes a CROSS JOIN objects o ON o.uid = a.uid
     WHERE a.name = 'DeactivationDate' AND a.item_type = ${ItemType.DateTime} AND a.num <= ? AND o.state = ${Enum.State.Active}
  ) ORDER BY sequence LIMIT ?`;

interface ObjectRow {
  sequence: number;
  uid: string;
  object_type: number;
  state: number;
  owner: string;
  archived: number;
  material: Buffer | null;
  kek_version: number | null;
  attribute_list: Buffer;
}

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteObjectStore {
  const db = new Database(path);
  try {
    for (const p of PRAGMAS) db.pragma(p);
    const mode = db.pragma('journal_mode', { simple: true });
    // an in-memory database (tests of other layers) has no journal to speak of and nothing to make durable
    if (mode !== 'wal' && path !== ':memory:') throw new Error(`cannot put ${path} in WAL mode (journal_mode is ${String(mode)})`);
    migrate(db, options.migrations ?? MIGRATIONS);
  } catch (e) {
    db.close();
    throw e;
  }
  // The WAL exists from the first transaction on (migrate ran one) and stays while this connection is open:
  // SQLite deletes it only when the last connection closes. fdatasync on any descriptor of it syncs its data.
  let syncWal: number | undefined;
  try {
    syncWal = options.groupCommit === true && path !== ':memory:' ? openSync(`${path}-wal`, 'r') : undefined;
  } catch (e) {
    db.close();
    throw e;
  }
  let checkpointer: WalCheckpointer | undefined;
  const walLimit = options.walLimitBytes ?? WAL_LIMIT_BYTES;
  if (syncWal !== undefined) {
    db.pragma('synchronous = NORMAL');
    // a rewound WAL is cut back to the bound at its next commit, instead of keeping its largest size for good
    db.pragma(`journal_size_limit = ${Math.floor(walLimit)}`);
    // Checkpoints from a worker thread: done here, a checkpoint copied ~1,000 pages and synced two files on the
    // event loop every few dozen Creates. Should the worker fail, SQLite's own checkpoints take over.
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startWalCheckpointer(path, (reason) => {
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
      options.onWarning?.(`${reason}; checkpointing on the server thread instead`);
    });
  }
  return new SqliteStore(db, options.groupCommit === true, syncWal, checkpointer, options.syncWal ?? fdatasync, walLimit, options.syncWalNow ?? fdatasyncSync);
}

class SqliteStore implements ObjectStore {
  readonly #insertObject: Database.Statement;
  readonly #updateObject: Database.Statement;
  /** Updates that leave the indexed columns alone (see update()): SQLite then touches no index of objects. */
  readonly #updateState: Database.Statement;
  readonly #updateList: Database.Statement;
  /** The attributes table's rows of one object (attribute-rows.ts). */
  readonly #rows: AttributeRows;
  readonly #getObject: Database.Statement;
  readonly #sealedBelow: Database.Statement;
  readonly #replaceMaterial: Database.Statement;
  readonly #due: Database.Statement;
  /** Objects as this connection last read or wrote them (object-cache.ts). */
  readonly #cache: ObjectCache;
  readonly #locate = new Map<string, Database.Statement>();
  /** better-sqlite3 transaction function: BEGIN … COMMIT at the outermost call, SAVEPOINT … RELEASE inside. */
  readonly #tx: Database.Transaction<(fn: () => unknown) => unknown>;
  /** Set when material was wiped: once committed, the WAL still holds the old page images until checkpointed. */
  #wipePending = false;

  /** The COMMIT of the open group, when one is open. */
  #group: { readonly done: Promise<void>; resolve(): void; reject(e: unknown): void } | undefined;
  /** The latest committed group whose fdatasync has not returned: its sync covers every commit before it. */
  #syncing: Promise<void> | undefined;
  /** The open group waits for #syncing to return before it commits. */
  #commitAfterSync = false;
  /** COMMITs since the WAL's size was last looked at. */
  #commitsSinceWalCheck = 0;

  constructor(
    readonly db: Database.Database,
    readonly groupCommit = false,
    /** Descriptor of the WAL file, synced after each group's COMMIT; undefined: COMMIT syncs (FULL). */
    private readonly walFd?: number,
    private readonly checkpointer?: WalCheckpointer,
    private readonly syncWal: NonNullable<SqliteStoreOptions['syncWal']> = fdatasync,
    private readonly walLimit = WAL_LIMIT_BYTES,
    private readonly syncWalNow: (fd: number) => void = fdatasyncSync,
  ) {
    this.#insertObject = db.prepare(
      `INSERT INTO objects (uid, object_type, state, owner, archived, material, kek_version, attribute_list, unkeyed, usage_mask)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#updateObject = db.prepare(
      `UPDATE objects SET object_type = ?, state = ?, owner = ?, archived = ?, material = ?, kek_version = ?,
              attribute_list = ?, unkeyed = ?, usage_mask = ? WHERE uid = ?`,
    );
    this.#updateState = db.prepare('UPDATE objects SET state = ?, attribute_list = ?, unkeyed = ?, usage_mask = ? WHERE uid = ?');
    this.#updateList = db.prepare('UPDATE objects SET attribute_list = ?, unkeyed = ?, usage_mask = ? WHERE uid = ?');
    this.#rows = new AttributeRows(db);
    this.#getObject = db.prepare(
      'SELECT sequence, uid, object_type, state, owner, archived, material, kek_version, attribute_list FROM objects WHERE uid = ?',
    );
    this.#sealedBelow = db
      .prepare(
        'SELECT uid, material, kek_version FROM objects WHERE material IS NOT NULL AND kek_version < ? AND uid > ? ORDER BY uid LIMIT ?',
      )
      .raw(true);
    this.#replaceMaterial = db.prepare(
      'UPDATE objects SET material = ?, kek_version = ? WHERE uid = ? AND material = ? AND kek_version = ?',
    );
    this.#due = db.prepare(DUE_FOR_STATE_CHANGE_SQL).pluck(true);
    const dataVersion = db.prepare('PRAGMA data_version').pluck(true);
    this.#cache = new ObjectCache(() => dataVersion.get());
    this.#tx = db.transaction((fn: () => unknown) => fn());
  }

  transaction<T>(fn: () => T): T {
    if (this.groupCommit) return this.#grouped(fn);
    let result: T;
    try {
      result = this.#tx(fn) as T;
    } catch (e) {
      this.#cache.clear();
      // a rolled-back wipe wiped nothing
      if (!this.db.inTransaction) this.#wipePending = false;
      throw e;
    }
    if (!this.db.inTransaction) this.#afterCommit();
    return result;
  }

  durable(now = false): Promise<void> {
    const group = this.#group;
    if (now && group !== undefined && this.#syncing === undefined && this.walFd !== undefined) {
      this.#commitGroup(true);
      return group.done;
    }
    return group?.done ?? this.#syncing ?? Promise.resolve();
  }

  /** A transaction inside the open group (opened if need be): a savepoint, committed with the group. */
  #grouped<T>(fn: () => T): T {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN IMMEDIATE');
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      done.catch(() => undefined); // observed by whoever awaits durable(); never an unhandled rejection
      this.#group = { done, resolve, reject };
      // One sync at a time: with one running, the group stays open and grows until it returns. A COMMIT per
      // turn gathered ~5 transactions under 16 busy connections, and each COMMIT writes every page it dirtied.
      if (this.#syncing === undefined) setImmediate(() => this.#commitGroup());
      else this.#commitAfterSync = true;
    }
    try {
      return this.#tx(fn) as T;
    } catch (e) {
      this.#cache.clear();
      throw e;
    }
  }

  /** Commits the open group and syncs the WAL: on the thread pool, or with `here` on this thread. */
  #commitGroup(here = false): void {
    const group = this.#group;
    if (group === undefined) return;
    this.#group = undefined;
    try {
      this.db.exec('COMMIT');
    } catch (e) {
      this.#cache.clear();
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // the connection is gone: nothing more to undo here
      }
      this.#wipePending = false;
      group.reject(e);
      return;
    }
    this.#afterCommit();
    if (this.walFd === undefined) {
      group.resolve();
      return;
    }
    this.#boundWal(this.walFd);
    if (here) {
      // The caller's request is the only one in flight (durable(true)): the sync on the thread pool would cost a
      // turn of the loop and two thread hand-offs (its thread woken, then the loop), ~0.1 ms of each ~0.2 ms
      // sync here, while the loop has nothing else to do. Create + Activate on one connection: ~875 → ~985/s.
      try {
        this.syncWalNow(this.walFd);
      } catch (error) {
        group.reject(error); // as below: committed, maybe not on disk, and the client is told it failed
        return;
      }
      group.resolve();
      return;
    }
    this.#syncing = group.done;
    this.syncWal(this.walFd, (error) => {
      if (this.#syncing === group.done) this.#syncing = undefined;
      // committed but maybe not on disk: the clients waiting are told it failed (the disk is failing anyway)
      if (error !== null) group.reject(error);
      else group.resolve();
      if (this.#commitAfterSync) {
        this.#commitAfterSync = false;
        if (this.db.open) this.#commitGroup();
      }
    });
  }

  /**
   * Keeps the WAL within its bound (WAL_LIMIT_BYTES): no transaction is open here, so this connection's checkpoint
   * can copy every frame, and the next transaction rewinds the WAL. PASSIVE: if the worker is checkpointing at
   * this moment, SQLite says busy at once, and the look is made again after the next COMMIT rather than 32 later
   * (a WAL past its bound grows by a look's worth of groups each time it is missed). A failure is left to the
   * worker's checkpoints and the next look: the group is committed either way, and its own sync follows.
   */
  #boundWal(walFd: number): void {
    if (++this.#commitsSinceWalCheck < WAL_CHECK_EVERY) return;
    this.#commitsSinceWalCheck = 0;
    try {
      if (fstatSync(walFd).size <= this.walLimit) return;
      const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      if (result !== undefined && (result.busy !== 0 || result.checkpointed < result.log)) this.#commitsSinceWalCheck = WAL_CHECK_EVERY - 1;
    } catch {
      // nothing lost: the WAL stays as it is until a later look succeeds
    }
  }

  insert(object: ManagedObject): void {
    this.#cache.delete(object.uid);
    this.#atomically(object, () => {
      const list = encodeAttributeList(object.attributes);
      const info = this.#insertObject.run(object.uid, ...objectColumns(object, list, unkeyedText(object.attributes), usageMaskOf(object.attributes)));
      this.#rows.insert(object.uid, object.attributes);
      this.#remember({ ...object, sequence: Number(info.lastInsertRowid) });
    });
  }

  update(object: ManagedObject): void {
    // the object as stored, if cached (checked against other connections' commits): its rows need not be read
    const previous = this.db.inTransaction ? this.#cache.get(object.uid, true) : undefined;
    this.#cache.delete(object.uid);
    this.#atomically(object, () => {
      const list = encodeAttributeList(object.attributes);
      const unkeyed = unkeyedText(object.attributes);
      const mask = usageMaskOf(object.attributes);
      // SQLite rewrites the entries of every index over a column an UPDATE sets, changed or not: an Activate that
      // set all columns rewrote its owner and KEK-version entries too. When the stored object is known and only
      // its state and attributes moved, the narrower statement sets only those.
      const info =
        previous !== undefined && onlyStateOrListChanged(previous, object)
          ? previous.state === object.state
            ? this.#updateList.run(list, unkeyed, mask, object.uid)
            : this.#updateState.run(object.state, list, unkeyed, mask, object.uid)
          : this.#updateObject.run(...objectColumns(object, list, unkeyed, mask), object.uid);
      if (info.changes !== 1) throw new Error(`no object ${object.uid} to update`);
      this.#rows.update(object.uid, object.attributes, previous?.attributes);
      // cheap and conservative: any update without material may have wiped some
      if (object.material === undefined) this.#wipePending = true;
      if (object.sequence !== undefined) this.#remember(object);
    });
  }

  /**
   * Caches an object just written, as a read would return it, its byte strings copied where they view a larger
   * buffer (a request's, which the cache would otherwise keep alive). The next request on it (the Activate after
   * a Create, the poll after an Activate) then skips the read. A rollback empties the cache, so an entry never
   * outlives what it shows.
   */
  #remember(object: ManagedObject): void {
    this.#cache.setWritten({ ...object, archived: object.archived === true, attributes: detachedAttributes(object.attributes) });
  }

  /**
   * Runs a write of several statements as one unit without paying for a savepoint: the attributes are checked
   * first, so only the first statement (UID taken, UID unknown) can fail for a reason the caller may catch, and
   * a statement that fails leaves nothing behind. Outside a transaction it opens one (one commit, one fsync).
   */
  #atomically(object: ManagedObject, write: () => void): void {
    checkAttributeIndexes(object.uid, object.attributes);
    if (this.db.inTransaction) write();
    else this.transaction(write);
  }

  get(uid: string): ManagedObject | undefined {
    const cached = this.#cache.get(uid, this.db.inTransaction);
    if (cached !== undefined) return cached;
    const object = this.#read(uid);
    if (object !== undefined) this.#cache.set(object);
    return object;
  }

  #read(uid: string): ManagedObject | undefined {
    const row = this.#getObject.get(uid) as ObjectRow | undefined;
    if (row === undefined) return undefined;
    const attributes = decodeAttributeList(row.attribute_list);
    return {
      uid: row.uid,
      objectType: row.object_type,
      owner: row.owner,
      state: row.state,
      archived: row.archived === 1,
      attributes,
      material: row.material === null ? undefined : { blob: row.material, kekVersion: row.kek_version! },
      sequence: row.sequence,
    };
  }

  locate(query: LocateQuery): string[] {
    const { sql, params, confirm } = buildLocateSql(query);
    const stmt = this.#statement(sql, confirm.length === 0);
    if (confirm.length === 0) return stmt.all(...params) as string[];

    // Structures (and keyless values) are narrowed by SQL and confirmed here, a page of candidates at a time,
    // so the candidates held never exceed a page whatever the offset and the match rate.
    const offset = query.offsetItems ?? 0;
    const max = query.maxItems ?? Infinity;
    const page = Math.min(CONFIRM_PAGE_MAX, Math.max(CONFIRM_PAGE_MIN, offset + max));
    const out: string[] = [];
    let skipped = 0;
    let before = SEQUENCE_TOP;
    if (max <= 0) return out;
    for (;;) {
      const rows = stmt.all(...params, before, page) as [string, number][];
      for (const [uid, sequence] of rows) {
        before = sequence;
        if (!this.#confirms(uid, confirm)) continue;
        if (skipped < offset) skipped++;
        else if (out.push(uid) >= max) return out;
      }
      if (rows.length < page) return out;
    }
  }

  /** A candidate's values against the filters SQL only narrowed by; read without filling the cache with a scan. */
  #confirms(uid: string, filters: readonly EqualsFilter[]): boolean {
    const object = this.#cache.get(uid, this.db.inTransaction) ?? this.#read(uid);
    if (object === undefined) return false;
    return filters.every((f) => object.attributes.some((a) => a.name === f.name && valueMatches(a.value, f.value)));
  }

  #statement(sql: string, pluck: boolean): Database.Statement {
    let stmt = this.#locate.get(sql);
    if (stmt === undefined) {
      if (this.#locate.size >= LOCATE_STATEMENT_CACHE) this.#locate.delete(this.#locate.keys().next().value!);
      stmt = this.db.prepare(sql);
      if (pluck) stmt.pluck(true);
      else stmt.raw(true);
      this.#locate.set(sql, stmt);
    }
    return stmt;
  }

  sealedBelow(kekVersion: number, afterUid: string | undefined, limit: number): { uid: string; material: SealedMaterial }[] {
    return (this.#sealedBelow.all(kekVersion, afterUid ?? '', limit) as [string, Buffer, number][]).map(([uid, blob, version]) => ({
      uid,
      material: { blob, kekVersion: version },
    }));
  }

  replaceMaterial(uid: string, previous: SealedMaterial, next: SealedMaterial): boolean {
    this.#cache.delete(uid);
    const info = this.#replaceMaterial.run(materialBlob(next), next.kekVersion, uid, materialBlob(previous), previous.kekVersion);
    return info.changes === 1;
  }

  dueForStateChange(nowSeconds: bigint, limit: number): string[] {
    return this.#due.all(nowSeconds, nowSeconds, limit) as string[];
  }

  close(): void {
    this.#cache.clear();
    this.checkpointer?.stop();
    this.#commitAfterSync = false;
    if (this.#group !== undefined) this.#commitGroup();
    if (this.walFd !== undefined && this.db.open) {
      fdatasyncSync(this.walFd); // whatever the pending syncs have not covered yet
      closeSync(this.walFd);
    }
    if (this.db.open) {
      // keeps the planner's statistics current where they help (cheap; SQLite decides what to analyse)
      this.db.pragma('optimize');
      this.db.close();
    }
  }

  /**
   * Runs once the outermost transaction committed. A wipe zeroes the row in the database pages (secure_delete),
   * but the WAL still holds the page images written before it: a TRUNCATE checkpoint copies the current pages
   * back and empties the WAL, so the old ciphertext is in neither file.
   */
  #afterCommit(): void {
    if (!this.#wipePending) return;
    // busy (another connection reading an old snapshot): the WAL could not be emptied; retry after the next commit
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    this.#wipePending = result !== undefined && result.busy !== 0;
  }
}

/** The objects row's columns after uid, in the order the insert and the full update name them. */
function objectColumns(object: ManagedObject, list: Buffer, unkeyed: string, mask: number | null): unknown[] {
  return [
    object.objectType,
    object.state,
    object.owner,
    object.archived === true ? 1 : 0,
    materialBlob(object.material),
    object.material?.kekVersion ?? null,
    list,
    unkeyed,
    mask,
  ];
}

/** True when `next` differs from the stored `previous` in nothing but its state and attribute list. */
function onlyStateOrListChanged(previous: ManagedObject, next: ManagedObject): boolean {
  const a = previous.material;
  const b = next.material;
  const sameMaterial = a === b || (a !== undefined && b !== undefined && a.blob === b.blob && a.kekVersion === b.kekVersion);
  return (
    sameMaterial &&
    previous.objectType === next.objectType &&
    previous.owner === next.owner &&
    (previous.archived === true) === (next.archived === true)
  );
}

/** better-sqlite3 binds Buffers: wrap a Uint8Array without copying. */
function materialBlob(material: SealedMaterial | undefined): Buffer | null {
  if (material === undefined) return null;
  const b = material.blob;
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
