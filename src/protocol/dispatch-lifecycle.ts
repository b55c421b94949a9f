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

export const LIFECYCLE_OPERATIONS: readonly OperationDef[] = [
  { operation: Op.Register, name: 'Register', since: '1.0', run: register },
  { operation: Op.ReKey, name: 'ReKey', since: '1.0', run: reKey },
  { operation: Op.Check, name: 'Check', since: '1.0', readOnly: true, run: check },
  { operation: Op.Activate, name: 'Activate', since: '1.0', run: activate },
  { operation: Op.Revoke, name: 'Revoke', since: '1.0', run: revoke },
  { operation: Op.Destroy, name: 'Destroy', since: '1.0', run: destroy },
  { operation: Op.Archive, name: 'Archive', since: '1.0', run: archive },
  { operation: Op.Recover, name: 'Recover', since: '1.0', run: recover },
];
