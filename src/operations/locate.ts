// Locate (1.4 §4.9; 2.1 §6.1.28): the Unique Identifiers of the caller's objects that match every attribute given,
// newest first, after Offset Items (1.3+), at most Maximum Items; Storage Status Mask picks on-line, archived and (2.x
// only) destroyed objects; Object Group Member (1.1+) narrows a group to its fresh or default member. One UID found
// sets the ID Placeholder, any other count empties it. Errors (2.1 §6.1.28.1): Invalid Field, Invalid Attribute
// (1.x Invalid Field), Feature Not Supported (named templates), Invalid Message.
import { enumValueDef, maskForTag } from '../kmip/dictionary.js';
import { Enum, Mask } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import { versionRank, type KmipVersion } from '../kmip/versions.js';
import type { LocateQuery } from '../store/locate-query.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { readAttribute1x, readAttributes2x, readTemplateAttribute, type AttributeInput } from './attribute-io.js';
import { locateFilters, usageLimitsMatch } from './locate-filters.js';
import { services, sweepDueStates } from './object-access.js';
import type { OperationContext, OperationRun } from './operation.js';

const RequestSchema = defineStructure('LocateRequestPayload', Tag.RequestPayload, [
  { key: 'maximumItems', tag: Tag.MaximumItems, type: T.Integer },
  { key: 'offsetItems', tag: Tag.OffsetItems, type: T.Integer, since: '1.3' },
  { key: 'storageStatusMask', tag: Tag.StorageStatusMask, type: T.Integer },
  { key: 'objectGroupMember', tag: Tag.ObjectGroupMember, type: T.Enumeration, since: '1.1' },
  { key: 'attribute', tag: Tag.Attribute, type: T.Structure, repeated: true, until: '2.0' },
  // Not in the 1.x spec, yet FortiGate wraps its Locate filters in a Template-Attribute: read it like the Attributes
  { key: 'templateAttribute', tag: Tag.TemplateAttribute, type: T.Structure, repeated: true, until: '2.0' },
  // REQUIRED in 2.x, but MAY be empty: an absent one is read as empty, which matches every object
  { key: 'attributes', tag: Tag.Attributes, type: T.Structure, since: '2.0' },
]);

interface LocateRequest {
  maximumItems?: number;
  offsetItems?: number;
  storageStatusMask?: number;
  objectGroupMember?: number;
  attribute?: TtlvItem[];
  templateAttribute?: TtlvItem[];
  attributes?: TtlvItem;
}

type StorageClass = keyof LocateQuery['include'];

/** Storage Status Mask bits (1.4 §9.1.3.3.2; 2.1 §12.3) and the storage class each selects. */
const STORAGE_BITS: readonly (readonly [number, StorageClass])[] = [
  [Mask.StorageStatusMask.OnLineStorage, 'online'],
  [Mask.StorageStatusMask.ArchivalStorage, 'archived'],
  [Mask.StorageStatusMask.DestroyedStorage, 'destroyed'],
];
const STORAGE_STATUS = maskForTag(Tag.StorageStatusMask)!;

export const locate: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as LocateRequest;
  const maxItems = nonNegative(req.maximumItems, 'Maximum Items');
  const offsetItems = nonNegative(req.offsetItems, 'Offset Items') || undefined;
  const { filters, usageLimits } = locateFilters(filterInputs(req, ctx.version), ctx.version);
  const member = groupMember(req.objectGroupMember);
  // Group Member Fresh: only fresh members of the group (1.4 §3.34); Group Member Default: kmipd's policy names the
  // newest member the default
  if (member === 'fresh') filters.push({ kind: 'equals', name: 'Fresh', value: ttlv.boolean(Tag.Fresh, true) });
  const pageSize = member === 'default' ? Math.min(maxItems ?? 1, 1) : maxItems;

  // a State filter must see states whose dates have come even if no client has touched the object since
  if (filters.some((f) => f.name === 'State')) sweepDueStates(svc);

  const base: LocateQuery = {
    owner: svc.isAdmin(ctx.identity) ? undefined : ctx.identity,
    filters,
    include: storageClasses(req.storageStatusMask, ctx.version),
  };
  // Located Items (1.3+) counts every match: given when the client pages with Offset or Maximum Items, and left out
  // otherwise, as the OASIS responses to unpaged Locates carry none
  const counted = versionRank(ctx.version) >= versionRank('1.3') && (req.offsetItems !== undefined || req.maximumItems !== undefined);
  let uids: string[];
  let located: number | undefined;
  if (counted || usageLimits.length > 0) {
    let all = svc.store.locate(base);
    if (usageLimits.length > 0) all = all.filter((uid) => usageLimitsMatch(svc.store.get(uid)!, usageLimits));
    located = all.length;
    const from = offsetItems ?? 0;
    uids = all.slice(from, pageSize === undefined ? undefined : from + pageSize);
  } else {
    uids = svc.store.locate({ ...base, offsetItems, maxItems: pageSize });
  }

  const body: TtlvItem[] = [];
  if (counted) body.push(ttlv.integer(Tag.LocatedItems, located!));
  body.push(...uids.map((uid) => ttlv.textString(Tag.UniqueIdentifier, uid)));
  return {
    payload: ttlv.structure(Tag.ResponsePayload, body),
    // "If a single Unique Identifier is returned ... copy [it] into the ID Placeholder"; otherwise it is emptied
    idPlaceholder: uids.length === 1 ? uids[0]! : null,
    uniqueIdentifiers: uids,
  };
};

/** The filter attributes in the request's dialect: 1.x Attributes (and a Template-Attribute), 2.x Attributes. */
function filterInputs(req: LocateRequest, version: KmipVersion): AttributeInput[] {
  if (req.attributes !== undefined) return readAttributes2x(req.attributes, version);
  return [
    ...(req.attribute ?? []).map((a) => readAttribute1x(a)),
    ...(req.templateAttribute ?? []).flatMap(readTemplateAttribute),
  ];
}

function nonNegative(value: number | undefined, what: string): number | undefined {
  if (value !== undefined && value < 0) throw new KmipError('InvalidField', `${what} must not be negative`);
  return value;
}

function groupMember(value: number | undefined): 'fresh' | 'default' | undefined {
  if (value === undefined) return undefined;
  if (value === Enum.ObjectGroupMember.GroupMemberFresh) return 'fresh';
  if (value === Enum.ObjectGroupMember.GroupMemberDefault) return 'default';
  throw new KmipError('InvalidField', `Object Group Member 0x${value.toString(16)} is not defined`);
}

/**
 * The storage classes a Storage Status Mask selects. Omitted (or 0, which selects nothing, read as omitted): on-line
 * only. Destroyed Storage is a 2.x bit, so a 1.x client never sees destroyed objects; a bit the version does not
 * define is Invalid Field.
 */
function storageClasses(mask: number | undefined, version: KmipVersion): LocateQuery['include'] {
  const include = { online: false, archived: false, destroyed: false };
  if (mask === undefined || mask === 0) return { ...include, online: true };
  let rest = mask;
  for (const [bit, cls] of STORAGE_BITS) {
    if ((mask & bit) === 0) continue;
    if (enumValueDef(STORAGE_STATUS, bit, version) === undefined) {
      throw new KmipError('InvalidField', `Storage Status Mask bit 0x${bit.toString(16)} is not defined in KMIP ${version}`);
    }
    include[cls] = true;
    rest &= ~bit;
  }
  if (rest !== 0) throw new KmipError('InvalidField', `Storage Status Mask 0x${mask.toString(16)} has undefined bits`);
  return include;
}
