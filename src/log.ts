// Structured logs and audit records (pino): one record per batch item and per connection event; key
// material, PINs, passwords and credentials never reach a log (DESIGN: audit and logs).
import { pino, type Logger, type DestinationStream } from 'pino';
import { KmipError } from './kmip/kmip-error.js';
import { BlockDestination } from './log-destination.js';
import type { AuditSink, BatchItemAudit, ConnectionAuditEvent, ProtocolAudit } from './protocol/audit.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Defence in depth: nothing we log carries these, but if a future record did, pino censors them. Top-level
 * paths only: wildcard paths made redaction the costliest part of every audit record (bench/README.md
 * profile), and every record kmipd writes is flat.
 */
const REDACT = ['password', 'pin', 'passphrase', 'credential', 'credentialValue', 'keyMaterial', 'key', 'authentication'];

/** pino's `service` binding, also written into the batch-item lines LogAudit builds itself. */
const SERVICE = 'kmipd';

/** The ISO 8601 time of this millisecond: formatting a Date costs more than the rest of a short record. */
let isoMs = -1;
let isoText = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * The server's logger. By default records are gathered and written to standard output in blocks
 * (src/log-destination.ts), at least every 50 ms: a write per record (one trip to libuv's thread pool each) cost a
 * fifth of a poll request (bench/README.md). What is held is written at exit (after SIGTERM too); a kill -9 can lose
 * at most the last 50 ms of records, never an object (the store is durable).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: SERVICE },
      timestamp: () => `,"time":"${isoNow()}"`,
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination ?? new BlockDestination({ fd: 1 }),
  );
}

/** Connections whose batch-item fields LogAudit keeps as text. */
const CONNECTION_FIELDS_KEPT = 4096;

/** pino's number for `info`, the level of audit records. */
const INFO = 30;

/**
 * Writes audit records to the log: the `audit` field names the kind, for filtering. The per-request record is the
 * one written on every request, so it is serialised here, field by field, into the very line pino would write
 * (same fields, same order, same stream), at a fifth of pino's cost (bench/README.md). Its fields are a closed set
 * with no secret among them; redaction guards the open-ended records, which still go through pino.
 */
export class LogAudit implements ProtocolAudit, AuditSink {
  readonly #stream: DestinationStream;
  readonly #connections = new Map<number, { peer: string; identity: string; version: string; text: string }>();

  constructor(private readonly log: Logger) {
    this.#stream = (log as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]!;
  }

  batchItem(r: BatchItemAudit): void {
    if (!this.log.isLevelEnabled('info')) return;
    let line = `{"level":${INFO},"time":"${isoNow()}","service":"${SERVICE}","audit":"batch-item"${this.#connectionFields(r)}`;
    line += `,"operation":${JSON.stringify(r.operation)},"uniqueIdentifiers":${JSON.stringify(r.uniqueIdentifiers)}`;
    line += `,"status":${JSON.stringify(r.status)}`;
    if (r.reason !== undefined) line += `,"reason":${JSON.stringify(r.reason)}`;
    if (r.message !== undefined) line += `,"message":${JSON.stringify(r.message)}`;
    line += `,"durationMs":${r.durationMs}`;
    if (r.clientCorrelationValue !== undefined) line += `,"clientCorrelationValue":${JSON.stringify(r.clientCorrelationValue)}`;
    line += `,"serverCorrelationValue":${JSON.stringify(r.serverCorrelationValue)},"msg":"kmip request"}\n`;
    this.#stream.write(line);
  }

  /** The connection's fields as text, kept per connection: a client sends many requests on one. */
  #connectionFields(r: BatchItemAudit): string {
    const known = this.#connections.get(r.connectionId);
    if (known !== undefined && known.peer === r.peer && known.identity === r.identity && known.version === r.version) return known.text;
    const text = `,"connectionId":${r.connectionId},"peer":${JSON.stringify(r.peer)},"identity":${JSON.stringify(r.identity)},"version":"${r.version}"`;
    // a bound, not an eviction policy: the connections of the last few thousand requests are what it serves
    if (this.#connections.size >= CONNECTION_FIELDS_KEPT) this.#connections.clear();
    this.#connections.set(r.connectionId, { peer: r.peer, identity: r.identity, version: r.version, text });
    return text;
  }

  note(record: { readonly connectionId: number; readonly identity: string; readonly event: string; readonly fields: Readonly<Record<string, string>> }): void {
    this.log.info({ audit: record.event, connectionId: record.connectionId, identity: record.identity, ...record.fields }, record.event);
  }

  fault(error: unknown, where: { readonly connectionId: number; readonly operation?: string }): void {
    // The stack goes to the log only; the client was told "internal error". KmipErrors never get here.
    const err = error instanceof Error && !(error instanceof KmipError) ? { type: error.name, message: error.message, stack: error.stack } : { value: String(error) };
    this.log.error({ audit: 'fault', ...where, err }, 'unexpected fault');
  }

  connectionOpened(event: ConnectionAuditEvent): void {
    this.log.info({ audit: 'connection-opened', ...event }, 'connection opened');
  }

  connectionClosed(event: ConnectionAuditEvent): void {
    this.log.info({ audit: 'connection-closed', ...event }, 'connection closed');
  }

  connectionRefused(event: ConnectionAuditEvent): void {
    this.log.warn({ audit: 'connection-refused', ...event }, 'connection refused');
  }
}
