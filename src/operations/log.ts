// Log (2.0 §6.1.28; 2.1 §6.1.29): writes the client's Log Message to the server log; the response payload is empty.
// Errors: Invalid Message / Invalid Field for a malformed payload (from the schema).
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv } from '../ttlv/ttlv-item.js';
import type { OperationRun } from './operation.js';

/** Longer messages are cut: one client must not be able to fill the log with a single request. */
export const MAX_LOG_MESSAGE_CHARS = 4096;

const RequestSchema = defineStructure('LogRequestPayload', Tag.RequestPayload, [
  { key: 'logMessage', tag: Tag.LogMessage, type: T.TextString, required: true },
]);

export const log: OperationRun = (payload, ctx) => {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as { logMessage: string };
  ctx.note('client-log', { message: req.logMessage.slice(0, MAX_LOG_MESSAGE_CHARS) });
  return { payload: ttlv.structure(Tag.ResponsePayload, []) };
};
