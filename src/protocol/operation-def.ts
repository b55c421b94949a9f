// One row of the dispatch table: an operation, the version that introduced it, and its handler (1.4 §4; 2.1 §6.1).
import type { ResultReasonName } from '../kmip/kmip-error.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { OperationRun, OperationRunAsync } from '../operations/operation.js';

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
  /**
   * The operation's own 1.x error table (1.4 §11) where it names another reason than the general per-version
   * mapping (result-reason.ts) gives: operations throw the 2.x reason, and a 1.x client gets this one.
   */
  readonly answers1x?: Readonly<Partial<Record<ResultReasonName, ResultReasonName>>>;
  readonly run: OperationRun;
  /**
   * The same operation, waiting off the event loop where it can (Get's unseal on the key store's worker): used
   * outside Undo batches, so only for read-only operations, whose items have no transaction to hold open.
   */
  readonly runAsync?: OperationRunAsync;
}
