// TTLV item types and their wire codes (1.4 §9.1.1.2; 2.1 §9.1.1.2 adds Date-Time Extended).
export const ItemType = {
  Structure: 0x01,
  Integer: 0x02,
  LongInteger: 0x03,
  BigInteger: 0x04,
  Enumeration: 0x05,
  Boolean: 0x06,
  TextString: 0x07,
  ByteString: 0x08,
  DateTime: 0x09,
  Interval: 0x0a,
  DateTimeExtended: 0x0b,
} as const;
export type ItemTypeName = keyof typeof ItemType;
export type ItemTypeCode = (typeof ItemType)[ItemTypeName];

/** Type name by wire code; index 0 and codes above 0x0b are undefined. */
export const ITEM_TYPE_NAMES: readonly (ItemTypeName | undefined)[] = (() => {
  const names: (ItemTypeName | undefined)[] = new Array(0x0c).fill(undefined);
  for (const [name, code] of Object.entries(ItemType)) names[code] = name as ItemTypeName;
  return names;
})();

/**
 * Fixed value lengths (1.4 §9.1.1.3): the Length field of these types must be exactly this.
 * Variable-length types (Structure, Big Integer, Text String, Byte String) are absent.
 */
export const FIXED_LENGTH: Readonly<Partial<Record<ItemTypeCode, number>>> = {
  [ItemType.Integer]: 4,
  [ItemType.LongInteger]: 8,
  [ItemType.Enumeration]: 4,
  [ItemType.Boolean]: 8,
  [ItemType.DateTime]: 8,
  [ItemType.Interval]: 4,
  [ItemType.DateTimeExtended]: 8,
};
