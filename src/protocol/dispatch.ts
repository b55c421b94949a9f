// The dispatch table: each operation kmipd implements, the version that introduced it, and its handler
// (1.4 §4; 2.1 §6.1). Query's Operations list is read from here, so it can never claim what is not wired.
import { Enum } from '../kmip/enum.js';
import { definedIn, type KmipVersion } from '../kmip/versions.js';
import { discoverVersions } from '../operations/discover-versions.js';
import type { OperationDef } from './operation-def.js';
import { query } from '../operations/query.js';
import { create } from '../operations/create.js';
import { REGISTERED_OBJECT_TYPES } from '../operations/register.js';
import { get, getAsync } from '../operations/get.js';
import { getAttributes } from '../operations/get-attributes.js';
import { interop } from '../operations/interop.js';
import { log } from '../operations/log.js';
import { ATTRIBUTE_OPERATIONS } from './dispatch-attributes.js';
import { LIFECYCLE_OPERATIONS } from './dispatch-lifecycle.js';


const Op = Enum.Operation;

export const OPERATIONS: readonly OperationDef[] = [
  // "Object exists with the same Name" (1.4 §11.2): Invalid Field for a 1.x client.
  { operation: Op.Create, name: 'Create', since: '1.0', answers1x: { NonUniqueNameAttribute: 'InvalidField' }, run: create },
  { operation: Op.Get, name: 'Get', since: '1.0', readOnly: true, run: get, runAsync: getAsync },
  { operation: Op.GetAttributes, name: 'GetAttributes', since: '1.0', readOnly: true, run: getAttributes },
  ...LIFECYCLE_OPERATIONS,
  ...ATTRIBUTE_OPERATIONS,
  { operation: Op.Query, name: 'Query', since: '1.0', readOnly: true, run: query },
  { operation: Op.Log, name: 'Log', since: '2.0', readOnly: true, run: log },
  { operation: Op.Interop, name: 'Interop', since: '2.0', testOnly: true, readOnly: true, run: interop },
  // Discover Versions arrived in 1.1, but clients send it under a 1.0 header to find out what to speak.
  { operation: Op.DiscoverVersions, name: 'DiscoverVersions', since: '1.1', answeredFrom: '1.0', readOnly: true, run: discoverVersions },
];

/** Object types kmipd manages (Query Objects): those Register accepts, per version. */
export const SUPPORTED_OBJECT_TYPES = REGISTERED_OBJECT_TYPES;

export type { OperationDef } from './operation-def.js';

export class DispatchTable {
  private readonly byValue: ReadonlyMap<number, OperationDef>;

  constructor(
    private readonly defs: readonly OperationDef[],
    private readonly testMode: boolean,
  ) {
    this.byValue = new Map(defs.map((d) => [d.operation, d]));
  }

  /** The operation to run for `operation` in `version`, or undefined: Operation Not Supported. */
  lookup(operation: number, version: KmipVersion): OperationDef | undefined {
    const def = this.byValue.get(operation);
    if (def === undefined || (def.testOnly && !this.testMode)) return undefined;
    return definedIn(version, def.answeredFrom ?? def.since) ? def : undefined;
  }

  /** What Query Operations lists in `version`: defined there, and never a test-only operation. */
  listed(version: KmipVersion): number[] {
    return this.defs.filter((d) => !d.testOnly && definedIn(version, d.since)).map((d) => d.operation);
  }

  nameOf(operation: number): string | undefined {
    return this.byValue.get(operation)?.name;
  }
}
