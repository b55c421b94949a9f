// Interop (2.0 §6.1.25; 2.1 §6.1.26): marks the Begin, End or Reset of an interoperability test case. For testing
// only: the dispatch table offers it only when kmipd runs with testMode, and Query never lists it.
// Errors: Invalid Field for an unknown Interop Function; Invalid Message for a malformed payload.
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv } from '../ttlv/ttlv-item.js';
import type { OperationRun } from './operation.js';

const RequestSchema = defineStructure('InteropRequestPayload', Tag.RequestPayload, [
  { key: 'interopFunction', tag: Tag.InteropFunction, type: T.Enumeration, required: true },
  { key: 'interopIdentifier', tag: Tag.InteropIdentifier, type: T.TextString, required: true },
]);

const FUNCTIONS: ReadonlyMap<number, string> = new Map(Object.entries(Enum.InteropFunction).map(([k, v]) => [v, k]));

export const interop: OperationRun = (payload, ctx) => {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as { interopFunction: number; interopIdentifier: string };
  const fn = FUNCTIONS.get(req.interopFunction);
  if (fn === undefined) throw new KmipError('InvalidField', `unknown Interop Function 0x${req.interopFunction.toString(16)}`);
  // The test case is marked in the audit trail, so a test run's records can be cut by case.
  ctx.note('interop', { function: fn, identifier: req.interopIdentifier });
  return { payload: ttlv.structure(Tag.ResponsePayload, []) };
};
