// A managed object as kmipd keeps it: identity, owner, state, every attribute, and the key material sealed by
// the key store (1.4 §2.2 Managed Objects, §3 Attributes; 2.1 §2.2, §4).
import type { SealedMaterial } from '../keystore/key-store.js';
import type { AttributeInstance } from './attribute.js';

export interface ManagedObject {
  readonly uid: string;
  /** ObjectType enumeration value (1.4 §9.1.3.2.12). */
  readonly objectType: number;
  /** The client identity that created or registered it: its key management domain (1.4 §3.2). */
  readonly owner: string;
  /** State enumeration value (1.4 §3.22); mirrored from the State attribute for indexed Locate. */
  readonly state: number;
  /**
   * True once archived (Archive, 1.4 §4.22; Recover clears it): a storage class Locate filters on (Storage
   * Status Mask). Absent means online.
   */
  readonly archived?: boolean;
  /**
   * Every attribute, client- and server-set, including UniqueIdentifier, ObjectType and State; their
   * order is the order Get Attributes returns them in.
   */
  readonly attributes: readonly AttributeInstance[];
  /**
   * The object's content (e.g. the SymmetricKey structure with its Key Block, or the OpaqueObject
   * structure) encoded as TTLV and sealed by the key store; undefined once destroyed (wiped).
   */
  readonly material: SealedMaterial | undefined;
  /** Monotonic creation sequence assigned by the store: Locate returns newest first (2.1 §6.1.28). */
  readonly sequence?: number;
}
