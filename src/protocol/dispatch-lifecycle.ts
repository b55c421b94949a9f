// Dispatch rows of the lifecycle operations (1.4 §4.3, §4.4, §4.10, §4.19–4.23; 2.1 §6.1.1, .4, .7, .15, .42–.46);
// merged into dispatch.ts.
import { Enum } from '../kmip/enum.js';
import { activate } from '../operations/activate.js';
import { archive } from '../operations/archive.js';
import { check } from '../operations/check.js';
import { destroy } from '../operations/destroy.js';
import { recover } from '../operations/recover.js';
import { register } from '../operations/register.js';
import { reKey } from '../operations/rekey.js';
import { revoke } from '../operations/revoke.js';
import type { OperationDef } from './operation-def.js';

const Op = Enum.Operation;

// Where an operation's 1.x error table (1.4 §11) answers a fault differently from the general mapping.
// "…not able to be activated/revoked" and "Check cannot be performed on this object" (§11.20, §11.21, §11.11):
// Illegal Operation; "Object specified is not able to be re-keyed" (§11.5): Permission Denied.
const NOT_FOR_THIS_OBJECT_1X = { InvalidObjectType: 'IllegalOperation', IllegalObjectType: 'IllegalOperation' } as const;
// "Object exists with the same Name" on Register (§11.4): Invalid Field.
const REGISTER_1X = { NonUniqueNameAttribute: 'InvalidField' } as const;
// Destroy of an object already destroyed (§11.22): Permission Denied.
const DESTROY_1X = { ObjectDestroyed: 'PermissionDenied' } as const;

export const LIFECYCLE_OPERATIONS: readonly OperationDef[] = [
  { operation: Op.Register, name: 'Register', since: '1.0', answers1x: REGISTER_1X, run: register },
  { operation: Op.ReKey, name: 'ReKey', since: '1.0', answers1x: { InvalidObjectType: 'PermissionDenied' }, run: reKey },
  { operation: Op.Check, name: 'Check', since: '1.0', readOnly: true, answers1x: NOT_FOR_THIS_OBJECT_1X, run: check },
  { operation: Op.Activate, name: 'Activate', since: '1.0', answers1x: NOT_FOR_THIS_OBJECT_1X, run: activate },
  { operation: Op.Revoke, name: 'Revoke', since: '1.0', answers1x: NOT_FOR_THIS_OBJECT_1X, run: revoke },
  { operation: Op.Destroy, name: 'Destroy', since: '1.0', answers1x: DESTROY_1X, run: destroy },
  { operation: Op.Archive, name: 'Archive', since: '1.0', run: archive },
  { operation: Op.Recover, name: 'Recover', since: '1.0', run: recover },
];
