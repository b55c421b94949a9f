// The conformance judge on hand-written test cases and server responses: each permitted variation of KMIP Profiles
// §4.7.1 is accepted, every other difference is reported at its field path; placeholders bind and substitute.
import t from 'tap';
import { kmipVocabulary } from '../../src/kmip/kmip-vocabulary.js';
import { Tag } from '../../src/kmip/tag.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import type { TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { xmlToTtlv } from '../../src/ttlv/xml-encoding.js';
import { Replay } from '../../src/conformance/replay.js';
import { UnboundPlaceholderError } from '../../src/conformance/placeholders.js';
import { readTestCase, TestCaseError } from '../../src/conformance/test-case.js';

const vocab = kmipVocabulary();
/** 2020-01-01T00:00:00Z: the runner's clock in these tests. */
const NOW = 1577836800n;

const version = (v: string): string => {
  const [major, minor] = v.split('.');
  return `<ProtocolVersion><ProtocolVersionMajor type="Integer" value="${major}"/><ProtocolVersionMinor type="Integer" value="${minor}"/></ProtocolVersion>`;
};
const request = (v: string, items: string[], header = ''): string =>
  `<RequestMessage><RequestHeader>${version(v)}${header}<BatchCount type="Integer" value="${items.length}"/></RequestHeader>${items.join('')}</RequestMessage>`;
const response = (v: string, items: string[], header = '', time = '2012-04-27T08:12:24+00:00'): string =>
  `<ResponseMessage><ResponseHeader>${version(v)}<TimeStamp type="DateTime" value="${time}"/>${header}` +
  `<BatchCount type="Integer" value="${items.length}"/></ResponseHeader>${items.join('')}</ResponseMessage>`;
const reqItem = (op: string, payload: string): string =>
  `<BatchItem><Operation type="Enumeration" value="${op}"/><RequestPayload>${payload}</RequestPayload></BatchItem>`;
const okItem = (op: string, payload: string | undefined, extra = ''): string =>
  `<BatchItem><Operation type="Enumeration" value="${op}"/><ResultStatus type="Enumeration" value="Success"/>${extra}` +
  (payload === undefined ? '' : `<ResponsePayload>${payload}</ResponsePayload>`) +
  `</BatchItem>`;
const failItem = (op: string, reason: string, message?: string): string =>
  `<BatchItem><Operation type="Enumeration" value="${op}"/><ResultStatus type="Enumeration" value="OperationFailed"/>` +
  `<ResultReason type="Enumeration" value="${reason}"/>` +
  (message === undefined ? '' : `<ResultMessage type="TextString" value="${message}"/>`) +
  `</BatchItem>`;
const uid = (v: string): string => `<UniqueIdentifier type="TextString" value="${v}"/>`;
const attr = (name: string, value: string, index?: number): string =>
  `<Attribute><AttributeName type="TextString" value="${name}"/>` +
  (index === undefined ? '' : `<AttributeIndex type="Integer" value="${index}"/>`) +
  `${value}</Attribute>`;
const av = (type: string, value: string): string => `<AttributeValue type="${type}" value="${value}"/>`;

/** A test case of (request, expected response) pairs, replayed step by step against given server responses. */
function session(pairs: [string, string][], opts: { strictQueryLists?: boolean } = {}) {
  const testCase = readTestCase('inline.xml', `<KMIP>${pairs.map(([q, r]) => q + r).join('\n')}</KMIP>`);
  const replay = new Replay(testCase, { nowSeconds: () => NOW, ...opts });
  let next = 0;
  return {
    replay,
    /** Sends step `next` (returns the request built) and judges `actualXml` as its response. */
    step(actualXml: string) {
      const step = testCase.steps[next++]!;
      const req = replay.request(step);
      const judgement = replay.judge(step, req, xmlToTtlv(actualXml, vocab));
      return { request: req, ...judgement, line: judgement.difference && `${judgement.difference.path} expected ${judgement.difference.expected} got ${judgement.difference.got}` };
    },
  };
}

/** One exchange: expected vs actual response to the same request. */
function judgeOne(req: string, expected: string, actual: string, opts: { strictQueryLists?: boolean } = {}) {
  return session([[req, expected]], opts).step(actual);
}

function payloadText(req: TtlvItem, tag: number): string | undefined {
  const item = req.type === ItemType.Structure ? req.value.find((c) => c.tag === Tag.BatchItem) : undefined;
  const payload = item?.type === ItemType.Structure ? item.value.find((c) => c.tag === Tag.RequestPayload) : undefined;
  const f = payload?.type === ItemType.Structure ? payload.value.find((c) => c.tag === tag) : undefined;
  return f?.type === ItemType.TextString ? f.value : undefined;
}

const getReq = (id: string, v = '2.1') => request(v, [reqItem('Get', uid(id))]);
const destroyReq = (id: string, v = '2.1') => request(v, [reqItem('Destroy', uid(id))]);

t.test('an identical response passes', async (t) => {
  const r = judgeOne(destroyReq('abc'), response('2.1', [okItem('Destroy', uid('abc'))]), response('2.1', [okItem('Destroy', uid('abc'))]));
  t.equal(r.difference, undefined);
});

t.test('placeholders: bind at first sight in a response, substitute into requests, must repeat', async (t) => {
  const create = request('2.1', [reqItem('Create', '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/>')]);
  const s = session([
    [create, response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('$UNIQUE_IDENTIFIER_0')}`)])],
    [destroyReq('$UNIQUE_IDENTIFIER_0'), response('2.1', [okItem('Destroy', uid('$UNIQUE_IDENTIFIER_0'))])],
    [destroyReq('$UNIQUE_IDENTIFIER_0'), response('2.1', [okItem('Destroy', uid('$UNIQUE_IDENTIFIER_0'))])],
  ]);
  const first = s.step(response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('srv-77')}`)]));
  t.equal(first.difference, undefined, 'any UID binds');
  t.equal(s.replay.bindings.get('$UNIQUE_IDENTIFIER_0')?.value, 'srv-77');
  const second = s.step(response('2.1', [okItem('Destroy', uid('srv-77'))]));
  t.equal(payloadText(second.request, Tag.UniqueIdentifier), 'srv-77', 'the bound value is sent');
  t.equal(second.difference, undefined);
  const third = s.step(response('2.1', [okItem('Destroy', uid('srv-78'))]));
  t.equal(third.line, 'BatchItem.ResponsePayload.UniqueIdentifier expected $UNIQUE_IDENTIFIER_0 (bound to "srv-77") got "srv-78"');
});

t.test('a failed response binds nothing', async (t) => {
  const create = request('2.1', [reqItem('Create', '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/>')]);
  const s = session([[create, response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('$UNIQUE_IDENTIFIER_0')}`)])]]);
  const r = s.step(response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SecretData"/>${uid('srv-1')}`)]));
  t.equal(r.line, 'BatchItem.ResponsePayload.ObjectType expected SymmetricKey got SecretData');
  t.equal(s.replay.bindings.get('$UNIQUE_IDENTIFIER_0'), undefined);
});

t.test('a placeholder first seen in a request is a runner error naming it and its field', async (t) => {
  const s = session([[request('2.1', [reqItem('Decrypt', `${uid('k')}<Data type="ByteString" value="$DATA_0"/>`)]), response('2.1', [okItem('Decrypt', uid('k'))])]]);
  let error: unknown;
  try {
    s.step(response('2.1', [okItem('Decrypt', uid('k'))]));
  } catch (e) {
    error = e;
  }
  t.ok(error instanceof UnboundPlaceholderError);
  t.match(error, { placeholder: '$DATA_0', path: 'BatchItem.RequestPayload.Data', message: /not bound by any earlier response/ });
});

t.test('chained values: captured from a response, replayed in a request', async (t) => {
  const s = session([
    [request('2.1', [reqItem('Encrypt', `${uid('k')}<Data type="ByteString" value="0102"/>`)]),
      response('2.1', [okItem('Encrypt', `${uid('k')}<Data type="ByteString" value="$DATA_0"/><IVCounterNonce type="ByteString" value="$IV_COUNTER_NONCE"/>`)])],
    [request('2.1', [reqItem('Decrypt', `${uid('k')}<Data type="ByteString" value="$DATA_0"/><IVCounterNonce type="ByteString" value="$IV_COUNTER_NONCE"/>`)]),
      response('2.1', [okItem('Decrypt', `${uid('k')}<Data type="ByteString" value="0102"/>`)])],
  ]);
  t.equal(s.step(response('2.1', [okItem('Encrypt', `${uid('k')}<Data type="ByteString" value="aabbcc"/><IVCounterNonce type="ByteString" value="0f0e"/>`)])).difference, undefined);
  const r = s.step(response('2.1', [okItem('Decrypt', `${uid('k')}<Data type="ByteString" value="0102"/>`)]));
  const item = r.request.type === ItemType.Structure ? r.request.value[1] : undefined;
  const payload = item?.type === ItemType.Structure ? item.value[1] : undefined;
  t.same(payload?.type === ItemType.Structure ? payload.value.map((c) => c.type === ItemType.ByteString ? Buffer.from(c.value).toString('hex') : c.value) : [], ['k', 'aabbcc', '0f0e']);
  t.equal(r.difference, undefined);
});

t.test('$NOW±n: the clock in requests, any Date-Time in responses', async (t) => {
  const add = request('2.1', [reqItem('SetAttribute', `${uid('k')}<NewAttribute><ActivationDate type="DateTime" value="$NOW-3600"/></NewAttribute>`)]);
  const s = session([[add, response('2.1', [okItem('SetAttribute', uid('k'))], '', '$NOW')]]);
  const r = s.step(response('2.1', [okItem('SetAttribute', uid('k'))], '', '2031-05-05T00:00:00Z'));
  t.equal(r.difference, undefined);
  const item = r.request.type === ItemType.Structure ? r.request.value[1] : undefined;
  const payload = item?.type === ItemType.Structure ? item.value[1] : undefined;
  const na = payload?.type === ItemType.Structure ? payload.value[1] : undefined;
  const date = na?.type === ItemType.Structure ? na.value[0] : undefined;
  t.equal(date?.value, NOW - 3600n);
  const wrongType = judgeOne(destroyReq('k'), response('2.1', [okItem('Destroy', uid('k'))], '', '$NOW'),
    response('2.1', [okItem('Destroy', uid('k'))]).replace('<TimeStamp type="DateTime" value="2012-04-27T08:12:24+00:00"/>', '<TimeStamp type="Integer" value="5"/>'));
  t.equal(wrongType.line, 'ResponseHeader.TimeStamp expected DateTime $NOW got Integer 5');
});

t.test('header fields the server may add or leave out', async (t) => {
  const expected = response('2.1', [okItem('Destroy', uid('k'))], '<ServerCorrelationValue type="TextString" value="55596B5B-9"/>');
  t.equal(judgeOne(destroyReq('k'), expected, response('2.1', [okItem('Destroy', uid('k'))])).difference, undefined, 'absent');
  t.equal(judgeOne(destroyReq('k'), expected, response('2.1', [okItem('Destroy', uid('k'))], '<ServerCorrelationValue type="TextString" value="other"/>')).difference, undefined, 'other value');
  t.equal(judgeOne(destroyReq('k'), response('2.1', [okItem('Destroy', uid('k'))]),
    response('2.1', [okItem('Destroy', uid('k'))], '<ClientCorrelationValue type="TextString" value="x"/><ServerCorrelationValue type="TextString" value="y"/>')).difference, undefined, 'added');
  const extraHeader = judgeOne(destroyReq('k'), response('2.1', [okItem('Destroy', uid('k'))]),
    response('2.1', [okItem('Destroy', uid('k'))], '<AsynchronousIndicator type="Boolean" value="true"/>'));
  t.equal(extraHeader.line, 'ResponseHeader.AsynchronousIndicator expected nothing got true');
  const literalTime = judgeOne(destroyReq('k'), response('2.1', [okItem('Destroy', uid('k'))]), response('2.1', [okItem('Destroy', uid('k'))], '', '2030-01-01T00:00:00Z'));
  t.equal(literalTime.difference, undefined, "the 1.0 files' literal 2012 time stamps are compared by type");
});

t.test('Result Message may be absent or differ; Result Reason may not', async (t) => {
  const expected = response('2.1', [failItem('Get', 'ItemNotFound', 'DENIED')]);
  t.equal(judgeOne(getReq('x'), expected, response('2.1', [failItem('Get', 'ItemNotFound')])).difference, undefined);
  t.equal(judgeOne(getReq('x'), expected, response('2.1', [failItem('Get', 'ItemNotFound', 'no such object')])).difference, undefined);
  t.equal(judgeOne(getReq('x'), response('2.1', [failItem('Get', 'ItemNotFound')]), response('2.1', [failItem('Get', 'ItemNotFound', 'extra text')])).difference, undefined);
  t.equal(judgeOne(getReq('x'), expected, response('2.1', [failItem('Get', 'PermissionDenied', 'x')])).line, 'BatchItem.ResultReason expected ItemNotFound got PermissionDenied');
  t.equal(judgeOne(getReq('x'), response('2.1', [okItem('Get', uid('x'))]), response('2.1', [failItem('Get', 'ItemNotFound', 'gone')])).line,
    'BatchItem.ResultStatus expected Success got OperationFailed (ItemNotFound "gone")');
});

t.test('fields keep the spec order; extra and missing fields are differences', async (t) => {
  const create = request('2.1', [reqItem('Create', '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/>')]);
  const expected = response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('$UNIQUE_IDENTIFIER_0')}`)]);
  t.equal(judgeOne(create, expected, response('2.1', [okItem('Create', `${uid('u')}<ObjectType type="Enumeration" value="SymmetricKey"/>`)])).line,
    'BatchItem.ResponsePayload.ObjectType expected <ObjectType> got UniqueIdentifier "u"'.replace('<ObjectType>', 'ObjectType SymmetricKey'));
  t.equal(judgeOne(create, expected, response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>`)])).line,
    'BatchItem.ResponsePayload.UniqueIdentifier expected UniqueIdentifier $UNIQUE_IDENTIFIER_0 got nothing');
  t.equal(judgeOne(create, expected, response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('u')}${uid('v')}`)])).line,
    'BatchItem.ResponsePayload.UniqueIdentifier[1] expected nothing got "v"');
  t.equal(judgeOne(create, expected, response('2.1', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/><UniqueIdentifier type="Integer" value="3"/>`)])).line,
    'BatchItem.ResponsePayload.UniqueIdentifier expected TextString $UNIQUE_IDENTIFIER_0 got Integer 3');
});

t.test('batch items are numbered in paths', async (t) => {
  const req = request('2.1', [reqItem('Destroy', uid('a')), reqItem('Destroy', uid('b'))]);
  const r = judgeOne(req, response('2.1', [okItem('Destroy', uid('a')), okItem('Destroy', uid('b'))]),
    response('2.1', [okItem('Destroy', uid('a')), failItem('Destroy', 'ItemNotFound')]));
  t.equal(r.line, 'BatchItem[1].ResultStatus expected Success got OperationFailed (ItemNotFound)');
  const id = (n: string) => `<UniqueBatchItemID type="ByteString" value="${n}"/>`;
  const echoed = judgeOne(req, response('2.1', [okItem('Destroy', uid('a'), id('01'))]), response('2.1', [okItem('Destroy', uid('a'), id('02'))]));
  t.equal(echoed.line, 'BatchItem.UniqueBatchItemID expected 0x01 got 0x02', 'the Unique Batch Item ID is echoed, so compared');
});

t.test('1.x GetAttributes: attributes are a set; extras are permitted, missing or different ones are not', async (t) => {
  const req = request('1.2', [reqItem('GetAttributes', uid('k'))]);
  const expected = response('1.2', [okItem('GetAttributes', uid('k') + attr('State', av('Enumeration', 'PreActive')) + attr('Cryptographic Length', av('Integer', '256')))]);
  const reordered = response('1.2', [okItem('GetAttributes', uid('k') + attr('Cryptographic Length', av('Integer', '256')) + attr('x-vendor', av('TextString', 'v')) + attr('State', av('Enumeration', 'PreActive')) + attr('Object Group', av('TextString', 'g')))]);
  const r = judgeOne(req, expected, reordered);
  t.equal(r.difference, undefined);
  t.match(r.notes.join('\n'), /server adds 2 .*x-vendor, Object Group/);
  t.equal(judgeOne(req, expected, response('1.2', [okItem('GetAttributes', uid('k') + attr('Cryptographic Length', av('Integer', '256')))])).line,
    'BatchItem.ResponsePayload.Attribute["State"] expected <Attribute> got nothing');
  t.equal(judgeOne(req, expected, response('1.2', [okItem('GetAttributes', uid('k') + attr('State', av('Enumeration', 'Active')) + attr('Cryptographic Length', av('Integer', '256')))])).line,
    'BatchItem.ResponsePayload.Attribute["State"].AttributeValue expected PreActive got Active');
});

t.test('Attribute Index 0 may be present or absent from 1.1 on', async (t) => {
  const req = (v: string) => request(v, [reqItem('GetAttributes', uid('k'))]);
  const exp = (v: string) => response(v, [okItem('GetAttributes', uid('k') + attr('State', av('Enumeration', 'Active')))]);
  const withIndex = (v: string, i: number) => response(v, [okItem('GetAttributes', uid('k') + attr('State', av('Enumeration', 'Active'), i))]);
  t.equal(judgeOne(req('1.1'), exp('1.1'), withIndex('1.1', 0)).difference, undefined);
  t.equal(judgeOne(req('1.0'), exp('1.0'), withIndex('1.0', 0)).line, 'BatchItem.ResponsePayload.Attribute["State"].AttributeIndex expected nothing got 0', 'not in 1.0');
  t.equal(judgeOne(req('1.2'), exp('1.2'), withIndex('1.2', 1)).line, 'BatchItem.ResponsePayload.Attribute["State"].AttributeIndex expected nothing got 1');
  const expIndexed = response('1.2', [okItem('GetAttributes', uid('k') + attr('State', av('Enumeration', 'Active'), 0))]);
  t.equal(judgeOne(req('1.2'), expIndexed, exp('1.2')).difference, undefined, 'absent where the file has 0');
});

t.test('2.x Attributes: a set with extras; values still exact', async (t) => {
  const req = request('2.1', [reqItem('GetAttributes', uid('k'))]);
  const attrs = (inner: string) => response('2.1', [okItem('GetAttributes', `${uid('k')}<Attributes>${inner}</Attributes>`)]);
  const expected = attrs('<CryptographicAlgorithm type="Enumeration" value="AES"/><CryptographicLength type="Integer" value="256"/><InitialDate type="DateTime" value="$NOW"/>');
  t.equal(judgeOne(req, expected, attrs('<InitialDate type="DateTime" value="2030-01-01T00:00:00Z"/><CryptographicLength type="Integer" value="256"/><State type="Enumeration" value="Active"/><CryptographicAlgorithm type="Enumeration" value="AES"/>')).difference, undefined);
  t.equal(judgeOne(req, expected, attrs('<CryptographicAlgorithm type="Enumeration" value="AES"/><CryptographicLength type="Integer" value="128"/><InitialDate type="DateTime" value="2030-01-01T00:00:00Z"/>')).line,
    'BatchItem.ResponsePayload.Attributes.CryptographicLength expected 256 got 128');
});

t.test('server-set dates are compared by type unless a request fixed them', async (t) => {
  const get = request('1.2', [reqItem('GetAttributes', uid('k'))]);
  const exp = response('1.2', [okItem('GetAttributes', uid('k') + attr('Initial Date', av('DateTime', '2013-01-10T23:33:21+00:00')) + attr('Activation Date', av('DateTime', '2013-01-10T23:36:01+00:00')))]);
  const act = response('1.2', [okItem('GetAttributes', uid('k') + attr('Initial Date', av('DateTime', '2031-01-01T00:00:00Z')) + attr('Activation Date', av('DateTime', '2031-01-01T00:00:00Z')))]);
  t.equal(judgeOne(get, exp, act).difference, undefined);
  const fix = request('1.2', [reqItem('AddAttribute', uid('k') + attr('Activation Date', av('DateTime', '2013-01-10T23:36:01+00:00')))]);
  const s = session([[fix, response('1.2', [okItem('AddAttribute', uid('k') + attr('Activation Date', av('DateTime', '2013-01-10T23:36:01+00:00')))])], [get, exp]]);
  s.step(response('1.2', [okItem('AddAttribute', uid('k') + attr('Activation Date', av('DateTime', '2013-01-10T23:36:01+00:00')))]));
  t.equal(s.step(act).line, 'BatchItem.ResponsePayload.Attribute["Activation Date"].AttributeValue expected 2013-01-10T23:36:01+00:00 got 2031-01-01T00:00:00+00:00');
});

t.test('Locate results are a set', async (t) => {
  const locate = request('2.1', [reqItem('Locate', '<Attributes/>')]);
  const located = (...ids: string[]) => response('2.1', [okItem('Locate', `<LocatedItems type="Integer" value="${ids.length}"/>` + ids.map(uid).join(''))]);
  const twice = () => {
    const s = session([[locate, located('$UNIQUE_IDENTIFIER_0', '$UNIQUE_IDENTIFIER_1')], [locate, located('$UNIQUE_IDENTIFIER_0', '$UNIQUE_IDENTIFIER_1')]]);
    t.equal(s.step(located('a', 'b')).difference, undefined);
    return s;
  };
  t.equal(twice().step(located('b', 'a')).difference, undefined, 'in any order');
  t.equal(twice().step(located('a', 'c')).line, 'BatchItem.ResponsePayload.UniqueIdentifier[1] expected $UNIQUE_IDENTIFIER_1 (bound to "b") got nothing');
  t.equal(twice().step(located('b')).line?.replace(/\[\d\]/, ''), 'BatchItem.ResponsePayload.LocatedItems expected 2 got 1');
  const s = session([[locate, located('$UNIQUE_IDENTIFIER_0', '$UNIQUE_IDENTIFIER_1')]]);
  t.equal(s.step(located('a', 'b', 'c').replace('value="3"', 'value="2"')).line, 'BatchItem.ResponsePayload.UniqueIdentifier[2] expected nothing got "c"');
  t.equal(judgeOne(locate, located('x-example', 'y-example'), located('p', 'q')).difference, undefined, 'literal example UIDs are server-chosen values');
});

t.test('Query lists: sets; extra entries and entries the file does not use are permitted', async (t) => {
  const q = request('2.1', [reqItem('Query', '<QueryFunction type="Enumeration" value="QueryOperations"/>')]);
  const op = (o: string) => `<Operation type="Enumeration" value="${o}"/>`;
  const expected = response('2.1', [okItem('Query', op('Query') + op('Locate') + op('Poll'))]);
  t.equal(judgeOne(q, expected, response('2.1', [okItem('Query', op('Locate') + op('Get') + op('Query'))])).difference, undefined);
  t.equal(judgeOne(q, expected, response('2.1', [okItem('Query', op('Locate') + op('Get'))])).line, 'BatchItem.ResponsePayload.Operation[0] expected Query got nothing',
    'an operation the file itself uses is required');
  t.equal(judgeOne(q, expected, response('2.1', [okItem('Query', op('Locate') + op('Query'))]), { strictQueryLists: true }).line,
    'BatchItem.ResponsePayload.Operation[2] expected Poll got nothing', '--strict-query');
  const vendor = response('2.1', [okItem('Query', op('Query') + '<VendorIdentification type="TextString" value="ACME"/>')]);
  t.equal(judgeOne(q, vendor, response('2.1', [okItem('Query', op('Query') + '<VendorIdentification type="TextString" value="kmipd"/><ServerInformation/>')])).difference, undefined);
});

t.test('DiscoverVersions: more versions only when the request listed none', async (t) => {
  const pv = (v: string) => version(v);
  const exp = response('1.4', [okItem('DiscoverVersions', pv('1.4') + pv('1.3'))]);
  const more = response('1.4', [okItem('DiscoverVersions', pv('2.1') + pv('1.4') + pv('1.3') + pv('1.0'))]);
  t.equal(judgeOne(request('1.4', [reqItem('DiscoverVersions', '')]), exp, more).difference, undefined);
  t.equal(judgeOne(request('1.4', [reqItem('DiscoverVersions', '')]), exp, response('1.4', [okItem('DiscoverVersions', pv('1.3') + pv('1.4'))])).line,
    'BatchItem.ResponsePayload.ProtocolVersion[1] expected <ProtocolVersion> got nothing', 'order is the preference order');
  t.equal(judgeOne(request('1.4', [reqItem('DiscoverVersions', pv('1.4') + pv('1.3'))]), exp, more).line,
    'BatchItem.ResponsePayload.ProtocolVersion[0].ProtocolVersionMajor expected 1 got 2');
});

t.test('key material: server-generated by type and length, registered exactly', async (t) => {
  const kb = (material: string, format = 'Raw') =>
    `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('$UNIQUE_IDENTIFIER_0')}<SymmetricKey><KeyBlock><KeyFormatType type="Enumeration" value="${format}"/>` +
    `<KeyValue><KeyMaterial type="ByteString" value="${material}"/></KeyValue><CryptographicAlgorithm type="Enumeration" value="AES"/>` +
    `<CryptographicLength type="Integer" value="128"/></KeyBlock></SymmetricKey>`;
  const kbActual = (material: string, format = 'Raw') => kb(material, format).replace('$UNIQUE_IDENTIFIER_0', 'srv-1');
  const made = (op: string, payloadIn: string) => {
    const s = session([
      [request('2.1', [reqItem(op, payloadIn)]), response('2.1', [okItem(op, uid('$UNIQUE_IDENTIFIER_0'))])],
      [getReq('$UNIQUE_IDENTIFIER_0'), response('2.1', [okItem('Get', kb('00112233445566778899aabbccddeeff'))])],
    ]);
    t.equal(s.step(response('2.1', [okItem(op, uid('srv-1'))])).difference, undefined);
    return s;
  };
  const create = '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/>';
  t.equal(made('Create', create).step(response('2.1', [okItem('Get', kbActual('ffffffffffffffffffffffffffffffff'))])).difference, undefined, 'generated: any bytes');
  t.equal(made('Create', create).step(response('2.1', [okItem('Get', kbActual('ffff'))])).line,
    'BatchItem.ResponsePayload.SymmetricKey.KeyBlock.KeyValue.KeyMaterial expected 16 bytes (server-chosen value) got 2 bytes 0xffff');
  const register = '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/><SymmetricKey/>';
  t.equal(made('Register', register).step(response('2.1', [okItem('Get', kbActual('ffffffffffffffffffffffffffffffff'))])).line,
    'BatchItem.ResponsePayload.SymmetricKey.KeyBlock.KeyValue.KeyMaterial expected 0x00112233445566778899aabbccddeeff got 0xffffffffffffffffffffffffffffffff');
  t.equal(made('Create', create).step(response('2.1', [okItem('Get', kbActual('00112233445566778899aabbccddeeff', 'Raw'))])).difference, undefined);
  const other = made('Create', create).step(response('2.1', [okItem('Get', kbActual('00112233445566778899aabbccddeeff', 'TransparentSymmetricKey'))]));
  t.equal(other.difference, undefined, 'the server may choose the Key Format Type of what it creates');
  t.equal(made('Register', register).step(response('2.1', [okItem('Get', kbActual('00112233445566778899aabbccddeeff', 'TransparentSymmetricKey'))])).line,
    'BatchItem.ResponsePayload.SymmetricKey.KeyBlock.KeyFormatType expected Raw got TransparentSymmetricKey');
});

t.test('crypto output: exact under a client key, by length under a server key or a server IV', async (t) => {
  const run = (op: 'Create' | 'Register', encryptOut: string, iv?: string) => {
    const payloadIn = op === 'Create' ? '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/>' : '<ObjectType type="Enumeration" value="SymmetricKey"/><Attributes/><SymmetricKey/>';
    const ivx = (v: string | undefined) => (v === undefined ? '' : `<IVCounterNonce type="ByteString" value="${v}"/>`);
    const s = session([
      [request('2.1', [reqItem(op, payloadIn)]), response('2.1', [okItem(op, uid('$UNIQUE_IDENTIFIER_0'))])],
      [request('2.1', [reqItem('Encrypt', `${uid('$UNIQUE_IDENTIFIER_0')}<Data type="ByteString" value="01020304"/>`)]),
        response('2.1', [okItem('Encrypt', `${uid('$UNIQUE_IDENTIFIER_0')}<Data type="ByteString" value="a1a2a3a4"/>${ivx(iv === undefined ? undefined : '0000')}`)])],
    ]);
    s.step(response('2.1', [okItem(op, uid('srv-1'))]));
    return s.step(response('2.1', [okItem('Encrypt', `${uid('srv-1')}<Data type="ByteString" value="${encryptOut}"/>${ivx(iv)}`)]));
  };
  t.equal(run('Register', 'a1a2a3a4').difference, undefined);
  t.equal(run('Register', 'b1b2b3b4').line, 'BatchItem.ResponsePayload.Data expected 0xa1a2a3a4 got 0xb1b2b3b4');
  t.equal(run('Create', 'b1b2b3b4').difference, undefined);
  t.equal(run('Create', 'b1b2b3').line, 'BatchItem.ResponsePayload.Data expected 4 bytes (server-chosen value) got 3 bytes 0xb1b2b3');
  t.equal(run('Register', 'b1b2b3b4', '0909').difference, undefined, 'a server-chosen IV makes the ciphertext variable');
});

t.test('Digest: hashing algorithm and value are the server\'s choice', async (t) => {
  const req = request('1.2', [reqItem('GetAttributes', uid('k'))]);
  const digest = (alg: string, value: string) => attr('Digest', `<AttributeValue><HashingAlgorithm type="Enumeration" value="${alg}"/><DigestValue type="ByteString" value="${value}"/></AttributeValue>`);
  t.equal(judgeOne(req, response('1.2', [okItem('GetAttributes', uid('k') + digest('SHA_256', 'aa'))]), response('1.2', [okItem('GetAttributes', uid('k') + digest('SHA_512', 'bbbb'))])).difference, undefined);
});

t.test('test identifiers may carry a vendor prefix; other text is exact', async (t) => {
  const req = request('2.1', [reqItem('GetAttributes', uid('k'))]);
  const name = (v: string) => response('2.1', [okItem('GetAttributes', `${uid('k')}<Attributes><Name><NameValue type="TextString" value="${v}"/><NameType type="Enumeration" value="UninterpretedTextString"/></Name></Attributes>`)]);
  t.equal(judgeOne(req, name('SKLC-M-1-21'), name('acme:SKLC-M-1-21')).difference, undefined);
  t.equal(judgeOne(req, name('SKLC-M-1-21'), name('SKLC-M-1-21-x')).line, 'BatchItem.ResponsePayload.Attributes.Name.NameValue expected "SKLC-M-1-21" (or a prefixed form) got "SKLC-M-1-21-x"');
  t.equal(judgeOne(req, name('plain'), name('acme:plain')).line, 'BatchItem.ResponsePayload.Attributes.Name.NameValue expected "plain" got "acme:plain"');
});

t.test('message extensions: a non-critical one may be added, a critical one may not', async (t) => {
  const ext = (critical: boolean) =>
    `<MessageExtension><VendorIdentification type="TextString" value="acme"/><CriticalityIndicator type="Boolean" value="${critical}"/><VendorExtension/></MessageExtension>`;
  const exp = response('2.1', [okItem('Destroy', uid('k'))]);
  const withExt = (c: boolean) => response('2.1', [`<BatchItem><Operation type="Enumeration" value="Destroy"/><ResultStatus type="Enumeration" value="Success"/><ResponsePayload>${uid('k')}</ResponsePayload>${ext(c)}</BatchItem>`]);
  t.equal(judgeOne(destroyReq('k'), exp, withExt(false)).difference, undefined);
  t.equal(judgeOne(destroyReq('k'), exp, withExt(true)).line, 'BatchItem.MessageExtension expected nothing got <MessageExtension>');
});

t.test('Template-Attribute may be left out of 1.x responses', async (t) => {
  const req = request('1.2', [reqItem('Create', '<ObjectType type="Enumeration" value="SymmetricKey"/><TemplateAttribute/>')]);
  const exp = response('1.2', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('$UNIQUE_IDENTIFIER_0')}<TemplateAttribute>${attr('State', av('Enumeration', 'PreActive'))}</TemplateAttribute>`)]);
  t.equal(judgeOne(req, exp, response('1.2', [okItem('Create', `<ObjectType type="Enumeration" value="SymmetricKey"/>${uid('u')}`)])).difference, undefined);
});

t.test("the 1.0 files' loosely spaced attribute names stand for the single-spaced names", async (t) => {
  const req = request('1.0', [reqItem('GetAttributeList', uid('k'))]);
  const exp = response('1.0', [okItem('GetAttributeList', `${uid('k')}<AttributeName type="TextString" value="Unique   Identifier"/>`)]);
  const act = (n: string) => response('1.0', [okItem('GetAttributeList', `${uid('k')}<AttributeName type="TextString" value="${n}"/><AttributeName type="TextString" value="State"/>`)]);
  t.equal(judgeOne(req, exp, act('Unique Identifier')).difference, undefined);
  t.equal(judgeOne(req, exp, act('Unique  Identifier')).line, 'BatchItem.ResponsePayload.AttributeName expected "Unique Identifier" got nothing');
});

t.test('bad files are reported as such', async (t) => {
  t.throws(() => readTestCase('x.xml', '<KMIP><ResponseMessage/></KMIP>'), TestCaseError);
  t.throws(() => readTestCase('x.xml', `<KMIP>${destroyReq('k')}</KMIP>`), /request 0 is not followed by a ResponseMessage/);
  t.throws(() => readTestCase('x.xml', '<Other/>'), /root element is <Other>/);
  t.throws(() => readTestCase('x.xml', '<KMIP><RequestMessage><Bogus type="Integer" value="1"/></RequestMessage></KMIP>'), /unknown tag name 'Bogus'/);
});

t.test('Random Number Generator: the server describes its own generator unless a request fixed one', async (t) => {
  const rng = (alg: string, extra = '') => `<RNGAlgorithm type="Enumeration" value="${alg}"/>${extra}`;
  const x931 = rng('ANSIX9_31', '<CryptographicAlgorithm type="Enumeration" value="AES"/><CryptographicLength type="Integer" value="256"/>');
  // 1.4: an Attribute Value; 2.1: the attribute's own structure.
  const get14 = request('1.4', [reqItem('GetAttributes', uid('k'))]);
  const attr14 = (inner: string) => response('1.4', [okItem('GetAttributes', uid('k') + attr('Random Number Generator', `<AttributeValue>${inner}</AttributeValue>`))]);
  t.equal(judgeOne(get14, attr14(x931), attr14(rng('Unspecified'))).difference, undefined, '1.4: Unspecified for the file\'s X9.31');
  const get21 = request('2.1', [reqItem('GetAttributes', uid('k'))]);
  const attr21 = (inner: string) => response('2.1', [okItem('GetAttributes', `${uid('k')}<Attributes><RandomNumberGenerator>${inner}</RandomNumberGenerator></Attributes>`)]);
  t.equal(judgeOne(get21, attr21(x931), attr21(rng('Unspecified'))).difference, undefined, '2.1: Unspecified for the file\'s X9.31');
  t.equal(judgeOne(get21, attr21(x931), response('2.1', [okItem('GetAttributes', `${uid('k')}<Attributes/>`)])).line,
    'BatchItem.ResponsePayload.Attributes.RandomNumberGenerator expected <RandomNumberGenerator> got nothing', 'still required');
  // A client that registers with a generator of its own fixes the value.
  const reg = request('1.4', [reqItem('AddAttribute', uid('k') + attr('Random Number Generator', `<AttributeValue>${x931}</AttributeValue>`))]);
  const regOk = response('1.4', [okItem('AddAttribute', uid('k') + attr('Random Number Generator', `<AttributeValue>${x931}</AttributeValue>`))]);
  const s = session([[reg, regOk], [get14, attr14(x931)]]);
  s.step(regOk);
  t.equal(s.step(attr14(rng('Unspecified'))).line, 'BatchItem.ResponsePayload.Attribute["Random Number Generator"].AttributeValue.RNGAlgorithm expected ANSIX9_31 got Unspecified');
});
