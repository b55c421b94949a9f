// Result Reasons per protocol version: an operation names the precise reason, and this table says what a
// client of a version that lacks it is sent instead (1.4 §9.1.3.2.29; 2.1 §11.46).
import { ENUMERATIONS } from '../kmip/enumerations.js';
import { definedIn, type KmipVersion } from '../kmip/versions.js';

const RESULT_REASONS = ENUMERATIONS.find((e) => e.name === 'ResultReason')!.values;
import type { ResultReasonName } from '../kmip/kmip-error.js';

/**
 * What to send when the version does not define a reason. 1.x has no Wrong Key Lifecycle State and answers
 * Permission Denied there (1.4 §11.20, §11.22; the OASIS 1.x files expect it); 2.x has no Illegal Operation
 * or Index Out of Bounds. Anything else missing becomes General Failure.
 */
const FALLBACK: Readonly<Partial<Record<ResultReasonName, ResultReasonName>>> = {
  WrongKeyLifecycleState: 'PermissionDenied',
  NonUniqueNameAttribute: 'IllegalOperation',
  ObjectDestroyed: 'ItemNotFound',
  ObjectNotFound: 'ItemNotFound',
  NotAuthorised: 'PermissionDenied',
  AttributeNotFound: 'InvalidField',
  AttributeInstanceNotFound: 'IndexOutOfBounds',
  AttributeReadOnly: 'PermissionDenied',
  ReadOnlyAttribute: 'PermissionDenied',
  AttributeSingleValued: 'IndexOutOfBounds',
  MultiValuedAttribute: 'InvalidField',
  UnsupportedAttribute: 'InvalidField',
  InvalidAttribute: 'InvalidField',
  InvalidAttributeValue: 'InvalidField',
  InvalidDataType: 'InvalidField',
  InvalidObjectType: 'InvalidField',
  IllegalObjectType: 'InvalidField',
  UnknownEnumeration: 'InvalidField',
  UnknownTag: 'InvalidField',
  NumericRange: 'InvalidField',
  UnknownMessageExtension: 'FeatureNotSupported',
  UnsupportedProtocolVersion: 'InvalidMessage',
  CodecError: 'InvalidMessage',
  BadCryptographicParameters: 'InvalidField',
  UnsupportedCryptographicParameters: 'FeatureNotSupported',
  IncompatibleCryptographicUsageMask: 'PermissionDenied',
  InternalServerError: 'GeneralFailure',
  ServerLimitExceeded: 'GeneralFailure',
  IllegalOperation: 'PermissionDenied',
  UsageLimitExceeded: 'PermissionDenied',
  KeyValueNotPresent: 'PermissionDenied',
  IndexOutOfBounds: 'AttributeInstanceNotFound',
};

const BY_NAME = new Map(RESULT_REASONS.map((r) => [r.name as string, r]));

/** The Result Reason value to send a client of `version` for the reason an operation named. */
export function resultReasonFor(name: string, version: KmipVersion): number {
  let current: string | undefined = name;
  for (let hops = 0; current !== undefined && hops < 4; hops++) {
    const def = BY_NAME.get(current);
    if (def !== undefined && definedIn(version, def.since, 'until' in def ? def.until : undefined)) return def.value;
    current = FALLBACK[current as ResultReasonName];
  }
  return BY_NAME.get('GeneralFailure')!.value;
}

export function isResultReasonName(name: string): name is ResultReasonName {
  return BY_NAME.has(name);
}
