// Query (1.4 §4.25; 2.1 §6.1.37): what this server really supports, per Query Function, in the client's version.
// Errors: a malformed payload is Invalid Message / Invalid Field; Query Functions we cannot answer are left out.
import { Enum } from '../kmip/enum.js';
import { defineStructure, readStructure, writeStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { profileInformation } from './claimed-profiles.js';
import type { OperationContext, OperationRun } from './operation.js';

const RequestSchema = defineStructure('QueryRequestPayload', Tag.RequestPayload, [
  { key: 'queryFunction', tag: Tag.QueryFunction, type: T.Enumeration, repeated: true },
  { key: 'objectGroup', tag: Tag.ObjectGroup, type: T.TextString, repeated: true, since: '2.1' },
]);

/** Response fields in the order of 1.4 Table 182 / 2.1 Table 283. */
const ResponseSchema = defineStructure('QueryResponsePayload', Tag.ResponsePayload, [
  { key: 'operation', tag: Tag.Operation, type: T.Enumeration, repeated: true },
  { key: 'objectType', tag: Tag.ObjectType, type: T.Enumeration, repeated: true },
  { key: 'vendorIdentification', tag: Tag.VendorIdentification, type: T.TextString },
  { key: 'serverInformation', tag: Tag.ServerInformation, type: T.Structure },
  { key: 'applicationNamespace', tag: Tag.ApplicationNamespace, type: T.TextString, repeated: true },
  { key: 'extensionInformation', tag: Tag.ExtensionInformation, type: T.Structure, repeated: true, since: '1.1' },
  { key: 'attestationType', tag: Tag.AttestationType, type: T.Enumeration, repeated: true, since: '1.2' },
  { key: 'rngParameters', tag: Tag.RNGParameters, type: T.Structure, repeated: true, since: '1.3' },
  { key: 'profileInformation', tag: Tag.ProfileInformation, type: T.Structure, repeated: true, since: '1.3' },
  { key: 'validationInformation', tag: Tag.ValidationInformation, type: T.Structure, repeated: true, since: '1.3' },
  { key: 'capabilityInformation', tag: Tag.CapabilityInformation, type: T.Structure, repeated: true, since: '1.3' },
  { key: 'clientRegistrationMethod', tag: Tag.ClientRegistrationMethod, type: T.Enumeration, repeated: true, since: '1.3' },
  { key: 'defaultsInformation', tag: Tag.DefaultsInformation, type: T.Structure, since: '2.0' },
  { key: 'protectionStorageMasks', tag: Tag.ProtectionStorageMasks, type: T.Structure, since: '2.0' },
]);

type Answer = Record<string, unknown>;
const QF = Enum.QueryFunction;

/**
 * Each Query Function and how it is answered. Functions whose honest answer is "none" (application
 * namespaces, extensions, attestation types, validations, client registration methods) contribute nothing;
 * Query Profiles before 1.3 (no Profile Name there) contributes nothing either.
 */
const ANSWERS: ReadonlyMap<number, (ctx: OperationContext, out: Answer) => void> = new Map<number, (ctx: OperationContext, out: Answer) => void>([
  [QF.QueryOperations, (ctx, out) => void (out.operation = [...ctx.server.supportedOperations(ctx.version)])],
  [QF.QueryObjects, (ctx, out) => void (out.objectType = [...ctx.server.supportedObjectTypes(ctx.version)])],
  [
    QF.QueryServerInformation,
    (ctx, out) => {
      out.vendorIdentification = ctx.server.vendorIdentification;
      out.serverInformation = serverInformation(ctx);
    },
  ],
  [QF.QueryApplicationNamespaces, () => undefined],
  [QF.QueryExtensionList, () => undefined],
  [QF.QueryExtensionMap, () => undefined],
  [QF.QueryAttestationTypes, () => undefined],
  [QF.QueryValidations, () => undefined],
  [QF.QueryClientRegistrationMethods, () => undefined],
  // The profiles whose mandatory OASIS test cases kmipd passes, named as the client's version names them.
  [QF.QueryProfiles, (ctx, out) => void (out.profileInformation = profileInformation(ctx.version))],
  [
    QF.QueryRNGs,
    // Random bytes come from the PKCS#11 token's C_GenerateRandom, whose algorithm the token does not say.
    (_ctx, out) => void (out.rngParameters = [ttlv.structure(Tag.RNGParameters, [ttlv.enumeration(Tag.RNGAlgorithm, Enum.RNGAlgorithm.Unspecified)])]),
  ],
  [QF.QueryCapabilities, (ctx, out) => void (out.capabilityInformation = [capabilities(ctx)])],
  [QF.QueryDefaultsInformation, () => undefined],
  // An empty list is allowed when the server does not describe its protection storage (2.1 Table 283).
  [QF.QueryStorageProtectionMasks, (_ctx, out) => void (out.protectionStorageMasks = ttlv.structure(Tag.ProtectionStorageMasks, []))],
]);

export const query: OperationRun = (payload, ctx) => {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    queryFunction?: number[];
  };
  const out: Answer = {};
  for (const fn of new Set(req.queryFunction ?? [])) ANSWERS.get(fn)?.(ctx, out);
  return { payload: writeStructure(out, ResponseSchema, ctx.version) };
};

/** 2.x defines the Server Information fields (2.1 §7.? Table 389); in 1.x its content is vendor-specific. */
function serverInformation(ctx: OperationContext): TtlvItem {
  if (ctx.version.startsWith('1.')) return ttlv.structure(Tag.ServerInformation, []);
  return ttlv.structure(Tag.ServerInformation, [
    ttlv.textString(Tag.ServerName, ctx.server.productName),
    ttlv.textString(Tag.ServerVersion, ctx.server.productVersion),
    ttlv.textString(Tag.ProductName, ctx.server.productName),
  ]);
}

function capabilities(ctx: OperationContext): TtlvItem {
  const v = ctx.version;
  const fields: TtlvItem[] = [
    ttlv.boolean(Tag.StreamingCapability, false),
    ttlv.boolean(Tag.AsynchronousCapability, false),
    ttlv.boolean(Tag.AttestationCapability, false),
  ];
  if (v !== '1.3') {
    fields.push(ttlv.boolean(Tag.BatchUndoCapability, true), ttlv.boolean(Tag.BatchContinueCapability, true));
  }
  // Destroy wipes the key material (SQLite secure_delete) and keeps the metadata.
  fields.push(ttlv.enumeration(Tag.DestroyAction, Enum.DestroyAction.KeyMaterialDeleted));
  if (v.startsWith('2.')) fields.push(ttlv.boolean(Tag.QuantumSafeCapability, false));
  return ttlv.structure(Tag.CapabilityInformation, fields);
}
