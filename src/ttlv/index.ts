// The TTLV codec's public surface: item types, tree, binary decode/encode, framing, limits, errors.
export { ItemType, ITEM_TYPE_NAMES, type ItemTypeName, type ItemTypeCode } from './item-type.js';
export { ttlv, type TtlvItem, type StructureItem } from './ttlv-item.js';
export { TtlvError } from './ttlv-error.js';
export { DEFAULT_TTLV_LIMITS, type TtlvLimits } from './limits.js';
export { decodeTtlv } from './decode.js';
export { encodeTtlv } from './encode.js';
export { TtlvFramer } from './framing.js';
