// Dispatch rows of the lifecycle operations; merged into dispatch.ts.
import type { OperationDef } from './operation-def.js';

export const LIFECYCLE_OPERATIONS: readonly OperationDef[] = [];
