// The key-custody interface operations see (DESIGN: key custody): random bytes from the token, and sealing of
// key material under the token's key-encryption key (AES-256-GCM, AAD = object UID ‖ KEK version).
// Synchronous on purpose: these calls are fast (10–80k/s) and run inside the store's transaction; openAsync is for
// the one caller outside it, Get, whose unseal was a quarter of its event-loop time.

/** Key material as stored: AES-GCM ciphertext made by the token, and the KEK version that made it. */
export interface SealedMaterial {
  /** IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  readonly blob: Uint8Array;
  readonly kekVersion: number;
}

export interface KeyStore {
  /** `length` random bytes from the token's RNG (C_GenerateRandom). */
  random(length: number): Uint8Array;
  /** Encrypt under the current KEK; the AAD binds the blob to `uid` and the KEK version. */
  seal(uid: string, plaintext: Uint8Array): SealedMaterial;
  /**
   * Decrypt; throws KeyStoreError when the blob was moved to another UID, altered, or its KEK is gone.
   * The caller zeroes the returned plaintext once it is no longer needed.
   */
  open(uid: string, sealed: SealedMaterial): Uint8Array;
  /**
   * open() off the event loop where the token allows (a worker thread with its own session), for callers outside
   * a store transaction (Get); the same results and errors as open().
   */
  openAsync(uid: string, sealed: SealedMaterial): Promise<Uint8Array>;
  /** The KEK version new seals use. */
  readonly currentKekVersion: number;
  /** Makes a new KEK (version + 1) on the token and seals with it from now on; old versions still open. */
  rotateKek(): number;
  /** KEK versions present on the token. */
  kekVersions(): readonly number[];
  /**
   * Re-reads the KEK versions on the token, picking up one another process made (`kmipd token rotate-kek`);
   * new seals then use the newest. Returns the current version.
   */
  refresh(): number;
  /** Logs out and finalizes the module once in-flight calls are over. */
  close(): void;
}

/** A token fault (not present, logged out, KEK missing, decryption failure); protocol/ maps it to a KMIP error. */
export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';
  constructor(
    message: string,
    /** True when the token is unreachable (retrying later may work): answered as a server-side failure. */
    readonly unavailable: boolean = false,
  ) {
    super(message);
  }
}
