// Create (1.4 §4.1; 2.1 §6.1.10): a new Symmetric Key from the token's RNG, sealed under the KEK.
// Errors: Missing Data (no algorithm/length), Invalid Field (unsupported object type, algorithm or length),
// attribute policy faults (Read Only / Single Valued / Unsupported / Invalid Attribute), Non Unique Name.
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure, writeStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { initialState } from '../model/lifecycle.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import {
  assertNamesUnique, clientAttributes, creationInputs, digestAttribute, inputDate, inputNumber, newUid,
  serverAttributes, services,
} from './object-access.js';
import { impliedAttributes } from './implied-attributes.js';
import { symmetricKeyBytes, symmetricKeyObject } from './key-material.js';
import type { OperationRun } from './operation.js';

const RequestSchema = defineStructure('CreateRequestPayload', Tag.RequestPayload, [
  { key: 'objectType', tag: Tag.ObjectType, type: T.Enumeration, required: true },
  { key: 'templateAttribute', tag: Tag.TemplateAttribute, type: T.Structure, until: '2.0' },
  { key: 'attributes', tag: Tag.Attributes, type: T.Structure, since: '2.0' },
  { key: 'protectionStorageMasks', tag: Tag.ProtectionStorageMasks, type: T.Structure, since: '2.0' },
]);

export const ResponseSchema = defineStructure('CreateResponsePayload', Tag.ResponsePayload, [
  { key: 'objectType', tag: Tag.ObjectType, type: T.Enumeration, required: true },
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString, required: true },
]);

export const create: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    objectType: number;
    templateAttribute?: TtlvItem;
    attributes?: TtlvItem;
  };
  if (req.objectType !== Enum.ObjectType.SymmetricKey) {
    throw new KmipError('InvalidField', 'kmipd creates Symmetric Keys; register other objects');
  }
  const inputs = creationInputs(req.templateAttribute, req.attributes, ctx.version, ctx);
  const algorithm = inputNumber(inputs, 'CryptographicAlgorithm');
  const bits = inputNumber(inputs, 'CryptographicLength');
  const bytes = symmetricKeyBytes(algorithm, bits);
  const client = clientAttributes(inputs, req.objectType, ctx.version);
  assertNamesUnique(ctx, client, ctx.identity);

  const now = svc.now();
  const uid = newUid();
  const state = initialState(inputDate(inputs, 'ActivationDate'), now);
  const key = svc.keys.random(bytes);
  const content = encodeTtlv(symmetricKeyObject(key, algorithm!, bits!));
  try {
    const digest = digestAttribute(key, Enum.KeyFormatType.Raw);
    const material = svc.keys.seal(uid, content);
    const extra = [digest, { name: 'Fresh', index: 0, value: ttlv.boolean(Tag.Fresh, true) }];
    extra.push(...impliedAttributes({ uid, objectType: req.objectType, attributes: client, generated: true, keyFormatType: Enum.KeyFormatType.Raw }));
    svc.store.insert({
      uid,
      objectType: req.objectType,
      owner: ctx.identity,
      state,
      attributes: [...client, ...serverAttributes(uid, req.objectType, state, now, extra)],
      material,
    });
  } finally {
    key.fill(0);
    content.fill(0);
  }
  return {
    payload: writeStructure({ objectType: req.objectType, uniqueIdentifier: uid }, ResponseSchema, ctx.version),
    idPlaceholder: uid,
    uniqueIdentifiers: [uid],
  };
};
