// `Tag.RequestMessage` style constants, derived from the tag table (tags.ts) so that no tag value is written twice.
import { TAGS } from './tags.js';

export type TagName = (typeof TAGS)[number]['name'];

/** Normalised tag name → tag value; where a value was renamed, each name maps to it. */
export const Tag = Object.freeze(Object.fromEntries(TAGS.map((t) => [t.name, t.tag]))) as {
  readonly [K in TagName]: number;
};
