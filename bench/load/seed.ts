// Grows kmipd's store to a given number of objects for the Locate workload, directly in its SQLite file while the
// server is stopped (openSqliteStore, one transaction): each new object is a copy of one object kmipd created,
// with its own Unique Identifier and Name. The copies keep the template's sealed material, which is bound to the
// template's UID, so they can be located but not fetched: Locate never unseals.
import { Tag } from '../../src/kmip/tag.js';
import type { AttributeInstance } from '../../src/model/attribute.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { ItemType, ttlv } from '../../src/ttlv/index.js';

/** Names of seeded objects: fixed width, so that every Name is as long as every other. */
export const seedName = (i: number): string => `seed-${String(i).padStart(8, '0')}`;

export interface SeedResult {
  readonly before: number;
  readonly after: number;
  readonly seconds: number;
}

/** Adds objects seedName(before) … seedName(target - 1) until the store holds `target` objects. */
export function seedStore(dbFile: string, templateUid: string, target: number): SeedResult {
  const started = performance.now();
  const store = openSqliteStore(dbFile);
  try {
    // this connection only: a large cache, so the indexes being built stay in memory
    store.db.pragma('cache_size = -1048576');
    const before = (store.db.prepare('SELECT count(*) FROM objects').pluck().get() as number);
    const template = store.get(templateUid);
    if (template === undefined) throw new Error(`template object ${templateUid} is not in ${dbFile}`);
    const name0 = template.attributes.find((a) => a.name === 'Name');
    if (name0 === undefined || name0.value.type !== ItemType.Structure) throw new Error('the template object has no Name');
    const nameRest = name0.value.value.filter((c) => c.tag !== Tag.NameValue);
    store.transaction(() => {
      for (let i = before; i < target; i++) {
        const uid = `seed-uid-${String(i).padStart(10, '0')}`;
        const nameValue = ttlv.structure(Tag.Name, [ttlv.textString(Tag.NameValue, seedName(i)), ...nameRest]);
        // the template's attributes in their order, the UID and the (one) Name replaced
        const attributes: AttributeInstance[] = template.attributes.map((a) =>
          a.name === 'UniqueIdentifier'
            ? { ...a, value: ttlv.textString(Tag.UniqueIdentifier, uid) }
            : a.name === 'Name'
              ? { ...a, value: nameValue }
              : a,
        );
        store.insert({ ...template, uid, attributes, sequence: undefined });
      }
    });
    return { before, after: Math.max(before, target), seconds: (performance.now() - started) / 1000 };
  } finally {
    store.close();
  }
}
