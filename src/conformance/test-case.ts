// Reads an OASIS KMIP test-case XML file into request / expected-response pairs, keeping its `$NAME` placeholders
// (KMIP Profiles §3 "Test Cases"; Addtl Msg Enc §6.1.6 for the XML form).
import { readFileSync } from 'node:fs';
import { kmipVocabulary } from '../kmip/kmip-vocabulary.js';
import { Tag } from '../kmip/tag.js';
import type { ItemTypeName } from '../ttlv/item-type.js';
import { ItemType } from '../ttlv/item-type.js';
import { TtlvError } from '../ttlv/ttlv-error.js';
import type { TtlvItem } from '../ttlv/ttlv-item.js';
import { xmlMessages } from '../ttlv/xml-encoding.js';
import { readXml, type XmlElement } from '../ttlv/xml-reader.js';

/** A message as written: its tree, with every placeholder leaf (by identity) mapped to its `$NAME`. */
export interface Template {
  readonly root: TtlvItem;
  readonly placeholders: ReadonlyMap<TtlvItem, string>;
}

export interface TestStep {
  /** 0-based, as the 1.3+ files number them ("step=0"). */
  readonly index: number;
  readonly request: Template;
  readonly expected: Template;
}

export interface TestCase {
  readonly file: string;
  readonly steps: readonly TestStep[];
}

/** The file cannot be replayed as written (not XML, unknown names, not request/response pairs). */
export class TestCaseError extends Error {
  override readonly name = 'TestCaseError';
}

/** `$UNIQUE_IDENTIFIER_0`, `$NOW`, `$NOW-3600`, `$IV_COUNTER_NONCE`, `$DATA_25` … */
const PLACEHOLDER = /^\$[A-Z][A-Z0-9_]*(?:[+-]\d+)?$/;

/** A value of each type that the XML decoder accepts; it stands in for a placeholder until the leaf is filled. */
const STAND_IN: Readonly<Record<ItemTypeName, string>> = {
  Structure: '',
  Integer: '0',
  LongInteger: '0',
  BigInteger: '',
  Enumeration: '0x00000000',
  Boolean: 'false',
  TextString: '',
  ByteString: '',
  DateTime: '1970-01-01T00:00:00Z',
  Interval: '0',
  DateTimeExtended: '1970-01-01T00:00:00Z',
};

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** Reads and checks a test-case file. Throws TestCaseError with the file's name and the fault. */
export function readTestCase(file: string, text?: string): TestCase {
  let xml: string;
  try {
    xml = text ?? readFileSync(file, 'utf8');
  } catch (e) {
    throw new TestCaseError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let root: XmlElement;
  let items: TtlvItem[];
  try {
    root = readXml(xml);
    if (root.name !== 'KMIP' && root.name !== 'KmipTestCase') {
      throw new TestCaseError(`root element is <${root.name}>, not <KMIP> or <KmipTestCase>`);
    }
    items = xmlMessages(root, kmipVocabulary(), {
      // A "$…" value that is not a placeholder's shape is literal text.
      substitute: (placeholder, type) => (isPlaceholder(placeholder) ? STAND_IN[type] : placeholder),
    });
  } catch (e) {
    if (e instanceof TestCaseError) throw new TestCaseError(`${file}: ${e.message}`);
    if (e instanceof TtlvError) throw new TestCaseError(`${file}: at character ${e.offset}: ${e.reason}`);
    throw e;
  }
  const templates = root.children.map((el, i) => template(el, items[i] as TtlvItem));
  if (templates.length === 0) throw new TestCaseError(`${file}: no messages`);
  const steps: TestStep[] = [];
  for (let i = 0; i < templates.length; i += 2) {
    const request = templates[i] as Template;
    const expected = templates[i + 1];
    if (request.root.tag !== Tag.RequestMessage) {
      throw new TestCaseError(`${file}: message ${i} is <${root.children[i]?.name}>, expected a RequestMessage`);
    }
    if (expected === undefined || expected.root.tag !== Tag.ResponseMessage) {
      throw new TestCaseError(`${file}: request ${i / 2} is not followed by a ResponseMessage`);
    }
    steps.push({ index: i / 2, request, expected });
  }
  return { file, steps };
}

/**
 * The decoder turns each element into one item, children in order, so the XML tree and the TTLV tree walk in
 * step: an element whose value is a placeholder marks the item at the same place.
 */
function template(el: XmlElement, item: TtlvItem): Template {
  const placeholders = new Map<TtlvItem, string>();
  const walk = (e: XmlElement, it: TtlvItem): void => {
    if (it.type === ItemType.Structure) {
      e.children.forEach((c, i) => walk(c, it.value[i] as TtlvItem));
      return;
    }
    const v = e.attrs['value'];
    if (v !== undefined && isPlaceholder(v)) placeholders.set(it, v);
  };
  walk(el, item);
  return { root: item, placeholders };
}
