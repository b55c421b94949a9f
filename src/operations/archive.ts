// Archive (1.4 §4.22; 2.1 §6.1.4): the client's sign that the object may go to archival storage. kmipd keeps it in
// place and marks it archived: Locate finds it only under the Archived storage status, and operations other than
// Recover and attribute reads answer Object Archived until it is recovered. Sets Archive Date (1.4 §3.32).
// Errors: Item Not Found; already archived: Object Archived (1.4 §11.23; 2.1 §6.1.4.1).
import { changed, dateValue, loadObject, refuseArchived, services, withSingle } from './object-access.js';
import type { OperationRun } from './operation.js';
import { readUidOnly, uidResponse } from './registered-objects.js';

export const archive: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const object = loadObject(ctx, readUidOnly(payload, ctx));
  refuseArchived(object);
  const now = svc.now();
  const updated = changed(object, { attributes: withSingle(object.attributes, 'ArchiveDate', dateValue('ArchiveDate', now)) }, now);
  svc.store.update({ ...updated, archived: true });
  return { payload: uidResponse(object.uid, ctx.version), uniqueIdentifiers: [object.uid] };
};
