// Destroy (1.4 §4.21; 2.1 §6.1.15): the key material is wiped (the store secure-deletes it) and Destroy Date set;
// the metadata stays, so Get Attributes still answers, Get does not, and the object's names may be used again.
// Pre-Active and Deactivated objects become Destroyed, Compromised ones Destroyed Compromised (1.4 §3.22
// transitions 2, 7, 9); an Active object is refused (AKLC-M-2, SKLC-M-2). Errors: Item Not Found; Object Archived;
// already destroyed: Permission Denied in 1.x (§11.22), Object Destroyed in 2.x (§6.1.15.1); any other state:
// Wrong Key Lifecycle State (Permission Denied in 1.x).
import { KmipError } from '../kmip/kmip-error.js';
import { isDestroyed, transition } from '../model/lifecycle.js';
import { changed, dateValue, services, withSingle } from './object-access.js';
import type { OperationRun } from './operation.js';
import { loadOnline, readUidOnly, uidResponse } from './registered-objects.js';

export const destroy: OperationRun = (payload, ctx) => {
  const svc = services(ctx);
  const object = loadOnline(ctx, readUidOnly(payload, ctx));
  if (isDestroyed(object.state)) {
    throw new KmipError('ObjectDestroyed', `object ${object.uid} is already destroyed`);
  }
  const state = transition(object.state, 'destroy');
  const now = svc.now();
  const attributes = withSingle(object.attributes, 'DestroyDate', dateValue('DestroyDate', now));
  svc.store.update(changed(object, { state, attributes, material: undefined }, now));
  return { payload: uidResponse(object.uid, ctx.version), uniqueIdentifiers: [object.uid] };
};
