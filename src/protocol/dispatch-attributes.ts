// Dispatch rows of Locate and the attribute operations (1.4 §4.9, §4.13–4.16; 2.1 §6.1.2, §6.1.13, §6.1.21, §6.1.28,
// §6.1.34, §6.1.51); merged into dispatch.ts.
import { Enum } from '../kmip/enum.js';
import { addAttribute } from '../operations/add-attribute.js';
import { deleteAttribute } from '../operations/delete-attribute.js';
import { getAttributeList } from '../operations/get-attribute-list.js';
import { locate } from '../operations/locate.js';
import { modifyAttribute } from '../operations/modify-attribute.js';
import { setAttribute } from '../operations/set-attribute.js';
import type { ResultReasonName } from '../kmip/kmip-error.js';
import type { OperationDef } from './operation-def.js';

const Op = Enum.Operation;

type Answers = Readonly<Partial<Record<ResultReasonName, ResultReasonName>>>;

// Where an operation's 1.x error table (1.4 §11.15–11.17) answers a fault differently from the general mapping.
const ADD_1X: Answers = {
  // "The specified attribute already exists": Illegal Operation
  AttributeSingleValued: 'IllegalOperation',
  // "Attempt to add an attribute that is not supported for this object": Permission Denied
  InvalidAttribute: 'PermissionDenied',
  // "the server limit on instances has been reached": Index Out of Bounds
  ServerLimitExceeded: 'IndexOutOfBounds',
};
// "No matching attribute instance exists": Item Not Found
const MODIFY_1X: Answers = { AttributeInstanceNotFound: 'ItemNotFound' };
// "No matching attribute instance exists" and "No attribute with the specified name exists": Item Not Found
const DELETE_1X: Answers = { AttributeInstanceNotFound: 'ItemNotFound', AttributeNotFound: 'ItemNotFound', UnsupportedAttribute: 'ItemNotFound' };

export const ATTRIBUTE_OPERATIONS: readonly OperationDef[] = [
  { operation: Op.Locate, name: 'Locate', since: '1.0', readOnly: true, run: locate },
  { operation: Op.GetAttributeList, name: 'GetAttributeList', since: '1.0', readOnly: true, run: getAttributeList },
  { operation: Op.AddAttribute, name: 'AddAttribute', since: '1.0', answers1x: ADD_1X, run: addAttribute },
  { operation: Op.ModifyAttribute, name: 'ModifyAttribute', since: '1.0', answers1x: MODIFY_1X, run: modifyAttribute },
  { operation: Op.DeleteAttribute, name: 'DeleteAttribute', since: '1.0', answers1x: DELETE_1X, run: deleteAttribute },
  { operation: Op.SetAttribute, name: 'SetAttribute', since: '2.0', run: setAttribute },
];
