// What every operation sees and returns: the narrow interface between protocol/ and operations/ (1.4 §4; 2.1 §6).
import type { KeyStore } from '../keystore/key-store.js';
import type { ReadOptions } from '../kmip/structure-schema.js';
import type { ObjectStore } from '../store/object-store.js';
import type { KmipVersion } from '../kmip/versions.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';

/** Facts about this server that operations report (Query, Discover Versions), supplied by protocol/. */
export interface ServerFacts {
  /** Operation values this server answers in `version`, in the dispatch table's order (never test-only ones). */
  supportedOperations(version: KmipVersion): readonly number[];
  /** Object Type values this server manages in `version`. */
  supportedObjectTypes(version: KmipVersion): readonly number[];
  /** Versions we speak, our preferred (newest) first. */
  readonly protocolVersions: readonly KmipVersion[];
  readonly vendorIdentification: string;
  readonly productName: string;
  readonly productVersion: string;
}

/** What the managed-object operations work with; absent when the server runs without storage (protocol tests). */
export interface ObjectServices {
  readonly store: ObjectStore;
  readonly keys: KeyStore;
  /** Seconds since the epoch: the clock all dates come from. */
  readonly now: () => bigint;
  /** Identities configured as administrators see and act on every object. */
  readonly isAdmin: (identity: string) => boolean;
}

export interface OperationContext {
  /** The version the request is read in and answered in. */
  readonly version: KmipVersion;
  /** How to read the payload: in `version`, ignoring unknown fields when the request named a newer minor. */
  readonly readOptions: ReadOptions;
  /** The client identity (certificate), the owner of what it creates. */
  readonly identity: string;
  /** The ID Placeholder carried from earlier items of the batch (1.4 §4; 2.1 §6.1), if any. */
  readonly idPlaceholder: string | undefined;
  readonly server: ServerFacts;
  readonly services: ObjectServices | undefined;
  /** Writes a record to the server log beside the item's audit record (Log, Interop). */
  readonly note: (event: string, fields: Readonly<Record<string, string>>) => void;
}

export interface OperationOutcome {
  /** The Response Payload (tag ResponsePayload), or undefined when the operation returns none. */
  readonly payload: TtlvItem | undefined;
  /**
   * The new ID Placeholder: a string to set it, null to empty it (a Locate finding other than one object),
   * undefined to leave it unchanged. Only operations the spec names may set it.
   */
  readonly idPlaceholder?: string | null;
  /** The objects the item touched, for the audit record. */
  readonly uniqueIdentifiers?: readonly string[];
  /** Runs once the response is encoded: zeroes plaintext key material the payload referred to. */
  readonly afterResponse?: () => void;
}

/**
 * Synchronous on purpose: an item runs inside its store transaction (better-sqlite3 is synchronous, and so
 * are the key store's calls), so that its writes commit, or roll back, as one.
 */
export type OperationRun = (payload: TtlvItem, ctx: OperationContext) => OperationOutcome;

/** An operation that awaits the key store (outside any store transaction); the same outcome as its OperationRun. */
export type OperationRunAsync = (payload: TtlvItem, ctx: OperationContext) => Promise<OperationOutcome>;
