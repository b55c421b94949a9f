// Table-driven reading and writing of KMIP structures: a schema lists each field's tag, type, multiplicity and
// the versions that define it, and one reader/writer serves every structure (1.4 §2, §7; 2.1 §8).
import { ItemType, type ItemTypeCode } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { KmipError } from './kmip-error.js';
import { definedIn, versionRank, type KmipVersion } from './versions.js';

export interface FieldDef {
  /** Property name in the typed object: the tag's name in camelCase. */
  readonly key: string;
  readonly tag: number;
  readonly type: ItemTypeCode;
  readonly required?: boolean;
  readonly repeated?: boolean;
  readonly since?: KmipVersion;
  readonly until?: KmipVersion;
  /** For a Structure field: read it as this schema; absent, the field keeps its TtlvItem. */
  readonly schema?: StructureSchema;
}

export interface StructureSchema {
  readonly name: string;
  readonly tag: number;
  readonly fields: readonly FieldDef[];
  /**
   * Built by defineStructure: the field definitions by tag, for one lookup per child. A tag has several when
   * its type changed between versions (Asynchronous Indicator: Boolean in 1.x, Enumeration in 2.x).
   */
  readonly byTag: ReadonlyMap<number, readonly FieldDef[]>;
  /** The compiled view per version rank, filled on first use. */
  readonly compiled: (Compiled | undefined)[];
}

export function defineStructure(name: string, tag: number, fields: readonly FieldDef[]): StructureSchema {
  const byTag = new Map<number, FieldDef[]>();
  for (const f of fields) byTag.set(f.tag, [...(byTag.get(f.tag) ?? []), f]);
  return { name, tag, fields, byTag, compiled: [] };
}

/**
 * A field as a compiled view holds it: every property present, so that all fields share one object shape and
 * the readers' and writers' property loads stay monomorphic (FieldDef literals have as many shapes as their
 * optional properties have combinations).
 */
export interface CompiledField {
  readonly key: string;
  readonly tag: number;
  readonly type: ItemTypeCode;
  readonly required: boolean;
  readonly repeated: boolean;
  readonly schema: StructureSchema | undefined;
}

/** A schema as one version sees it, computed once: the hot path does one Map lookup per child. */
export interface Compiled {
  readonly byTag: ReadonlyMap<number, CompiledField>;
  /** Position in `fields` by tag, for readers that track fields by position. */
  readonly indexByTag: ReadonlyMap<number, number>;
  /** Position in `fields` by key, for writers that take an object's properties in their own order. */
  readonly indexByKey: ReadonlyMap<string, number>;
  readonly required: readonly CompiledField[];
  readonly fields: readonly CompiledField[];
}

/** The schema's view for `version` (whose rank is `rank`, when the caller has it), compiled on first use. */
export function compiled(schema: StructureSchema, version: KmipVersion, rank = versionRank(version)): Compiled {
  return schema.compiled[rank] ?? compile(schema, version, rank);
}

function compile(schema: StructureSchema, version: KmipVersion, rank: number): Compiled {
  const fields: CompiledField[] = schema.fields
    .filter((f) => definedIn(version, f.since ?? '1.0', f.until))
    .map((f) => ({
      key: f.key,
      tag: f.tag,
      type: f.type,
      required: f.required === true,
      repeated: f.repeated === true,
      schema: f.schema,
    }));
  const c: Compiled = {
    byTag: new Map(fields.map((f) => [f.tag, f])),
    indexByTag: new Map(fields.map((f, i) => [f.tag, i])),
    indexByKey: new Map(fields.map((f, i) => [f.key, i])),
    required: fields.filter((f) => f.required),
    fields,
  };
  schema.compiled[rank] = c;
  return c;
}

export interface ReadOptions {
  readonly version: KmipVersion;
  /**
   * A message in a newer minor version than ours is read as our highest of its major, its unknown fields
   * ignored (1.4 §11.1 / 2.1 §11); otherwise a field the version does not define is Invalid Field.
   */
  readonly ignoreUnknown: boolean;
}

const hex = (tag: number): string => `0x${tag.toString(16).toUpperCase().padStart(6, '0')}`;

/** Read a structure into a plain object keyed by the schema's keys; faults are KmipErrors with their reason. */
export function readStructure(item: TtlvItem, schema: StructureSchema, opts: ReadOptions): Record<string, unknown> {
  if (item.tag !== schema.tag || item.type !== ItemType.Structure) {
    throw new KmipError('InvalidMessage', `expected ${schema.name} (${hex(schema.tag)}) as a Structure`);
  }
  const view = compiled(schema, opts.version);
  const out: Record<string, unknown> = {};
  for (const child of item.value) {
    const field = view.byTag.get(child.tag);
    if (field === undefined) {
      if (opts.ignoreUnknown) continue;
      throw new KmipError('InvalidField', `${schema.name} has no field ${hex(child.tag)} in KMIP ${opts.version}`);
    }
    if (child.type !== field.type) {
      throw new KmipError('InvalidMessage', `${schema.name}.${field.key} has item type ${child.type}, expected ${field.type}`);
    }
    const value = field.schema !== undefined ? readStructure(child, field.schema, opts) : child.type === ItemType.Structure ? child : child.value;
    if (field.repeated) {
      const list = out[field.key] as unknown[] | undefined;
      if (list === undefined) out[field.key] = [value];
      else list.push(value);
    } else if (out[field.key] !== undefined) {
      throw new KmipError('InvalidMessage', `${schema.name}.${field.key} may not be repeated`);
    } else {
      out[field.key] = value;
    }
  }
  for (const field of view.required) {
    if (out[field.key] === undefined) {
      throw new KmipError('InvalidMessage', `${schema.name} lacks its required ${field.key}`);
    }
  }
  return out;
}

/**
 * Write a typed object as a structure, fields in schema order. Fields the version does not define are
 * left out: a client is never sent a field its version does not know.
 */
export function writeStructure(obj: object, schema: StructureSchema, version: KmipVersion): TtlvItem {
  const src = obj as Record<string, unknown>;
  const children: TtlvItem[] = [];
  for (const field of compiled(schema, version).fields) {
    const value = src[field.key];
    if (value === undefined) continue;
    if (field.repeated) {
      for (const v of value as unknown[]) children.push(writeField(field, v, version));
    } else {
      children.push(writeField(field, value, version));
    }
  }
  return { tag: schema.tag, type: ItemType.Structure, value: children };
}

function writeField(field: CompiledField, value: unknown, version: KmipVersion): TtlvItem {
  if (field.schema !== undefined) return writeStructure(value as object, field.schema, version);
  if (field.type === ItemType.Structure) return value as TtlvItem;
  return { tag: field.tag, type: field.type, value } as TtlvItem;
}
