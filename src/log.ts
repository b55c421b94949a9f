// Structured logs and audit records (pino): one record per batch item and per connection event; key
// material, PINs, passwords and credentials never reach a log (DESIGN: audit and logs).
import { pino, type Logger, type DestinationStream } from 'pino';
import { KmipError } from './kmip/kmip-error.js';
import type { AuditSink, BatchItemAudit, ConnectionAuditEvent, ProtocolAudit } from './protocol/audit.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Defence in depth: nothing we log carries these, but if a future record did, pino censors them. Top-level
 * paths only: wildcard paths made redaction the costliest part of every audit record (bench/README.md
 * profile), and every record kmipd writes is flat.
 */
const REDACT = ['password', 'pin', 'passphrase', 'credential', 'credentialValue', 'keyMaterial', 'key', 'authentication'];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kmipd' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** Writes audit records to the log: `audit: true` marks them for filtering. */
export class LogAudit implements ProtocolAudit, AuditSink {
  constructor(private readonly log: Logger) {}

  batchItem(record: BatchItemAudit): void {
    this.log.info({ audit: 'batch-item', ...record }, 'kmip request');
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
