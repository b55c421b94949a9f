// Request and response message structures as field tables (1.4 §7.1–7.3, Tables 283–286; 2.1 §8.1–8.6, Tables 394–399).
import { ItemType as T } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { defineStructure } from './structure-schema.js';
import { Tag } from './tag.js';

export interface ProtocolVersion {
  readonly protocolVersionMajor: number;
  readonly protocolVersionMinor: number;
}

export interface MessageExtension {
  readonly vendorIdentification: string;
  readonly criticalityIndicator: boolean;
  readonly vendorExtension: TtlvItem;
}

export interface RequestHeader {
  readonly protocolVersion: ProtocolVersion;
  readonly maximumResponseSize?: number;
  readonly clientCorrelationValue?: string;
  readonly serverCorrelationValue?: string;
  /** Boolean in 1.x; an AsynchronousIndicator enumeration value in 2.x. */
  readonly asynchronousIndicator?: boolean | number;
  readonly attestationCapableIndicator?: boolean;
  readonly attestationType?: number[];
  /** Kept as a tree: credentials are read by the protocol layer and never logged. */
  readonly authentication?: TtlvItem;
  readonly batchErrorContinuationOption?: number;
  readonly batchOrderOption?: boolean;
  readonly timeStamp?: bigint;
  readonly batchCount: number;
}

export interface RequestBatchItem {
  readonly operation: number;
  readonly ephemeral?: boolean;
  readonly uniqueBatchItemID?: Uint8Array;
  /** The payload stays a tree: each operation reads its own. */
  readonly requestPayload: TtlvItem;
  readonly messageExtension?: MessageExtension[];
}

export interface RequestMessage {
  readonly requestHeader: RequestHeader;
  readonly batchItem: RequestBatchItem[];
}

export interface ResponseHeader {
  readonly protocolVersion: ProtocolVersion;
  readonly timeStamp: bigint;
  readonly nonce?: TtlvItem;
  readonly serverHashedPassword?: Uint8Array;
  readonly attestationType?: number[];
  readonly clientCorrelationValue?: string;
  readonly serverCorrelationValue?: string;
  readonly batchCount: number;
}

export interface ResponseBatchItem {
  readonly operation?: number;
  readonly uniqueBatchItemID?: Uint8Array;
  readonly resultStatus: number;
  readonly resultReason?: number;
  readonly resultMessage?: string;
  readonly asynchronousCorrelationValue?: Uint8Array;
  readonly responsePayload?: TtlvItem;
  readonly messageExtension?: MessageExtension;
}

export interface ResponseMessage {
  readonly responseHeader: ResponseHeader;
  readonly batchItem: ResponseBatchItem[];
}

export const ProtocolVersionSchema = defineStructure('ProtocolVersion', Tag.ProtocolVersion, [
  { key: 'protocolVersionMajor', tag: Tag.ProtocolVersionMajor, type: T.Integer, required: true },
  { key: 'protocolVersionMinor', tag: Tag.ProtocolVersionMinor, type: T.Integer, required: true },
]);

export const MessageExtensionSchema = defineStructure('MessageExtension', Tag.MessageExtension, [
  { key: 'vendorIdentification', tag: Tag.VendorIdentification, type: T.TextString, required: true },
  { key: 'criticalityIndicator', tag: Tag.CriticalityIndicator, type: T.Boolean, required: true },
  { key: 'vendorExtension', tag: Tag.VendorExtension, type: T.Structure, required: true },
]);

export const RequestHeaderSchema = defineStructure('RequestHeader', Tag.RequestHeader, [
  { key: 'protocolVersion', tag: Tag.ProtocolVersion, type: T.Structure, required: true, schema: ProtocolVersionSchema },
  { key: 'maximumResponseSize', tag: Tag.MaximumResponseSize, type: T.Integer },
  { key: 'clientCorrelationValue', tag: Tag.ClientCorrelationValue, type: T.TextString, since: '1.4' },
  { key: 'serverCorrelationValue', tag: Tag.ServerCorrelationValue, type: T.TextString, since: '1.4' },
  { key: 'asynchronousIndicator', tag: Tag.AsynchronousIndicator, type: T.Boolean, until: '2.0' },
  // 2.0 made it an Enumeration (Mandatory / Optional / Prohibited; 2.1 §9.2 Table 401).
  { key: 'asynchronousIndicator', tag: Tag.AsynchronousIndicator, type: T.Enumeration, since: '2.0' },
  { key: 'attestationCapableIndicator', tag: Tag.AttestationCapableIndicator, type: T.Boolean, since: '1.2' },
  { key: 'attestationType', tag: Tag.AttestationType, type: T.Enumeration, repeated: true, since: '1.2' },
  { key: 'authentication', tag: Tag.Authentication, type: T.Structure },
  { key: 'batchErrorContinuationOption', tag: Tag.BatchErrorContinuationOption, type: T.Enumeration },
  { key: 'batchOrderOption', tag: Tag.BatchOrderOption, type: T.Boolean },
  { key: 'timeStamp', tag: Tag.TimeStamp, type: T.DateTime },
  { key: 'batchCount', tag: Tag.BatchCount, type: T.Integer, required: true },
]);

export const RequestBatchItemSchema = defineStructure('BatchItem', Tag.BatchItem, [
  { key: 'operation', tag: Tag.Operation, type: T.Enumeration, required: true },
  { key: 'ephemeral', tag: Tag.Ephemeral, type: T.Boolean, since: '2.0' },
  { key: 'uniqueBatchItemID', tag: Tag.UniqueBatchItemID, type: T.ByteString },
  { key: 'requestPayload', tag: Tag.RequestPayload, type: T.Structure, required: true },
  { key: 'messageExtension', tag: Tag.MessageExtension, type: T.Structure, repeated: true, schema: MessageExtensionSchema },
]);

export const RequestMessageSchema = defineStructure('RequestMessage', Tag.RequestMessage, [
  { key: 'requestHeader', tag: Tag.RequestHeader, type: T.Structure, required: true, schema: RequestHeaderSchema },
  { key: 'batchItem', tag: Tag.BatchItem, type: T.Structure, required: true, repeated: true, schema: RequestBatchItemSchema },
]);

export const ResponseHeaderSchema = defineStructure('ResponseHeader', Tag.ResponseHeader, [
  { key: 'protocolVersion', tag: Tag.ProtocolVersion, type: T.Structure, required: true, schema: ProtocolVersionSchema },
  { key: 'timeStamp', tag: Tag.TimeStamp, type: T.DateTime, required: true },
  { key: 'nonce', tag: Tag.Nonce, type: T.Structure, since: '1.2' },
  { key: 'serverHashedPassword', tag: Tag.ServerHashedPassword, type: T.ByteString, since: '2.0' },
  { key: 'attestationType', tag: Tag.AttestationType, type: T.Enumeration, repeated: true, since: '1.2' },
  { key: 'clientCorrelationValue', tag: Tag.ClientCorrelationValue, type: T.TextString, since: '1.4' },
  { key: 'serverCorrelationValue', tag: Tag.ServerCorrelationValue, type: T.TextString, since: '1.4' },
  { key: 'batchCount', tag: Tag.BatchCount, type: T.Integer, required: true },
]);

export const ResponseBatchItemSchema = defineStructure('BatchItem', Tag.BatchItem, [
  { key: 'operation', tag: Tag.Operation, type: T.Enumeration },
  { key: 'uniqueBatchItemID', tag: Tag.UniqueBatchItemID, type: T.ByteString },
  { key: 'resultStatus', tag: Tag.ResultStatus, type: T.Enumeration, required: true },
  { key: 'resultReason', tag: Tag.ResultReason, type: T.Enumeration },
  { key: 'resultMessage', tag: Tag.ResultMessage, type: T.TextString },
  { key: 'asynchronousCorrelationValue', tag: Tag.AsynchronousCorrelationValue, type: T.ByteString },
  { key: 'responsePayload', tag: Tag.ResponsePayload, type: T.Structure },
  { key: 'messageExtension', tag: Tag.MessageExtension, type: T.Structure, schema: MessageExtensionSchema },
]);

export const ResponseMessageSchema = defineStructure('ResponseMessage', Tag.ResponseMessage, [
  { key: 'responseHeader', tag: Tag.ResponseHeader, type: T.Structure, required: true, schema: ResponseHeaderSchema },
  { key: 'batchItem', tag: Tag.BatchItem, type: T.Structure, required: true, repeated: true, schema: ResponseBatchItemSchema },
]);
