// Typed KMIP structure → bytes in one pass, by its schema: fields are written straight into the encoder's
// scratch buffer in schema order, with no tree in between (1.4 §7, §9.1.1; 2.1 §8, §9.1.1).
import { closeStructure, encodedBytes, encodeTtlv, openStructure, writeItem, writeValue } from '../ttlv/encode.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { compiled, writeStructure, type Compiled, type CompiledField, type StructureSchema } from './structure-schema.js';
import { versionRank, type KmipVersion } from './versions.js';

/**
 * encodeTtlv(writeStructure(obj, schema, version)), byte for byte, without the tree. Should anything throw
 * (a value of the wrong kind, an out-of-range number), that pair runs instead and throws its own error, so
 * callers see exactly the error they always have.
 */
export function encodeStructure(obj: object, schema: StructureSchema, version: KmipVersion): Buffer {
  try {
    return encodedBytes(writeTyped(obj as Record<string, unknown>, schema, version, versionRank(version), 0));
  } catch {
    return encodeTtlv(writeStructure(obj, schema, version));
  }
}

/** Write `src` as `schema` at `pos`, fields in schema order, those the version lacks left out; returns its end. */
function writeTyped(src: Record<string, unknown>, schema: StructureSchema, version: KmipVersion, rank: number, pos: number): number {
  const view = compiled(schema, version, rank);
  const start = openStructure(pos);
  let end = -1;
  if (Object.getPrototypeOf(src) === Object.prototype) end = writeInKeyOrder(src, view, version, rank, start);
  if (end < 0) end = writeInFieldOrder(src, view, version, rank, start);
  return closeStructure(pos, schema.tag, end);
}

/**
 * The fields of a plain object, visited in its own key order (for…in: no lookup of the many absent optional
 * fields, each of which would walk the prototype chain). Typed objects are built in schema order, as decode
 * builds them and as callers write their literals; when one is not, this returns -1 and the caller writes
 * field by field instead. (Typed messages are plain data: an own property made non-enumerable would be missed.)
 */
function writeInKeyOrder(src: Record<string, unknown>, view: Compiled, version: KmipVersion, rank: number, pos: number): number {
  const fields = view.fields;
  let next = 0;
  let p = pos;
  for (const key in src) {
    // Look ahead from the last field written: absent optional fields are skipped over, not looked up.
    let i = next;
    while (i < fields.length && fields[i]!.key !== key) i++;
    if (i === fields.length) {
      if (view.indexByKey.has(key)) return -1; // a field before one already written: out of schema order
      continue; // not a field of this structure in this version: writeStructure leaves it out too
    }
    next = i + 1;
    p = writeFieldValue(fields[i]!, src[key], version, rank, p);
  }
  return p;
}

/** writeStructure's loop: every field of the version, in schema order. */
function writeInFieldOrder(src: Record<string, unknown>, view: Compiled, version: KmipVersion, rank: number, pos: number): number {
  let p = pos;
  for (const field of view.fields) p = writeFieldValue(field, src[field.key], version, rank, p);
  return p;
}

/** One field's value (each element, for a repeated field); nothing for undefined. */
function writeFieldValue(field: CompiledField, value: unknown, version: KmipVersion, rank: number, pos: number): number {
  if (value === undefined) return pos;
  if (!field.repeated) return writeOne(field, value, version, rank, pos);
  let p = pos;
  for (const v of value as unknown[]) p = writeOne(field, v, version, rank, p);
  return p;
}

function writeOne(field: CompiledField, value: unknown, version: KmipVersion, rank: number, pos: number): number {
  if (field.schema !== undefined) return writeTyped(value as Record<string, unknown>, field.schema, version, rank, pos);
  if (field.type === ItemType.Structure) return writeItem(value as TtlvItem, pos);
  return writeValue(field.tag, field.type, value, pos);
}
