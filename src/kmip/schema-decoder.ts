// Bytes → typed KMIP structure in one pass, by its schema: a field with a schema becomes a typed object as its
// bytes are read, any other field its value (or TtlvItem, for a Structure), with no tree in between (1.4 §7; 2.1 §8).
import { TtlvReader } from '../ttlv/decode.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvLimits } from '../ttlv/limits.js';
import { TtlvError } from '../ttlv/ttlv-error.js';
import { compiled, type ReadOptions, type StructureSchema } from './structure-schema.js';
import { versionRank } from './versions.js';

/** Thrown inside the reader when the structure is not what the schema allows; never escapes this file. */
const MISMATCH = new Error('not a plain instance of the schema');

/**
 * The fast path of readStructure(decodeTtlv(bytes), schema, opts). When it returns an object, that pair would
 * return an equal one (same keys in the same order, same values, Byte Strings views into `bytes`). On any fault,
 * in the bytes or in the structure, it returns undefined and the caller takes the tree path, which names the
 * fault with its usual error: so this reader may stop at the first oddity and never has to rank faults.
 */
export function decodeStructure(
  bytes: Uint8Array,
  schema: StructureSchema,
  opts: ReadOptions,
  limits: TtlvLimits,
): Record<string, unknown> | undefined {
  try {
    const r = new TtlvReader(bytes, limits);
    r.head(bytes.length, 1, false);
    const out = readTyped(r, schema, opts, versionRank(opts.version), bytes.length, 1);
    r.finish();
    return out;
  } catch (e) {
    if (e instanceof TtlvError || e === MISMATCH) return undefined;
    throw e;
  }
}

/** The item whose header `r` just read, as `schema`; the same rules as readStructure, met or MISMATCH. */
function readTyped(
  r: TtlvReader,
  schema: StructureSchema,
  opts: ReadOptions,
  rank: number,
  end: number,
  depth: number,
): Record<string, unknown> {
  if (r.tag !== schema.tag || r.type !== ItemType.Structure) throw MISMATCH;
  const childEnd = r.enter(end, depth);
  const view = compiled(schema, opts.version, rank);
  const fields = view.fields;
  const out: Record<string, unknown> = {};
  // Fields usually arrive in schema order, optional ones left out: look ahead from the last one read before
  // asking the Map, and skip the repeat check for a field past every one read so far (it cannot have been read).
  let expected = 0;
  let highest = -1;
  let required = 0;
  while (r.pos < childEnd) {
    r.head(childEnd, depth + 1, false);
    let i: number | undefined = expected;
    while (i < fields.length && fields[i]!.tag !== r.tag) i++;
    if (i === fields.length) i = view.indexByTag.get(r.tag);
    if (i === undefined) {
      if (!opts.ignoreUnknown) throw MISMATCH;
      r.rest(childEnd, depth + 1, false);
      continue;
    }
    const field = fields[i]!;
    if (r.type !== field.type) throw MISMATCH;
    const value =
      field.schema !== undefined
        ? readTyped(r, field.schema, opts, rank, childEnd, depth + 1)
        : field.type === ItemType.Structure
          ? r.rest(childEnd, depth + 1, false)
          : r.scalar(childEnd, depth + 1);
    if (field.repeated) {
      const list = out[field.key] as unknown[] | undefined;
      if (list === undefined) {
        out[field.key] = [value];
        if (field.required) required++;
      } else {
        list.push(value);
      }
    } else {
      if (i <= highest && out[field.key] !== undefined) throw MISMATCH;
      out[field.key] = value;
      if (field.required) required++;
    }
    if (i > highest) highest = i;
    expected = i + 1;
  }
  if (required !== view.required.length) throw MISMATCH;
  return out;
}
