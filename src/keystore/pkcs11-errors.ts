// PKCS#11 return values (CK_RV, PKCS#11 v2.40 base §3.6 / pkcs11t.h) as a table: name, and whether the token is
// unreachable (the store answers "unavailable" and reopens its session on the next call).
import { KeyStoreError } from './key-store.js';

type Kind = 'unavailable' | 'fault';

/**
 * [code, name, kind, hint]. `unavailable` values mean the session, the login or the device went away: retrying after
 * reopening the session may work. Every other value is a fault of the call or of the configuration.
 */
const CKR = [
  [0x002, 'CKR_HOST_MEMORY', 'unavailable', 'the PKCS#11 library ran out of memory'],
  [0x003, 'CKR_SLOT_ID_INVALID', 'unavailable', 'the slot went away'],
  [0x005, 'CKR_GENERAL_ERROR', 'fault', ''],
  [0x006, 'CKR_FUNCTION_FAILED', 'fault', ''],
  [0x007, 'CKR_ARGUMENTS_BAD', 'fault', ''],
  [0x010, 'CKR_ATTRIBUTE_READ_ONLY', 'fault', ''],
  [0x012, 'CKR_ATTRIBUTE_TYPE_INVALID', 'fault', ''],
  [0x013, 'CKR_ATTRIBUTE_VALUE_INVALID', 'fault', ''],
  [0x020, 'CKR_DATA_INVALID', 'fault', ''],
  [0x021, 'CKR_DATA_LEN_RANGE', 'fault', ''],
  [0x030, 'CKR_DEVICE_ERROR', 'unavailable', 'the token reported a device error'],
  [0x031, 'CKR_DEVICE_MEMORY', 'unavailable', 'the token ran out of memory'],
  [0x032, 'CKR_DEVICE_REMOVED', 'unavailable', 'the token was removed'],
  [0x040, 'CKR_ENCRYPTED_DATA_INVALID', 'fault', ''],
  [0x041, 'CKR_ENCRYPTED_DATA_LEN_RANGE', 'fault', ''],
  [0x054, 'CKR_FUNCTION_NOT_SUPPORTED', 'fault', ''],
  // Handles of the store's session KEK copies die with their session.
  [0x060, 'CKR_KEY_HANDLE_INVALID', 'unavailable', 'a key handle went stale'],
  [0x062, 'CKR_KEY_SIZE_RANGE', 'fault', ''],
  [0x063, 'CKR_KEY_TYPE_INCONSISTENT', 'fault', ''],
  [0x068, 'CKR_KEY_FUNCTION_NOT_PERMITTED', 'fault', ''],
  [0x070, 'CKR_MECHANISM_INVALID', 'fault', 'the token does not offer this mechanism'],
  [0x071, 'CKR_MECHANISM_PARAM_INVALID', 'fault', ''],
  [0x082, 'CKR_OBJECT_HANDLE_INVALID', 'unavailable', 'an object handle went stale'],
  // An operation left active (e.g. after CKR_BUFFER_TOO_SMALL) blocks the session until it is reopened.
  [0x090, 'CKR_OPERATION_ACTIVE', 'unavailable', 'an operation was left active on the session'],
  [0x091, 'CKR_OPERATION_NOT_INITIALIZED', 'fault', ''],
  [0x0a0, 'CKR_PIN_INCORRECT', 'fault', 'the token PIN is wrong'],
  [0x0a1, 'CKR_PIN_INVALID', 'fault', 'the token PIN has invalid characters'],
  [0x0a2, 'CKR_PIN_LEN_RANGE', 'fault', 'the token PIN is too long or too short'],
  [0x0a3, 'CKR_PIN_EXPIRED', 'fault', 'the token PIN has expired'],
  [0x0a4, 'CKR_PIN_LOCKED', 'fault', 'the token PIN is locked'],
  [0x0b0, 'CKR_SESSION_CLOSED', 'unavailable', 'the session was closed'],
  [0x0b1, 'CKR_SESSION_COUNT', 'unavailable', 'the token has no free session'],
  [0x0b3, 'CKR_SESSION_HANDLE_INVALID', 'unavailable', 'the session was closed'],
  [0x0b5, 'CKR_SESSION_READ_ONLY', 'unavailable', 'the session is read-only'],
  [0x0b6, 'CKR_SESSION_EXISTS', 'unavailable', ''],
  [0x0b7, 'CKR_SESSION_READ_ONLY_EXISTS', 'unavailable', ''],
  [0x0b8, 'CKR_SESSION_READ_WRITE_SO_EXISTS', 'unavailable', 'the security officer is logged in'],
  [0x0d0, 'CKR_TEMPLATE_INCOMPLETE', 'fault', ''],
  [0x0d1, 'CKR_TEMPLATE_INCONSISTENT', 'fault', ''],
  [0x0e0, 'CKR_TOKEN_NOT_PRESENT', 'unavailable', 'the token is not present'],
  [0x0e1, 'CKR_TOKEN_NOT_RECOGNIZED', 'unavailable', 'the token is not recognized'],
  [0x0e2, 'CKR_TOKEN_WRITE_PROTECTED', 'fault', 'the token is write-protected'],
  [0x100, 'CKR_USER_ALREADY_LOGGED_IN', 'fault', ''],
  [0x101, 'CKR_USER_NOT_LOGGED_IN', 'unavailable', 'the login was lost'],
  [0x102, 'CKR_USER_PIN_NOT_INITIALIZED', 'fault', 'the token has no user PIN'],
  [0x103, 'CKR_USER_TYPE_INVALID', 'fault', ''],
  [0x104, 'CKR_USER_ANOTHER_ALREADY_LOGGED_IN', 'unavailable', 'another user is logged in'],
  [0x121, 'CKR_RANDOM_NO_RNG', 'fault', 'the token has no random number generator'],
  [0x150, 'CKR_BUFFER_TOO_SMALL', 'fault', ''],
  [0x190, 'CKR_CRYPTOKI_NOT_INITIALIZED', 'unavailable', 'the PKCS#11 library is not initialized'],
  [0x191, 'CKR_CRYPTOKI_ALREADY_INITIALIZED', 'fault', ''],
  [0x200, 'CKR_FUNCTION_REJECTED', 'fault', ''],
] as const satisfies readonly (readonly [number, string, Kind, string])[];

const BY_CODE: ReadonlyMap<number, (typeof CKR)[number]> = new Map(CKR.map((row) => [row[0], row]));

export const CKR_USER_ALREADY_LOGGED_IN = 0x100;
/** SoftHSM answers a GCM tag mismatch with CKR_GENERAL_ERROR; other tokens with CKR_ENCRYPTED_DATA_INVALID. */
export const CKR_AUTHENTICATION_FAILED: readonly number[] = [0x005, 0x020, 0x040, 0x041];

/** The CK_RV of an error thrown by pkcs11js (its Pkcs11Error carries `code`), or undefined for any other error. */
export function ckrOf(error: unknown): number | undefined {
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'number') {
    return (error as unknown as { code: number }).code;
  }
  return undefined;
}

export function ckrName(code: number): string {
  return BY_CODE.get(code)?.[1] ?? `CKR_0x${code.toString(16).padStart(8, '0')}`;
}

/** True when retrying after reopening the session may work. */
export function isUnavailable(code: number): boolean {
  return BY_CODE.get(code)?.[2] === 'unavailable';
}

/**
 * A KeyStoreError for a failed PKCS#11 call. The message names the step and the CK_RV only: never the call's
 * arguments, so no PIN or key byte can reach it. `secrets` are scrubbed from foreign messages as a second guard.
 */
export function pkcs11Failure(step: string, error: unknown, secrets: readonly string[] = []): KeyStoreError {
  if (error instanceof KeyStoreError) return error;
  const code = ckrOf(error);
  if (code !== undefined) {
    const row = BY_CODE.get(code);
    const hint = row !== undefined && row[3] !== '' ? `: ${row[3]}` : '';
    const method = (error as { method?: unknown }).method;
    const where = typeof method === 'string' && method !== '' && !step.includes(method) ? ` in ${method}` : '';
    return new KeyStoreError(`PKCS#11 ${step} failed${where} with ${ckrName(code)}${hint}`, isUnavailable(code));
  }
  let text = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('***');
  // A native failure (library not loadable, missing symbol) is not something a retry fixes.
  return new KeyStoreError(`PKCS#11 ${step} failed: ${text}`, false);
}
