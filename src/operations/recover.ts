// Recover (1.4 §4.23; 2.1 §6.1.42): an archived object comes back on line; the server deletes its Archive Date
// (1.4 §3.32). Recover is among the operations that set the ID Placeholder (1.4 §4; 2.1 §6.1). Recovering an object
// that is on line already changes nothing and succeeds: the error tables list only Item Not Found (1.4 §11.24).
import { changed, loadObject, services, withoutAttribute } from './object-access.js';
import type { OperationRun } from './operation.js';
import { readUidOnly, uidResponse } from './registered-objects.js';

export const recover: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const object = loadObject(ctx, readUidOnly(payload, ctx));
  if (object.archived === true) {
    const now = svc.now();
    const updated = changed(object, { attributes: withoutAttribute(object.attributes, 'ArchiveDate') }, now);
    svc.store.update({ ...updated, archived: false });
  }
  return { payload: uidResponse(object.uid, ctx.version), idPlaceholder: object.uid, uniqueIdentifiers: [object.uid] };
};
