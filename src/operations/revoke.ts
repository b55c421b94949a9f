// Revoke (1.4 §4.20; 2.1 §6.1.44): Key Compromise or CA Compromise moves the object to Compromised (Destroyed ones to
// Destroyed Compromised) and sets Compromise Date = now and Compromise Occurrence Date = the request's, else the
// object's Initial Date; any other reason deactivates it (Deactivation Date = now). Revocation Reason is recorded.
// Errors: Item Not Found; Object Archived; Revocation Reason not recognized, or a Compromise Occurrence Date with a
// reason that is not a compromise ("SHALL NOT be specified"): Invalid Field; Template: Illegal Operation (1.x) /
// Invalid Object Type (2.x); a transition the state table lacks (Pre-Active deactivated, Compromised revoked again):
// Wrong Key Lifecycle State (Permission Denied in 1.x).
import { enumForTag, enumValueDef } from '../kmip/dictionary.js';
import { Enum } from '../kmip/enum.js';
import { KmipError } from '../kmip/kmip-error.js';
import { defineStructure, readStructure } from '../kmip/structure-schema.js';
import { Tag } from '../kmip/tag.js';
import type { AttributeInstance } from '../model/attribute.js';
import { transition, type LifecycleEvent } from '../model/lifecycle.js';
import { ItemType as T } from '../ttlv/item-type.js';
import { ttlv, type TtlvItem } from '../ttlv/ttlv-item.js';
import { changed, dateOf, dateValue, services, targetUid, withSingle } from './object-access.js';
import type { OperationRun } from './operation.js';
import { assertOperable, loadOnline, uidResponse } from './registered-objects.js';

const ReasonSchema = defineStructure('RevocationReason', Tag.RevocationReason, [
  { key: 'revocationReasonCode', tag: Tag.RevocationReasonCode, type: T.Enumeration, required: true },
  { key: 'revocationMessage', tag: Tag.RevocationMessage, type: T.TextString },
]);

const RequestSchema = defineStructure('RevokeRequestPayload', Tag.RequestPayload, [
  { key: 'uniqueIdentifier', tag: Tag.UniqueIdentifier, type: T.TextString },
  { key: 'revocationReason', tag: Tag.RevocationReason, type: T.Structure, required: true, schema: ReasonSchema },
  { key: 'compromiseOccurrenceDate', tag: Tag.CompromiseOccurrenceDate, type: T.DateTime },
]);

const R = Enum.RevocationReasonCode;

/** What each reason does (1.4 §4.20): the two compromise reasons compromise, every other reason deactivates. */
const EVENT_OF_REASON: ReadonlyMap<number, LifecycleEvent> = new Map<number, LifecycleEvent>([
  [R.Unspecified, 'deactivate'],
  [R.KeyCompromise, 'compromise'],
  [R.CACompromise, 'compromise'],
  [R.AffiliationChanged, 'deactivate'],
  [R.Superseded, 'deactivate'],
  [R.CessationOfOperation, 'deactivate'],
  [R.PrivilegeWithdrawn, 'deactivate'],
]);

const REASON_CODES = enumForTag(Tag.RevocationReasonCode)!;

export const revoke: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const req = readStructure(payload, RequestSchema, ctx.readOptions) as {
    uniqueIdentifier?: string;
    revocationReason: { revocationReasonCode: number; revocationMessage?: string };
    compromiseOccurrenceDate?: bigint;
  };
  const code = req.revocationReason.revocationReasonCode;
  const event = EVENT_OF_REASON.get(code);
  if (event === undefined || enumValueDef(REASON_CODES, code, ctx.version) === undefined) {
    throw new KmipError('InvalidField', `Revocation Reason Code 0x${code.toString(16)} is not recognized`);
  }
  if (event !== 'compromise' && req.compromiseOccurrenceDate !== undefined) {
    throw new KmipError('InvalidField', 'a Compromise Occurrence Date is only given with Key Compromise or CA Compromise');
  }
  const object = loadOnline(ctx, targetUid(req.uniqueIdentifier, ctx));
  assertOperable('Revoke', object, ctx.version);
  const state = transition(object.state, event);
  const now = svc.now();

  const reason: TtlvItem[] = [ttlv.enumeration(Tag.RevocationReasonCode, code)];
  if (req.revocationReason.revocationMessage !== undefined) reason.push(ttlv.textString(Tag.RevocationMessage, req.revocationReason.revocationMessage));
  let attributes: AttributeInstance[] = withSingle(object.attributes, 'RevocationReason', ttlv.structure(Tag.RevocationReason, reason));
  if (event === 'compromise') {
    const occurred = req.compromiseOccurrenceDate ?? dateOf(object, 'InitialDate') ?? now;
    attributes = withSingle(attributes, 'CompromiseOccurrenceDate', dateValue('CompromiseOccurrenceDate', occurred));
    attributes = withSingle(attributes, 'CompromiseDate', dateValue('CompromiseDate', now));
  } else {
    attributes = withSingle(attributes, 'DeactivationDate', dateValue('DeactivationDate', now));
  }
  svc.store.update(changed(object, { state, attributes }, now));
  return { payload: uidResponse(object.uid, ctx.version), uniqueIdentifiers: [object.uid] };
};
