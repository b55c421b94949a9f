// Checks the test helper itself against the project's message codec (1.4 §7; 2.1 §8): a request it builds is the
// one encodeRequestMessage writes, and its response reader agrees with decodeResponseMessage.
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { decodeRequestMessage, encodeResponseMessage } from '../../src/kmip/message-codec.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import {
  discoverVersionsItem,
  idText,
  queryItem,
  readResponse,
  requestBytes,
  undefinedIn,
  usernamePasswordAuthentication,
} from '../helpers/kmip-messages.js';

t.test('a built request decodes with the project codec, field for field', async (t) => {
  const bytes = requestBytes({
    version: '1.4',
    maximumResponseSize: 4096,
    clientCorrelationValue: 'c',
    authentication: usernamePasswordAuthentication('u', 'p'),
    batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Undo,
    batchOrderOption: true,
    timeStamp: 1_700_000_000n,
    items: [
      queryItem([Enum.QueryFunction.QueryOperations], {
        uniqueBatchItemID: 'one',
        messageExtensions: [{ vendorIdentification: 'acme', criticalityIndicator: false, vendorExtension: [ttlv.integer(0x540001, 1)] }],
      }),
      discoverVersionsItem(['2.1', '1.0'], { uniqueBatchItemID: 'two' }),
    ],
  });
  const { message, version, newerMinor } = decodeRequestMessage(bytes);
  t.equal(version, '1.4');
  t.equal(newerMinor, false);
  const h = message.requestHeader;
  t.equal(h.maximumResponseSize, 4096);
  t.equal(h.clientCorrelationValue, 'c');
  t.equal(h.batchErrorContinuationOption, Enum.BatchErrorContinuationOption.Undo);
  t.equal(h.batchOrderOption, true);
  t.equal(h.timeStamp, 1_700_000_000n);
  t.equal(h.batchCount, 2);
  t.equal(h.authentication?.tag, Tag.Authentication);
  t.equal(message.batchItem.length, 2);
  t.equal(idText(message.batchItem[0]?.uniqueBatchItemID), 'one');
  t.equal(message.batchItem[0]?.messageExtension?.[0]?.vendorIdentification, 'acme');
  t.equal(message.batchItem[1]?.operation, Enum.Operation.DiscoverVersions);
});

t.test('readResponse agrees with the codec and rejects what is not a Response Message', async (t) => {
  const bytes = encodeResponseMessage(
    {
      responseHeader: {
        protocolVersion: { protocolVersionMajor: 2, protocolVersionMinor: 0 },
        timeStamp: 5n,
        serverCorrelationValue: 's',
        batchCount: 1,
      },
      batchItem: [{ operation: Enum.Operation.Query, uniqueBatchItemID: new Uint8Array([7]), resultStatus: Enum.ResultStatus.OperationFailed, resultReason: 0x43, resultMessage: 'm' }],
    },
    '2.0',
  );
  const r = readResponse(bytes);
  t.equal(r.version, '2.0');
  t.equal(r.timeStamp, 5n);
  t.equal(r.serverCorrelationValue, 's');
  t.equal(r.items[0]?.resultReason, 0x43);
  t.equal(r.items[0]?.resultMessage, 'm');
  t.same([...(r.items[0]?.uniqueBatchItemID ?? [])], [7]);
  t.same(undefinedIn(r.tree, '2.0'), []);
  t.same(undefinedIn(r.tree, '1.4'), ['ResponseMessage/BatchItem/ResultReason=0x43'], 'a 2.0 reason is flagged in 1.4');
  t.throws(() => readResponse(requestBytes({ version: '1.0', items: [] })), /not a ResponseMessage/);
  t.throws(() => readResponse(Buffer.from([1, 2, 3])));
});
