// The 2.x wrappers of one attribute in the attribute operations' payloads: New Attribute and Current Attribute each
// hold exactly one attribute item (2.1 §5.6 Current Attribute, §5.7 New Attribute).
import { KmipError } from '../kmip/kmip-error.js';
import type { KmipVersion } from '../kmip/versions.js';
import { tagName } from '../kmip/dictionary.js';
import { ItemType } from '../ttlv/item-type.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { readAttribute2x, type AttributeInput } from './attribute-io.js';

function single(wrapper: TtlvItem): TtlvItem {
  if (wrapper.type !== ItemType.Structure || wrapper.value.length !== 1) {
    throw new KmipError('InvalidMessage', `${tagName(wrapper.tag) ?? 'the attribute wrapper'} must hold exactly one attribute`);
  }
  return wrapper.value[0]!;
}

/** The attribute inside a New Attribute or a Current Attribute (which names an existing instance by its value). */
export function readWrappedAttribute(wrapper: TtlvItem, version: KmipVersion): AttributeInput {
  return readAttribute2x(single(wrapper), version);
}
