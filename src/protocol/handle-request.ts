// One request message in, one response message out, never a throw: version negotiation, header rules, the
// batch loop with its error continuation options, the ID Placeholder, and errors as results (1.4 §6, §7, §11.1;
// 2.1 §6.1, §8, §9, §11).
import { randomBytes } from 'node:crypto';
import { KeyStoreError } from '../keystore/key-store.js';
import { Enum } from '../kmip/enum.js';
import { KmipError, type ResultReasonName } from '../kmip/kmip-error.js';
import {
  decodeRequestMessageDirect,
  encodeResponseMessage,
  negotiateVersion,
  peekProtocolVersion,
} from '../kmip/message-codec.js';
import {
  RequestBatchItemSchema,
  RequestHeaderSchema,
  type RequestBatchItem,
  type RequestHeader,
  type ResponseBatchItem,
  type ResponseMessage,
} from '../kmip/message-schema.js';
import { readStructure, type ReadOptions } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { KMIP_VERSIONS, type KmipVersion } from '../kmip/versions.js';
import type { ObjectServices, OperationContext, OperationOutcome, ServerFacts } from '../operations/operation.js';
import { decodeTtlv } from '../ttlv/decode.js';
import { encodeTtlv } from '../ttlv/encode.js';
import { ItemType } from '../ttlv/item-type.js';
import { DEFAULT_TTLV_LIMITS, type TtlvLimits } from '../ttlv/limits.js';
import { TtlvError } from '../ttlv/ttlv-error.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import type { ProtocolAudit } from './audit.js';
import { DispatchTable, OPERATIONS, type OperationDef } from './dispatch.js';
import type { ConnectionContext, KmipHandler } from './kmip-handler.js';
import { resultReasonFor } from './result-reason.js';

const Status = Enum.ResultStatus;
const Continuation = Enum.BatchErrorContinuationOption;

export interface ProtocolOptions {
  readonly ttlvLimits: TtlvLimits;
  /**
   * Most batch items in one request. Real clients batch a handful (a storage array's Query → Locate → Get
   * chain); the bound caps the work one message can demand.
   */
  readonly maxBatchItems: number;
  /** Enables test-only operations (Interop, 2.1 §6.1.26). */
  readonly testMode: boolean;
  /**
   * When an operation that can wait off the event loop (Get's unseal) does: 'busy' (default) when requests are
   * queueing, 'always' or 'never'. Tests pin it to cover each path; both answer the same.
   */
  readonly offload?: 'busy' | 'always' | 'never';
  /**
   * Checks the request header's Authentication (1.4 §6.6): true accepts. Absent, credentials are accepted
   * unchecked, since the TLS client certificate is the identity.
   */
  readonly checkAuthentication?: (authentication: TtlvItem, ctx: ConnectionContext) => boolean;
  readonly productVersion: string;
  /** Object types the object layer manages, by version; none until it is wired. */
  readonly objectTypes?: (version: KmipVersion) => readonly number[];
  /** The store, key store and clock of the managed-object operations; absent in protocol-only tests. */
  readonly services?: ObjectServices;
}

export const DEFAULT_PROTOCOL_OPTIONS: ProtocolOptions = {
  ttlvLimits: DEFAULT_TTLV_LIMITS,
  maxBatchItems: 256,
  testMode: false,
  productVersion: '0.1.0',
};

/**
 * A request arriving within this long of the previous one's end found the loop busy: on one connection the next
 * request comes a round trip later (over 0.1 ms on loopback), under load from another connection at once.
 */
const BACK_TO_BACK_MS = 0.08;

/** How long one connection must have been the only one sending requests for its requests to count as alone. */
const SOLE_CLIENT_MS = 2;

/** An audited duration, to the microsecond: the timer's sub-microsecond digits are noise, 15–17 of them a line. */
const microseconds = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Versions we speak, newest (preferred) first. */
const OUR_VERSIONS: readonly KmipVersion[] = [...KMIP_VERSIONS].reverse();

/** A failed item before its response is built. */
interface ItemFailure {
  readonly reason: ResultReasonName;
  readonly message: string;
}

/**
 * A batch item before the loop runs it: its Operation and Unique Batch Item ID as far as they can be seen (for
 * the answer, should reading fail), and the reading itself, whose faults fail this item alone.
 */
interface PendingItem {
  readonly operation: number | undefined;
  readonly uniqueBatchItemID: Uint8Array | undefined;
  readonly read: () => RequestBatchItem;
}

/** Thrown through the store's transaction to undo a whole batch. */
const ROLL_BACK = Symbol('roll back the batch');

/** An item's Operation, Unique Batch Item ID and 1.x error table, as far as they were read. */
interface SeenItem {
  operation: number | undefined;
  uniqueBatchItemID: Uint8Array | undefined;
  answers1x: OperationDef['answers1x'];
}

/** What the audit needs of an item once the response is final. */
interface ItemRecord {
  readonly operation: number | undefined;
  readonly uniqueIdentifiers: readonly string[];
  readonly durationMs: number;
  readonly failure: ItemFailure | undefined;
  readonly afterResponse: (() => void) | undefined;
}

export class ProtocolHandler implements KmipHandler {
  private readonly table: DispatchTable;
  private readonly facts: ServerFacts;
  /** Server Correlation Values: this process's random prefix and a counter, unique across restarts. */
  private readonly correlationPrefix = randomBytes(4).toString('hex').toUpperCase();
  private correlationCounter = 0;
  /**
   * Whether requests are queueing: one was still being processed (awaiting a worker or the disk) when this one
   * arrived, or ended just before. Then an operation that can wait off the event loop does (runAsync), and the
   * loop serves the queue meanwhile; a lone request runs here, where a thread hop would only add latency.
   */
  private busy = false;
  private inFlight = 0;
  private lastProcessed = -Infinity;
  /** Requests processed whose answers wait for the disk. */
  private awaitingDurable = 0;
  /** The connection the latest request came from, and when it took over from another. */
  private soleConnection = -1;
  private soleSince = 0;

  constructor(
    private readonly options: ProtocolOptions,
    private readonly audit: ProtocolAudit,
    operations: readonly OperationDef[] = OPERATIONS,
  ) {
    this.table = new DispatchTable(operations, options.testMode);
    this.facts = {
      supportedOperations: (v) => this.table.listed(v),
      supportedObjectTypes: (v) => options.objectTypes?.(v) ?? [],
      protocolVersions: OUR_VERSIONS,
      vendorIdentification: 'kmipd',
      productName: 'kmipd',
      productVersion: options.productVersion,
    };
  }

  async handle(message: Buffer, ctx: ConnectionContext): Promise<Buffer> {
    let response: Buffer;
    const arrived = performance.now();
    // back to back: another request was being processed until just now, so the loop has a queue
    this.busy = this.inFlight > 0 || arrived - this.lastProcessed < BACK_TO_BACK_MS;
    if (ctx.connectionId !== this.soleConnection) {
      this.soleConnection = ctx.connectionId;
      this.soleSince = arrived;
    }
    this.inFlight++;
    try {
      response = await this.process(message, ctx);
    } catch (e) {
      this.audit.fault(e, { connectionId: ctx.connectionId });
      return this.messageError(rawProtocolVersion(message), 'GeneralFailure', 'internal error');
    } finally {
      this.inFlight--;
      this.lastProcessed = performance.now();
    }
    const store = this.options.services?.store;
    if (store !== undefined) {
      // No response leaves before the commit that holds its writes (and any writes it read) is durable.
      // Alone: no other request being processed or waiting for the disk, and no other client for a while. Its
      // writes are then synced on this thread at once (sqlite-store.ts). Amid other clients the thread pool
      // syncs, and the loop serves them meanwhile: syncing here for any request momentarily alone (the others'
      // next requests still in the network) halved Create + Activate on 4 and 16 connections.
      const alone = this.inFlight === 0 && this.awaitingDurable === 0 && arrived - this.soleSince >= SOLE_CLIENT_MS;
      this.awaitingDurable++;
      try {
        await store.durable(alone);
      } catch (e) {
        this.audit.fault(e, { connectionId: ctx.connectionId });
        return this.messageError(rawProtocolVersion(message), 'GeneralFailure', 'the store could not make this request durable: treat it as failed, and check before retrying a Create');
      } finally {
        this.awaitingDurable--;
      }
    }
    return response;
  }

  framingError(error: TtlvError, header: Buffer): Buffer {
    return this.messageError(rawProtocolVersion(header), 'InvalidMessage', error.reason);
  }

  private async process(bytes: Buffer, conn: ConnectionContext): Promise<Buffer> {
    const started = performance.now();
    // A well-formed request is read in one pass, header and items typed. Anything else (a fault anywhere, an
    // unusual layout) is undefined there and takes the tree path below, which judges it as it always has.
    const direct = decodeRequestMessageDirect(bytes, this.options.ttlvLimits);
    if (direct !== undefined) {
      const { version, newerMinor, message } = direct;
      const items = message.batchItem.map((item): PendingItem => ({
        operation: item.operation,
        uniqueBatchItemID: item.uniqueBatchItemID,
        read: () => item,
      }));
      return this.admit(conn, version, { version, ignoreUnknown: newerMinor }, message.requestHeader, items, started);
    }
    let root: TtlvItem;
    try {
      root = decodeTtlv(bytes, this.options.ttlvLimits);
    } catch (e) {
      if (!(e instanceof TtlvError)) throw e;
      return this.rejectMessage(conn, rawProtocolVersion(bytes), 'InvalidMessage', e.message, started);
    }
    const pv = peekProtocolVersion(root);
    if (root.tag !== Tag.RequestMessage || root.type !== ItemType.Structure || pv === undefined) {
      return this.rejectMessage(conn, pv, 'InvalidMessage', 'not a RequestMessage with a Protocol Version', started);
    }
    const negotiated = negotiateVersion(pv.major, pv.minor);
    if (negotiated === undefined) {
      return this.rejectMessage(conn, pv, 'InvalidMessage', `protocol version ${pv.major}.${pv.minor} is not supported`, started);
    }
    const version = negotiated.version;
    const readOpts: ReadOptions = { version, ignoreUnknown: negotiated.newerMinor };
    const [headerItem, ...rawItems] = root.value;
    let header: RequestHeader;
    let batchItems: TtlvItem[];
    try {
      header = readStructure(headerItem!, RequestHeaderSchema, readOpts) as unknown as RequestHeader;
      if (rawItems.length === 0) throw new KmipError('InvalidMessage', 'the request has no Batch Item');
      for (const item of rawItems) {
        if (item.tag !== Tag.BatchItem) {
          if (readOpts.ignoreUnknown) continue;
          throw new KmipError('InvalidMessage', `unexpected 0x${item.tag.toString(16)} in RequestMessage`);
        }
      }
      batchItems = rawItems.filter((i) => i.tag === Tag.BatchItem);
    } catch (e) {
      if (!(e instanceof KmipError)) throw e;
      return this.rejectIn(conn, version, e, started);
    }
    const items = batchItems.map((raw): PendingItem => ({
      operation: peekEnumeration(raw, Tag.Operation),
      uniqueBatchItemID: peekByteString(raw, Tag.UniqueBatchItemID),
      read: () => readStructure(raw, RequestBatchItemSchema, readOpts) as unknown as RequestBatchItem,
    }));
    return this.admit(conn, version, readOpts, header, items, started);
  }

  /** The message-level rules once the header is read: Batch Count, the batch size limit, credentials; then the batch. */
  private admit(
    conn: ConnectionContext,
    version: KmipVersion,
    readOpts: ReadOptions,
    header: RequestHeader,
    items: readonly PendingItem[],
    started: number,
  ): Buffer | Promise<Buffer> {
    try {
      if (header.batchCount !== items.length) {
        throw new KmipError('InvalidMessage', `Batch Count ${header.batchCount} but ${items.length} Batch Items`);
      }
      if (items.length > this.options.maxBatchItems) {
        throw new KmipError('InvalidMessage', `more than ${this.options.maxBatchItems} Batch Items`);
      }
      if (this.options.checkAuthentication !== undefined) {
        // Configured credentials are required: a header without them is refused, not waved through (1.4 §6.10).
        if (header.authentication === undefined || !this.options.checkAuthentication(header.authentication, conn)) {
          throw new KmipError('AuthenticationNotSuccessful', 'authentication failed');
        }
      }
      return this.runBatch(conn, version, readOpts, header, items, started);
    } catch (e) {
      if (!(e instanceof KmipError)) throw e;
      return this.rejectIn(conn, version, e, started);
    }
  }

  /** A message fault found once the version is known: answered in the version the message was read in (1.4 for a 1.5 request). */
  private rejectIn(conn: ConnectionContext, version: KmipVersion, e: KmipError, started: number): Buffer {
    const [major, minor] = version.split('.').map(Number) as [number, number];
    return this.rejectMessage(conn, { major, minor }, e.reason, e.message, started, version);
  }

  /**
   * Runs the items. Stop and Continue commit each item on its own (its writes durable before the response);
   * Undo runs the whole batch in one transaction and rolls it all back when an item fails.
   */
  private runBatch(
    conn: ConnectionContext,
    version: KmipVersion,
    readOpts: ReadOptions,
    header: RequestHeader,
    items: readonly PendingItem[],
    started: number,
  ): Buffer | Promise<Buffer> {
    const continuation = header.batchErrorContinuationOption ?? Continuation.Stop;
    const serverCorrelationValue = this.nextCorrelationValue();
    const answers: ResponseBatchItem[] = [];
    const done: ItemRecord[] = [];
    const store = this.options.services?.store;
    const transaction = <T>(fn: () => T): T => (store === undefined ? fn() : store.transaction(fn));
    const undo = continuation === Continuation.Undo;
    let failed = false;
    let idPlaceholder: string | undefined;
    let itemStart = started;
    /** Records an item's answer; false when the batch stops at it. */
    const settle = (seen: SeenItem, outcome: OperationOutcome | undefined, error: { readonly e: unknown } | undefined): boolean => {
      const { operation, uniqueBatchItemID, answers1x } = seen;
      let failure: ItemFailure | undefined;
      if (error !== undefined) {
        outcome = undefined;
        failure = this.failureOf(error.e, conn, operation);
        const own = version.startsWith('1.') ? answers1x?.[failure.reason] : undefined;
        if (own !== undefined) failure = { ...failure, reason: own };
      } else if (outcome?.idPlaceholder !== undefined) {
        idPlaceholder = outcome.idPlaceholder ?? undefined;
      }
      answers.push(
        failure === undefined
          ? { operation, uniqueBatchItemID, resultStatus: Status.Success, responsePayload: outcome?.payload }
          : { operation, uniqueBatchItemID, ...this.failed(failure, version) },
      );
      const now = performance.now();
      done.push({ operation, uniqueIdentifiers: outcome?.uniqueIdentifiers ?? [], durationMs: microseconds(now - itemStart), failure, afterResponse: outcome?.afterResponse });
      itemStart = now;
      if (failure === undefined || continuation === Continuation.Continue) return true;
      failed = true;
      if (undo) {
        // Earlier items are reported undone, the failed one failed, later ones omitted (1.4 §6.12; BL-M-2-21).
        for (let i = 0; i < answers.length - 1; i++) answers[i] = { ...answers[i]!, resultStatus: Status.OperationUndone };
      }
      return false;
    };
    /**
     * Runs the items from `from` on, in order. An item whose operation can wait off the event loop (Get's unseal)
     * returns a promise, and the batch goes on when it settles; a batch without one runs to its end synchronously.
     * Undo batches never wait: their items share one open transaction.
     */
    const loop = (from: number): void | Promise<void> => {
      for (let i = from; i < items.length; i++) {
        const pending = items[i]!;
        const seen: SeenItem = { operation: pending.operation, uniqueBatchItemID: pending.uniqueBatchItemID, answers1x: undefined };
        let outcome: OperationOutcome;
        try {
          const item = pending.read();
          seen.operation = item.operation;
          seen.uniqueBatchItemID = item.uniqueBatchItemID;
          const critical = item.messageExtension?.find((x) => x.criticalityIndicator);
          if (critical !== undefined) {
            // kmipd understands no message extension; a critical one fails the item (1.4 §6.16).
            throw new KmipError('FeatureNotSupported', `critical message extension from ${critical.vendorIdentification} not supported`);
          }
          const def = this.table.lookup(item.operation, version);
          if (def === undefined) {
            throw new KmipError('OperationNotSupported', `operation 0x${item.operation.toString(16)} is not supported in KMIP ${version}`);
          }
          seen.answers1x = def.answers1x;
          const ctx: OperationContext = {
            version,
            readOptions: readOpts,
            identity: conn.identity.name,
            idPlaceholder,
            server: this.facts,
            services: this.options.services,
            note: (event, fields) => this.audit.note({ connectionId: conn.connectionId, identity: conn.identity.name, event, fields }),
          };
          if (!undo && def.runAsync !== undefined && this.offloads()) {
            return def.runAsync(item.requestPayload, ctx).then(
              (o: OperationOutcome) => (settle(seen, o, undefined) ? loop(i + 1) : undefined),
              (e: unknown) => (settle(seen, undefined, { e }) ? loop(i + 1) : undefined),
            );
          }
          // Read-only operations skip the transaction: their rare writes (a due state change, Fresh) are
          // atomic on their own, and BEGIN/COMMIT cost a tenth of a Get (bench/README.md).
          outcome = undo || def.readOnly === true ? def.run(item.requestPayload, ctx) : transaction(() => def.run(item.requestPayload, ctx));
        } catch (e) {
          if (!settle(seen, undefined, { e })) return;
          continue;
        }
        if (!settle(seen, outcome, undefined)) return;
      }
    };
    if (undo) {
      try {
        transaction(() => {
          void loop(0);
          if (failed) throw ROLL_BACK;
        });
      } catch (e) {
        if (e !== ROLL_BACK) throw e;
      }
      return this.finishBatch(conn, version, header, answers, done, serverCorrelationValue);
    }
    const running = loop(0);
    return running === undefined
      ? this.finishBatch(conn, version, header, answers, done, serverCorrelationValue)
      : running.then(() => this.finishBatch(conn, version, header, answers, done, serverCorrelationValue));
  }

  /** Encodes the answers, releases what the items held, and audits what the client was told. */
  private finishBatch(
    conn: ConnectionContext,
    version: KmipVersion,
    header: RequestHeader,
    answers: ResponseBatchItem[],
    done: readonly ItemRecord[],
    serverCorrelationValue: string,
  ): Buffer {
    let response: { bytes: Buffer; sent: ResponseBatchItem[] };
    try {
      response = this.respond(version, header, answers, serverCorrelationValue);
    } finally {
      for (const record of done) record.afterResponse?.();
    }
    const { bytes, sent } = response;
    // The audit says what the client was told (undone, too large), item by item.
    sent.forEach((answer, i) => {
      const record = done[i]!;
      this.audit.batchItem({
        connectionId: conn.connectionId,
        peer: conn.peer,
        identity: conn.identity.name,
        version,
        operation: this.operationName(record.operation),
        uniqueIdentifiers: record.uniqueIdentifiers,
        status: STATUS_NAMES.get(answer.resultStatus) ?? String(answer.resultStatus),
        ...(answer.resultReason !== undefined && { reason: REASON_NAMES.get(answer.resultReason) ?? String(answer.resultReason) }),
        ...(answer.resultMessage !== undefined && { message: answer.resultMessage }),
        durationMs: record.durationMs,
        ...(header.clientCorrelationValue !== undefined && { clientCorrelationValue: header.clientCorrelationValue }),
        serverCorrelationValue,
      });
    });
    return bytes;
  }

  private offloads(): boolean {
    const mode = this.options.offload ?? 'busy';
    return mode === 'always' || (mode === 'busy' && this.busy);
  }

  private failureOf(e: unknown, conn: ConnectionContext, operation: number | undefined): ItemFailure {
    if (e instanceof KmipError) return { reason: e.reason, message: e.message };
    if (e instanceof TtlvError) return { reason: 'InvalidMessage', message: e.reason };
    this.audit.fault(e, { connectionId: conn.connectionId, operation: this.operationName(operation) });
    if (e instanceof KeyStoreError) {
      // The token's fault is the server's, not the request's; say which kind without detail (logged above).
      return { reason: 'GeneralFailure', message: e.unavailable ? 'the key store is unavailable; retry later' : 'the key store refused the operation' };
    }
    return { reason: 'GeneralFailure', message: 'internal error' };
  }

  private failed(failure: ItemFailure, version: KmipVersion): Pick<ResponseBatchItem, 'resultStatus' | 'resultReason' | 'resultMessage'> {
    return { resultStatus: Status.OperationFailed, resultReason: resultReasonFor(failure.reason, version), resultMessage: failure.message };
  }

  /**
   * Encode the response. One over the client's Maximum Response Size is answered Response Too Large in
   * every item (MSGENC-XML-M-1-21). Returns the items as sent, for the audit.
   */
  private respond(
    version: KmipVersion,
    header: RequestHeader,
    items: ResponseBatchItem[],
    serverCorrelationValue: string,
  ): { bytes: Buffer; sent: ResponseBatchItem[] } {
    const [major, minor] = version.split('.').map(Number) as [number, number];
    const build = (batch: ResponseBatchItem[]): Buffer =>
      encodeResponseMessage(
        {
          responseHeader: {
            protocolVersion: { protocolVersionMajor: major, protocolVersionMinor: minor },
            timeStamp: nowSeconds(),
            // Only to clients that speak correlation values: PyKMIP 0.10 (and arrays built on it) reads
            // Batch Count right after Time Stamp and fails on any other field there. Always audited.
            ...(header.clientCorrelationValue !== undefined && { serverCorrelationValue }),
            batchCount: batch.length,
          },
          batchItem: batch,
        } satisfies ResponseMessage,
        version,
      );
    let bytes: Buffer;
    try {
      bytes = build(items);
    } catch (e) {
      // A payload the encoder refuses is a server fault: that item alone becomes General Failure.
      items = items.map((item) => (item.responsePayload === undefined || encodable(item.responsePayload) ? item : {
        operation: item.operation,
        uniqueBatchItemID: item.uniqueBatchItemID,
        ...this.failed({ reason: 'GeneralFailure', message: 'internal error' }, version),
      }));
      this.audit.fault(e, { connectionId: -1 });
      bytes = build(items);
    }
    const max = header.maximumResponseSize;
    if (max === undefined || bytes.length <= max) return { bytes, sent: items };
    const tooLarge = items.map((i) => ({
      operation: i.operation,
      uniqueBatchItemID: i.uniqueBatchItemID,
      ...this.failed({ reason: 'ResponseTooLarge', message: `response of ${bytes.length} bytes exceeds the Maximum Response Size of ${max}` }, version),
    }));
    return { bytes: build(tooLarge), sent: tooLarge };
  }

  /** A message that cannot be processed at all: one batch item without Operation, audited. */
  private rejectMessage(
    conn: ConnectionContext,
    pv: { major: number; minor: number } | undefined,
    reason: ResultReasonName,
    message: string,
    started: number,
    version?: KmipVersion,
  ): Buffer {
    const serverCorrelationValue = this.nextCorrelationValue();
    this.audit.batchItem({
      connectionId: conn.connectionId,
      peer: conn.peer,
      identity: conn.identity.name,
      version: pv === undefined ? 'unknown' : `${pv.major}.${pv.minor}`,
      operation: 'none',
      uniqueIdentifiers: [],
      status: 'OperationFailed',
      reason,
      message,
      durationMs: microseconds(performance.now() - started),
      serverCorrelationValue,
    });
    return this.messageError(pv, reason, message, version);
  }

  /**
   * The response header carries the request's version when it could be read, 1.0 otherwise (every client
   * reads a 1.0 header); its fields follow the version we speak closest to it.
   */
  private messageError(
    pv: { major: number; minor: number } | undefined,
    reason: ResultReasonName,
    message: string,
    version?: KmipVersion,
  ): Buffer {
    const wire = pv ?? { major: 1, minor: 0 };
    const fieldVersion: KmipVersion = version ?? negotiateVersion(wire.major, wire.minor)?.version ?? '1.0';
    return encodeResponseMessage(
      {
        responseHeader: {
          protocolVersion: { protocolVersionMajor: wire.major, protocolVersionMinor: wire.minor },
          timeStamp: nowSeconds(),
          batchCount: 1,
        },
        batchItem: [
          {
            resultStatus: Status.OperationFailed,
            resultReason: resultReasonFor(reason, fieldVersion),
            resultMessage: message,
          },
        ],
      } satisfies ResponseMessage,
      fieldVersion,
    );
  }

  private nextCorrelationValue(): string {
    this.correlationCounter = (this.correlationCounter + 1) >>> 0;
    return `${this.correlationPrefix}-${this.correlationCounter.toString(16).toUpperCase().padStart(8, '0')}`;
  }

  private operationName(operation: number | undefined): string {
    if (operation === undefined) return 'none';
    return this.table.nameOf(operation) ?? OPERATION_NAMES.get(operation) ?? `0x${operation.toString(16)}`;
  }
}

const OPERATION_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Enum.Operation).map(([k, v]) => [v, k]));
const STATUS_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Enum.ResultStatus).map(([k, v]) => [v, k]));
const REASON_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Enum.ResultReason).map(([k, v]) => [v, k]));

function encodable(payload: TtlvItem): boolean {
  try {
    encodeTtlv(payload);
    return true;
  } catch {
    return false;
  }
}

function nowSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

/** The first direct child of `item` with `tag`, if it is an Enumeration: read before the item is validated. */
function peekEnumeration(item: TtlvItem, tag: number): number | undefined {
  if (item.type !== ItemType.Structure) return undefined;
  const c = item.value.find((i) => i.tag === tag);
  return c?.type === ItemType.Enumeration ? c.value : undefined;
}

function peekByteString(item: TtlvItem, tag: number): Uint8Array | undefined {
  if (item.type !== ItemType.Structure) return undefined;
  const c = item.value.find((i) => i.tag === tag);
  return c?.type === ItemType.ByteString ? c.value : undefined;
}

/**
 * The Protocol Version of a request that did not decode, read at the fixed offsets where every well-formed
 * request carries it (RequestMessage, RequestHeader, ProtocolVersion, Major at byte 24, Minor at 40).
 */
export function rawProtocolVersion(bytes: Uint8Array): { major: number; minor: number } | undefined {
  if (bytes.length < 56) return undefined;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expect: [number, number][] = [
    [0, Tag.RequestMessage],
    [8, Tag.RequestHeader],
    [16, Tag.ProtocolVersion],
    [24, Tag.ProtocolVersionMajor],
    [40, Tag.ProtocolVersionMinor],
  ];
  for (const [off, tag] of expect) if (b.readUIntBE(off, 3) !== tag) return undefined;
  if (b[27] !== ItemType.Integer || b[43] !== ItemType.Integer) return undefined;
  return { major: b.readInt32BE(32), minor: b.readInt32BE(48) };
}
