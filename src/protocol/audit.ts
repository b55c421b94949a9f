// The audit records the protocol layer emits, one per batch item (DESIGN: audit and logs); no credential or key material.

export interface BatchItemAudit {
  readonly connectionId: number;
  readonly peer: string;
  readonly identity: string;
  readonly version: string;
  /** Operation name, or its hex value when unknown; "none" when the item could not be read. */
  readonly operation: string;
  readonly uniqueIdentifiers: readonly string[];
  readonly status: string;
  readonly reason?: string;
  /** The Result Message for a failure: server-written text, never client data. */
  readonly message?: string;
  readonly durationMs: number;
  readonly clientCorrelationValue?: string;
  readonly serverCorrelationValue: string;
}

export interface ProtocolAudit {
  batchItem(record: BatchItemAudit): void;
  /** A record an operation asks for (the Log operation's message, Interop markers), with who asked. */
  note(record: { readonly connectionId: number; readonly identity: string; readonly event: string; readonly fields: Readonly<Record<string, string>> }): void;
  /** An unexpected fault (a bug or a broken dependency): logged with its stack, never sent to the client. */
  fault(error: unknown, where: { readonly connectionId: number; readonly operation?: string }): void;
}

/** For tests and tools: keeps records in memory. */
export class MemoryAudit implements ProtocolAudit {
  readonly records: BatchItemAudit[] = [];
  readonly faults: unknown[] = [];
  readonly notes: { readonly event: string; readonly fields: Readonly<Record<string, string>> }[] = [];
  batchItem(record: BatchItemAudit): void {
    this.records.push(record);
  }
  note(record: { readonly event: string; readonly fields: Readonly<Record<string, string>> }): void {
    this.notes.push(record);
  }
  fault(error: unknown): void {
    this.faults.push(error);
  }
}
