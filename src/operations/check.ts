// Check (1.4 §4.10; 2.1 §6.1.7): may the client use the object as it says? The object's Cryptographic Usage Mask
// must hold every asked bit, its Usage Limits must leave the asked count, its Lease Time must not be shorter than
// the asked one; then the Unique Identifier is returned. Errors: Item Not Found; Object Archived; Object Destroyed
// (Item Not Found in 1.x); Template: Illegal Operation (1.x) / Illegal Object Type (2.x); a denial: Permission Denied
// in 1.x (§11.11), in 2.x Incompatible Cryptographic Usage Mask (BL-M-2-21, BL-M-3-21), Usage Limit Exceeded, or
// Permission Denied for the lease. A failed item carries no payload (BL-M-2-21), so the denied values are named
// in the Result Message.
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { ManagedObject } from '../model/managed-object.js';
import { ItemType as T } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { child } from './key-material.js';
import { firstValue, refuseDestroyed, targetUid } from './object-access.js';
import type { OperationRun } from './operation.js';
import { assertOperable, loadOnline, uidResponse } from './registered-objects.js';

const RequestSchema = defineStructure('CheckRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'usageLimitsCount', tag: Tag.UsageLimitsCount, type: T.LongInteger },
  { key: 'cryptographicUsageMask', tag: Tag.CryptographicUsageMask, type: T.Integer },
  { key: 'leaseTime', tag: Tag.LeaseTime, type: T.Interval },
]);

export const check: OperationRun = (payload, ctx) => {
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    uniqueIdentifier?: string;
    usageLimitsCount?: bigint;
    cryptographicUsageMask?: number;
    leaseTime?: number;
  };
  const object = loadOnline(ctx, targetUid(req.uniqueIdentifier, ctx));
  assertOperable('Check', object, ctx.version);
  refuseDestroyed(object);

  if (req.cryptographicUsageMask !== undefined) {
    // An object without a mask declares no use at all.
    const mask = numberOf(firstValue(object, 'CryptographicUsageMask')) ?? 0;
    const missing = req.cryptographicUsageMask & ~mask;
    if (missing !== 0) {
      throw new KmipError(
        'IncompatibleCryptographicUsageMask',
        `Cryptographic Usage Mask 0x${req.cryptographicUsageMask.toString(16)} denied: the object does not allow 0x${missing.toString(16)}`,
      );
    }
  }
  if (req.usageLimitsCount !== undefined) {
    const remaining = remainingUsage(object);
    if (remaining !== undefined && req.usageLimitsCount > remaining) {
      throw new KmipError(
        'UsageLimitExceeded',
        `Usage Limits Count ${req.usageLimitsCount} denied: ${remaining} remain`,
      );
    }
  }
  if (req.leaseTime !== undefined) {
    const lease = numberOf(firstValue(object, 'LeaseTime'));
    if (lease !== undefined && req.leaseTime > lease) {
      throw new KmipError('PermissionDenied', `Lease Time ${req.leaseTime} denied: at most ${lease} seconds`);
    }
  }
  return { payload: uidResponse(object.uid, ctx.version), uniqueIdentifiers: [object.uid] };
};

function numberOf(v: TtlvItem | undefined): number | undefined {
  return v?.type === T.Integer || v?.type === T.Interval ? v.value : undefined;
}

/** Units the object may still protect (Usage Limits Count, else Total), or undefined when it is not limited (1.4 §3.21). */
function remainingUsage(object: ManagedObject): bigint | undefined {
  const limits = firstValue(object, 'UsageLimits');
  const count = child(limits, Tag.UsageLimitsCount) ?? child(limits, Tag.UsageLimitsTotal);
  return count?.type === T.LongInteger ? count.value : undefined;
}
