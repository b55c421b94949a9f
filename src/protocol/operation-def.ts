// One row of the dispatch table: an operation, the version that introduced it, and its handler (1.4 §4; 2.1 §6.1).
import type { KmipVersion } from '../kmip/versions.js';
import type { OperationRun } from '../operations/operation.js';

export interface OperationDef {
  readonly operation: number;
  readonly name: string;
  /** First version that defines the operation. */
  readonly since: KmipVersion;
  /** Also answered in versions before `since` (a deliberate, documented exception), yet never listed there. */
  readonly answeredFrom?: KmipVersion;
  /** Only when the server runs in test mode (Interop, 2.1 §6.1.26); never listed by Query. */
  readonly testOnly?: boolean;
  /** Reads (a write it may make is a single atomic store call): runs without its own transaction. */
  readonly readOnly?: boolean;
  readonly run: OperationRun;
}
