// Username/password credentials of the request header (1.4 §2.1.2 Credential, §6.6 Authentication), checked
// against a configured list when one is given. Passwords are compared in constant time and never logged.
import { timingSafeEqual, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Enum } from '../kmip/enum.js';
import { Tag } from '../kmip/tag.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';

export interface UsernamePassword {
  readonly username: string;
  readonly password: string;
}

export function loadCredentials(file: string): readonly UsernamePassword[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed) || parsed.some((c) => typeof c?.username !== 'string' || typeof c?.password !== 'string')) {
    throw new Error(`${file}: expected [{"username": "...", "password": "..."}]`);
  }
  return parsed as UsernamePassword[];
}

/**
 * True when one of the Authentication's Credentials is a Username and Password matching the list. A header
 * carrying only other credential types (Device, Attestation, ...) is not accepted once a list is configured.
 */
export function checkCredential(authentication: TtlvItem, allowed: readonly UsernamePassword[]): boolean {
  if (authentication.type !== ItemType.Structure) return false;
  for (const credential of authentication.value) {
    if (credential.tag !== Tag.Credential || credential.type !== ItemType.Structure) continue;
    const type = credential.value.find((i) => i.tag === Tag.CredentialType);
    const value = credential.value.find((i) => i.tag === Tag.CredentialValue);
    if (type?.type !== ItemType.Enumeration || type.value !== Enum.CredentialType.UsernameAndPassword) continue;
    if (value?.type !== ItemType.Structure) continue;
    const username = text(value, Tag.Username);
    const password = text(value, Tag.Password) ?? '';
    if (username === undefined) continue;
    if (allowed.some((a) => a.username === username && sameSecret(a.password, password))) return true;
  }
  return false;
}

function text(item: TtlvItem & { type: typeof ItemType.Structure }, tag: number): string | undefined {
  const c = item.value.find((i) => i.tag === tag);
  return c?.type === ItemType.TextString ? c.value : undefined;
}

/** Equal-length digests so that timingSafeEqual can compare secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
