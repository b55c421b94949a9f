// Activate (1.4 §4.19; 2.1 §6.1.1): a Pre-Active object becomes Active, its Activation Date the current time.
// Errors: Item Not Found; Object Archived; not an object that can be activated: Illegal Operation (1.x) / Invalid
// Object Type (2.x); any state but Pre-Active: Wrong Key Lifecycle State (Permission Denied in 1.x, §11.20).
import { transition } from '../model/lifecycle.js';
import { changed, dateValue, services, withSingle } from './object-access.js';
import type { OperationRun } from './operation.js';
import { assertOperable, loadOnline, readUidOnly, uidResponse } from './registered-objects.js';

export const activate: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const object = loadOnline(ctx, readUidOnly(payload, ctx));
  assertOperable('Activate', object, ctx.version);
  const state = transition(object.state, 'activate');
  const now = svc.now();
  svc.store.update(changed(object, { state, attributes: withSingle(object.attributes, 'ActivationDate', dateValue('ActivationDate', now)) }, now));
  return { payload: uidResponse(object.uid, ctx.version), uniqueIdentifiers: [object.uid] };
};
