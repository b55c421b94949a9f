// Discover Versions (1.1 §4.26; 1.4 §4.26; 2.1 §6.1.19): the versions both sides speak, in our order of preference.
// Errors: a malformed payload is Invalid Message / Invalid Field (from the payload schema).
import { ItemType as T } from '../ttlv/item-type.js';
import { ProtocolVersionSchema, type ProtocolVersion } from '../kmip/message-schema.js';
import { defineStructure, readStructure, writeStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { OperationRun } from './operation.js';

const RequestSchema = defineStructure('DiscoverVersionsRequestPayload', Tag.RequestPayload, [
  { key: 'protocolVersion', tag: Tag.ProtocolVersion, type: T.Structure, repeated: true, schema: ProtocolVersionSchema },
]);
const ResponseSchema = defineStructure('DiscoverVersionsResponsePayload', Tag.ResponsePayload, [
  { key: 'protocolVersion', tag: Tag.ProtocolVersion, type: T.Structure, repeated: true, schema: ProtocolVersionSchema },
]);

export const discoverVersions: OperationRun = (payload, ctx) => {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    protocolVersion?: ProtocolVersion[];
  };
  const ours = ctx.server.protocolVersions.map((v) => {
    const [major, minor] = v.split('.').map(Number) as [number, number];
    return { protocolVersionMajor: major, protocolVersionMinor: minor };
  });
  const theirs = req.protocolVersion;
  // No list: all of ours. Otherwise the intersection, in our order of preference; possibly empty.
  const answer =
    theirs === undefined
      ? ours
      : ours.filter((o) =>
          theirs.some((t) => t.protocolVersionMajor === o.protocolVersionMajor && t.protocolVersionMinor === o.protocolVersionMinor),
        );
  return { payload: writeStructure({ protocolVersion: answer }, ResponseSchema, ctx.version) };
};
