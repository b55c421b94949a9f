// The codec benchmark's input: six KMIP messages as TTLV trees, in 1.2 and 2.0 form (1.2 §7, §9.1.3; 2.0 §8, §11.54).
import { ttlv, type TtlvItem } from '../src/ttlv/index.js';

/**
 * Tag values (1.2 §9.1.3.1; 2.0 §11.54 for Attributes). Written here, not imported from src/kmip, so that the
 * benchmark measures the codec and nothing else, and stays valid while the dictionary changes.
 */
const tag = {
  activationDate: 0x420001,
  attribute: 0x420008,
  attributeName: 0x42000a,
  attributeValue: 0x42000b,
  attributes: 0x420125, // 2.0 only
  batchCount: 0x42000d,
  batchItem: 0x42000f,
  cryptographicAlgorithm: 0x420028,
  cryptographicLength: 0x42002a,
  keyBlock: 0x420040,
  keyFormatType: 0x420042,
  keyMaterial: 0x420043,
  keyValue: 0x420045,
  name: 0x420053,
  objectGroup: 0x420056,
  nameType: 0x420054,
  nameValue: 0x420055,
  objectType: 0x420057,
  operation: 0x42005c,
  protocolVersion: 0x420069,
  protocolVersionMajor: 0x42006a,
  protocolVersionMinor: 0x42006b,
  requestHeader: 0x420077,
  requestMessage: 0x420078,
  requestPayload: 0x420079,
  responseHeader: 0x42007a,
  responseMessage: 0x42007b,
  responsePayload: 0x42007c,
  resultStatus: 0x42007f,
  secretData: 0x420085,
  secretDataType: 0x420086,
  state: 0x42008d,
  symmetricKey: 0x42008f,
  templateAttribute: 0x420091,
  timeStamp: 0x420092,
  uniqueIdentifier: 0x420094,
} as const;

/** Enumeration values used below (1.2 §9.1.3.2). */
const operation = { create: 0x01, register: 0x03, locate: 0x08, get: 0x0a } as const;
const objectType = { symmetricKey: 0x02, secretData: 0x07 } as const;
const resultStatusSuccess = 0x00;
const keyFormatType = { raw: 0x01, opaque: 0x02 } as const;
const cryptographicAlgorithmAes = 0x03;
const nameTypeUninterpretedTextString = 0x01;
const stateActive = 0x02;
const secretDataTypeSeed = 0x02;

export type KmipBenchVersion = '1.2' | '2.0';

export interface BenchMessage {
  /** Stable key for tables and the JSON line, e.g. "get_response_1.2". */
  readonly name: string;
  readonly kind: 'request' | 'response';
  readonly version: KmipBenchVersion;
  readonly description: string;
  readonly tree: TtlvItem;
}

/** A fixed instant (2023-11-14T22:13:20Z) so that every run encodes the same bytes. */
const TIME_STAMP = 1_700_000_000n;
const KEY_UID = '3c1c3d57-2f5b-4a36-9d2c-7a1e5b0f8c41';
/**
 * No Text String here has a length that is a multiple of 8: PyKMIP 0.10's TextString keeps a padding length of 8
 * for those after a read and writes 8 stray zero bytes on re-encode, so its encode would not reproduce the input.
 * That is also why the attribute sets leave out Cryptographic Usage Mask (a 24-character Attribute Name).
 */
const OBJECT_GROUP = 'payroll-db-keys';

function protocolVersion(v: KmipBenchVersion): TtlvItem {
  const [major, minor] = v === '1.2' ? [1, 2] : [2, 0];
  return ttlv.structure(tag.protocolVersion, [
    ttlv.integer(tag.protocolVersionMajor, major),
    ttlv.integer(tag.protocolVersionMinor, minor),
  ]);
}

function responseMessage(v: KmipBenchVersion, op: number, payload: TtlvItem[]): TtlvItem {
  return ttlv.structure(tag.responseMessage, [
    ttlv.structure(tag.responseHeader, [
      protocolVersion(v),
      ttlv.dateTime(tag.timeStamp, TIME_STAMP),
      ttlv.integer(tag.batchCount, 1),
    ]),
    ttlv.structure(tag.batchItem, [
      ttlv.enumeration(tag.operation, op),
      ttlv.enumeration(tag.resultStatus, resultStatusSuccess),
      ttlv.structure(tag.responsePayload, payload),
    ]),
  ]);
}

function requestMessage(v: KmipBenchVersion, op: number, payload: TtlvItem[]): TtlvItem {
  return ttlv.structure(tag.requestMessage, [
    ttlv.structure(tag.requestHeader, [protocolVersion(v), ttlv.integer(tag.batchCount, 1)]),
    ttlv.structure(tag.batchItem, [
      ttlv.enumeration(tag.operation, op),
      ttlv.structure(tag.requestPayload, payload),
    ]),
  ]);
}

/** 1.x Attribute {Attribute Name, Attribute Value} (1.2 §2.1.1); the value item carries the Attribute Value tag. */
function attribute1x(name: string, value: TtlvItem): TtlvItem {
  return ttlv.structure(tag.attribute, [
    ttlv.textString(tag.attributeName, name),
    { ...value, tag: tag.attributeValue } as TtlvItem,
  ]);
}

function nameStructure(itemTag: number, value: string): TtlvItem {
  return ttlv.structure(itemTag, [
    ttlv.textString(tag.nameValue, value),
    ttlv.enumeration(tag.nameType, nameTypeUninterpretedTextString),
  ]);
}

/** Deterministic filler, so that runs are comparable and nothing depends on an RNG. */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/**
 * Get response for a 256-bit AES key, Raw format. In 1.2 the Key Value carries three Attribute structures
 * (Name, Object Group, State), 488 bytes in all. The 2.0 Key Value would carry them in an
 * Attributes structure (2.0 §3.2), which PyKMIP 0.10 cannot read (its KeyValue only loops over Attribute),
 * so the 2.0 form has none: the same key, 2.0 header.
 */
function getResponse(v: KmipBenchVersion): TtlvItem {
  const keyValue: TtlvItem[] = [ttlv.byteString(tag.keyMaterial, pattern(32, 7))];
  if (v === '1.2') {
    keyValue.push(
      attribute1x('Name', nameStructure(tag.attributeValue, 'payroll-db-column-key-1')),
      attribute1x('Object Group', ttlv.textString(tag.attributeValue, OBJECT_GROUP)),
      attribute1x('State', ttlv.enumeration(tag.attributeValue, stateActive)),
    );
  }
  return responseMessage(v, operation.get, [
    ttlv.enumeration(tag.objectType, objectType.symmetricKey),
    ttlv.textString(tag.uniqueIdentifier, KEY_UID),
    ttlv.structure(tag.symmetricKey, [
      ttlv.structure(tag.keyBlock, [
        ttlv.enumeration(tag.keyFormatType, keyFormatType.raw),
        ttlv.structure(tag.keyValue, keyValue),
        ttlv.enumeration(tag.cryptographicAlgorithm, cryptographicAlgorithmAes),
        ttlv.integer(tag.cryptographicLength, 256),
      ]),
    ]),
  ]);
}

/** Create request for an AES-256 key with five attributes: 1.2 Template-Attribute, 2.0 Attributes. */
function createRequest(v: KmipBenchVersion): TtlvItem {
  const name = 'payroll-db-column-key-1';
  const activation = TIME_STAMP + 3600n;
  const attributes =
    v === '1.2'
      ? ttlv.structure(tag.templateAttribute, [
          attribute1x('Cryptographic Algorithm', ttlv.enumeration(0, cryptographicAlgorithmAes)),
          attribute1x('Cryptographic Length', ttlv.integer(0, 256)),
          attribute1x('Name', nameStructure(0, name)),
          attribute1x('Object Group', ttlv.textString(0, OBJECT_GROUP)),
          attribute1x('Activation Date', ttlv.dateTime(0, activation)),
        ])
      : ttlv.structure(tag.attributes, [
          ttlv.enumeration(tag.cryptographicAlgorithm, cryptographicAlgorithmAes),
          ttlv.integer(tag.cryptographicLength, 256),
          nameStructure(tag.name, name),
          ttlv.textString(tag.objectGroup, OBJECT_GROUP),
          ttlv.dateTime(tag.activationDate, activation),
        ]);
  return requestMessage(v, operation.create, [ttlv.enumeration(tag.objectType, objectType.symmetricKey), attributes]);
}

/** Locate response listing 1,000 Unique Identifiers (1.2 §4.9). */
function locateResponse(count: number): TtlvItem {
  const ids: TtlvItem[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(ttlv.textString(tag.uniqueIdentifier, `6f1d3a52-0c7e-4b8a-9e21-${i.toString(16).padStart(12, '0')}`));
  }
  return responseMessage('1.2', operation.locate, ids);
}

/** Register request for a 64 KiB Secret Data (Seed, Opaque key format) with a Name (1.2 §4.3, §2.2.7). */
function registerRequest(size: number): TtlvItem {
  return requestMessage('1.2', operation.register, [
    ttlv.enumeration(tag.objectType, objectType.secretData),
    ttlv.structure(tag.templateAttribute, [attribute1x('Name', nameStructure(0, 'backup-seed-2023-11'))]),
    ttlv.structure(tag.secretData, [
      ttlv.enumeration(tag.secretDataType, secretDataTypeSeed),
      ttlv.structure(tag.keyBlock, [
        ttlv.enumeration(tag.keyFormatType, keyFormatType.opaque),
        ttlv.structure(tag.keyValue, [ttlv.byteString(tag.keyMaterial, pattern(size, 3))]),
      ]),
    ]),
  ]);
}

export const LARGE_BYTE_STRING_LENGTH = 64 * 1024;

export function benchMessages(): BenchMessage[] {
  return [
    { name: 'get_response_1.2', kind: 'response', version: '1.2', description: 'Get response, AES-256 Raw key + 3 attributes', tree: getResponse('1.2') },
    { name: 'get_response_2.0', kind: 'response', version: '2.0', description: 'Get response, AES-256 Raw key', tree: getResponse('2.0') },
    { name: 'create_request_1.2', kind: 'request', version: '1.2', description: 'Create request, 5 attributes in Template-Attribute', tree: createRequest('1.2') },
    { name: 'create_request_2.0', kind: 'request', version: '2.0', description: 'Create request, 5 attributes in Attributes', tree: createRequest('2.0') },
    { name: 'locate_response_1.2', kind: 'response', version: '1.2', description: 'Locate response, 1,000 Unique Identifiers', tree: locateResponse(1000) },
    { name: 'register_request_1.2', kind: 'request', version: '1.2', description: 'Register request, 64 KiB Secret Data', tree: registerRequest(LARGE_BYTE_STRING_LENGTH) },
  ];
}
