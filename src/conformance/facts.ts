// What the judge knows about one test-case file while it replays it: what its requests ask for and fix, and who
// made each object (KMIP Profiles §4.7.1 makes generated key material and crypto output variable, not the client's).
import { attributeByName } from '../kmip/dictionary.js';
import { Enum } from '../kmip/enum.js';
import { kmipVocabulary } from '../kmip/kmip-vocabulary.js';
import { Tag } from '../kmip/tag.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { tagLabel } from './paths.js';
import type { TestCase } from './test-case.js';
import { OBJECT_ORIGIN_BY_OPERATION, SERVER_SET_DATE_TAGS } from './variations.js';

export interface ObjectOrigin {
  readonly origin: 'server' | 'client';
  /** Object Type enumeration value, when the exchange says it. */
  readonly objectType?: number;
}

const vocab = kmipVocabulary();
const DATE_TAGS: ReadonlySet<string> = new Set(SERVER_SET_DATE_TAGS);
const ORIGINS: Readonly<Record<string, 'server' | 'client'>> = OBJECT_ORIGIN_BY_OPERATION;

export function children(item: TtlvItem | undefined, tag: number): TtlvItem[] {
  return item?.type === ItemType.Structure ? item.value.filter((c) => c.tag === tag) : [];
}

export function child(item: TtlvItem | undefined, tag: number): TtlvItem | undefined {
  return item?.type === ItemType.Structure ? item.value.find((c) => c.tag === tag) : undefined;
}

export function textOf(item: TtlvItem | undefined): string | undefined {
  return item?.type === ItemType.TextString ? item.value : undefined;
}

export function enumOf(item: TtlvItem | undefined): number | undefined {
  return item?.type === ItemType.Enumeration ? item.value : undefined;
}

export function operationName(value: number | undefined): string | undefined {
  return value === undefined ? undefined : vocab.enumName(Tag.Operation, value);
}

/** The tag name a 1.x Attribute Name stands for ("Activation   Date" → ActivationDate); the 1.0 files space names loosely. */
export function attributeTagName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return attributeByName(name.trim().replace(/\s+/g, ' '))?.tag;
}

export class FileFacts {
  /** Operations the file's requests use: Query must report these (4.7.1 "other than those required"). */
  readonly requestedOperations = new Set<number>();
  /** Object types the file's requests name. */
  readonly requestedObjectTypes = new Set<number>();
  /** `Tag:seconds` of server-set date attributes that a request fixes to a literal DateTime. */
  readonly fixedDates = new Set<string>();
  /** Tag names of the attribute structures a request gives a value (2.x item, or 1.x Attribute with a Value). */
  readonly fixedStructures = new Set<string>();
  /** Unique Identifier (the server's text) → who made the object. */
  readonly objects = new Map<string, ObjectOrigin>();

  static of(testCase: TestCase): FileFacts {
    const facts = new FileFacts();
    for (const step of testCase.steps) facts.scanRequest(step.request.root, step.request.placeholders, undefined);
    return facts;
  }

  private scanRequest(item: TtlvItem, placeholders: ReadonlyMap<TtlvItem, string>, attributeTag: string | undefined): void {
    if (item.type === ItemType.Structure) {
      const nameTag = item.tag === Tag.Attribute ? attributeTagName(textOf(child(item, Tag.AttributeName))) : undefined;
      if (nameTag !== undefined && child(item, Tag.AttributeValue)?.type === ItemType.Structure) this.fixedStructures.add(nameTag);
      this.fixedStructures.add(tagLabel(item.tag));
      for (const c of item.value) this.scanRequest(c, placeholders, nameTag);
      return;
    }
    if (item.tag === Tag.Operation && item.type === ItemType.Enumeration) this.requestedOperations.add(item.value);
    if (item.tag === Tag.ObjectType && item.type === ItemType.Enumeration) this.requestedObjectTypes.add(item.value);
    if (item.type === ItemType.DateTime && !placeholders.has(item)) {
      const tag = item.tag === Tag.AttributeValue ? attributeTag : tagLabel(item.tag);
      if (tag !== undefined && DATE_TAGS.has(tag)) this.fixedDates.add(`${tag}:${item.value}`);
    }
  }

  /** After a response: remember who made each object it names (from the server's values, not the file's). */
  recordStep(request: TtlvItem, response: TtlvItem): void {
    const requests = children(request, Tag.BatchItem);
    children(response, Tag.BatchItem).forEach((item, i) => {
      if (enumOf(child(item, Tag.ResultStatus)) !== Enum.ResultStatus.Success) return;
      const origin = ORIGINS[operationName(enumOf(child(item, Tag.Operation))) ?? ''];
      if (origin === undefined) return;
      const payload = child(item, Tag.ResponsePayload);
      const requestPayload = child(requests[i], Tag.RequestPayload);
      const objectType = enumOf(child(payload, Tag.ObjectType)) ?? enumOf(child(requestPayload, Tag.ObjectType));
      const uid = textOf(child(payload, Tag.UniqueIdentifier));
      if (uid !== undefined) this.objects.set(uid, objectType === undefined ? { origin } : { origin, objectType });
      const privateUid = textOf(child(payload, Tag.PrivateKeyUniqueIdentifier));
      if (privateUid !== undefined) this.objects.set(privateUid, { origin, objectType: Enum.ObjectType.PrivateKey });
      const publicUid = textOf(child(payload, Tag.PublicKeyUniqueIdentifier));
      if (publicUid !== undefined) this.objects.set(publicUid, { origin, objectType: Enum.ObjectType.PublicKey });
    });
  }
}
