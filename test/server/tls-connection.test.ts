// The per-connection loop over real TLS: pipelining in order, slow and hostile clients, framing faults, timeouts (KMIP 1.4 §9.1, §10).
import t from 'tap';
import { heldAnswers } from '../../src/server/turn-batch.js';
import { connectClient, framingAnswer, makePki, numberOf, request, startServer, stubHandler, until, type Pki } from './fixtures/tls-fixtures.js';

const pki: Pki = makePki();
t.teardown(() => pki.cleanup());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

t.test('200 pipelined requests are answered in order', async (t) => {
  const handler = stubHandler();
  // Later requests would finish first if they ran concurrently: order must come from the loop.
  const echo = handler.handle;
  handler.handle = async (message, ctx) => {
    await sleep(numberOf(message) % 3 === 0 ? 3 : 0);
    return echo(message, ctx);
  };
  const running = await startServer(pki, {}, handler);
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice');
  // One write of all 200 (past maxPipelinedRequests: reading pauses and resumes), in 3 odd-sized pieces.
  const all = Buffer.concat(Array.from({ length: 200 }, (_, i) => request(i)));
  client.send(all.subarray(0, 1001));
  client.send(all.subarray(1001, 3333));
  client.send(all.subarray(3333));
  const seen: number[] = [];
  for (let i = 0; i < 200; i++) seen.push(numberOf((await client.next())!));
  t.same(seen, Array.from({ length: 200 }, (_, i) => i), 'answers come back in request order');
  client.close();
  await client.closed;
});

t.test('answers held for the end of a busy turn still come back whole and in order', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  const clients = await Promise.all(Array.from({ length: 8 }, () => connectClient(pki, running.port, 'alice')));
  const heldBefore = heldAnswers();
  // 20 rounds, and more (to 200) until a busy turn has held something: how the reads fall into turns is the kernel's
  for (let round = 0; round < 20 || (heldAnswers() === heldBefore && round < 200); round++) {
    // every client sends at once, five requests in one write: the server reads several connections in one turn
    // and, after a busy turn, holds the answers of the queued requests it serves without reading again
    for (const c of clients) c.send(Buffer.concat(Array.from({ length: 5 }, (_, i) => request(round * 5 + i))));
    const answers = await Promise.all(
      clients.map(async (c) => {
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) seen.push(numberOf((await c.next())!));
        return seen;
      }),
    );
    for (const seen of answers) t.same(seen, [0, 1, 2, 3, 4].map((i) => round * 5 + i), `round ${round}: in order`);
  }
  t.ok(heldAnswers() > heldBefore, `answers were held (${heldAnswers() - heldBefore})`);
  for (const c of clients) c.close();
  await Promise.all(clients.map((c) => c.closed));
});

t.test('a client dripping one byte every 100 ms does not hold up another', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  const slow = await connectClient(pki, running.port, 'bob');
  const fast = await connectClient(pki, running.port, 'alice');
  const message = request(99, 16); // 40 bytes: 4 s of dripping, time for the fast client even on a loaded machine
  let dripped = 0;
  const drip = (async () => {
    for (const byte of message) {
      slow.send(Buffer.from([byte]));
      dripped++;
      await sleep(100);
    }
  })();
  await until(() => dripped >= 3, 'the slow client is mid-message');
  const started = Date.now();
  for (let i = 0; i < 20; i++) {
    fast.send(request(i));
    t.equal(numberOf((await fast.next())!), i);
  }
  const took = Date.now() - started;
  // ordered, not timed: the fast client is done while the slow request is still arriving
  t.ok(dripped < message.length, `20 round trips of the fast client took ${took} ms, done with ${dripped} of ${message.length} bytes dripped`);
  await drip;
  t.equal(numberOf((await slow.next())!), 99, 'the slow client is answered once its request is whole');
  fast.close();
  slow.close();
  await Promise.all([fast.closed, slow.closed]);
});

t.test('an oversize header gets the framing error answer and a close', async (t) => {
  const running = await startServer(pki, { maxMessageBytes: 1024 });
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice');
  client.send(request(1));
  t.equal(numberOf((await client.next())!), 1, 'a request before the fault is answered');
  const header = Buffer.from([0x42, 0x00, 0x78, 0x01, 0x00, 0x0f, 0x42, 0x40]); // Length 1,000,000
  client.send(header.subarray(0, 5)); // a header split across TLS records
  await sleep(50);
  client.send(Buffer.concat([header.subarray(5), Buffer.alloc(64)]));
  const answer = await client.next();
  t.same(answer, framingAnswer('message length 1000000 exceeds the limit of 1024'));
  t.equal(await client.next(), undefined, 'then the server closes');
  await client.closed;
  t.equal(running.handler.framingErrors.length, 1);
  t.same(running.handler.framingErrors[0]!.header, header, 'framingError gets the offending header');
  const closed = await running.audit.waitFor((e) => e.kind === 'closed');
  t.match(closed.reason, /framing error: message length 1000000 exceeds/);
});

t.test('an oversize header sent a byte at a time is still the header framingError is given', async (t) => {
  const running = await startServer(pki, { maxMessageBytes: 1024 });
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice');
  client.send(request(1));
  t.equal(numberOf((await client.next())!), 1);
  const header = Buffer.from([0x42, 0x00, 0x78, 0x01, 0x00, 0x0f, 0x42, 0x40]);
  for (let i = 0; i < 7; i++) {
    client.send(header.subarray(i, i + 1)); // one TLS record each: the header spans eight chunks
    await sleep(20);
  }
  client.send(Buffer.concat([header.subarray(7), Buffer.alloc(16)]));
  t.same(await client.next(), framingAnswer('message length 1000000 exceeds the limit of 1024'));
  await client.closed;
  t.same(running.handler.framingErrors[0]!.header, header, 'framingError gets the offending header whole');
});

t.test('a truncated message then close: no answer, the connection ends', async (t) => {
  const running = await startServer(pki);
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice');
  client.send(request(1).subarray(0, 20));
  await sleep(20);
  client.close();
  t.equal(await client.next(), undefined);
  await client.closed;
  const closed = await running.audit.waitFor((e) => e.kind === 'closed');
  t.match(closed.reason, /truncated message: client closed with 20 bytes/);
  t.equal(running.handler.contexts.length, 0, 'nothing reached the handler');
});

t.test('a request sent before the client shuts its write side is still answered', async (t) => {
  const running = await startServer(pki, {}, stubHandler(100)); // the FIN arrives while the handler works
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice');
  client.send(Buffer.concat([request(1), request(2)]));
  client.close();
  t.equal(numberOf((await client.next())!), 1);
  t.equal(numberOf((await client.next())!), 2);
  t.equal(await client.next(), undefined);
});

t.test('idle timeout closes a quiet connection, not a busy one', async (t) => {
  const running = await startServer(pki, { idleTimeoutMs: 300 }, stubHandler(500));
  t.teardown(() => running.server.close());
  const quiet = await connectClient(pki, running.port, 'alice');
  const started = Date.now();
  const quietClosedAt = quiet.closed.then(() => Date.now());
  const busy = await connectClient(pki, running.port, 'bob');
  busy.send(request(1)); // the handler takes longer than the idle time
  t.equal(numberOf((await busy.next())!), 1, 'a slow answer is not cut by the idle timer');
  const took = (await quietClosedAt) - started;
  t.ok(took >= 250 && took < 5_000, `the quiet connection closed after ${took} ms`);
  const closed = await running.audit.waitFor((e) => e.kind === 'closed' && e.identity === 'alice');
  t.equal(closed.reason, 'idle timeout');
  busy.close();
  await busy.closed;
});

t.test('a request that never completes is cut by the read timeout', async (t) => {
  const running = await startServer(pki, { messageReadTimeoutMs: 300 });
  t.teardown(() => running.server.close());
  const client = await connectClient(pki, running.port, 'alice');
  client.send(request(1).subarray(0, 12));
  t.equal(await client.next(), undefined);
  const closed = await running.audit.waitFor((e) => e.kind === 'closed');
  t.match(closed.reason, /request not received whole within 300 ms/);
});

t.test('a client that reads no responses is dropped, others are served', async (t) => {
  const handler = stubHandler();
  const big = request(0, 4 * 1024 * 1024 - 24); // 4 MiB answers fill the socket buffers
  // only bob's answers are big: alice's must not meet the same 500 ms limit on a machine slow to read 4 MiB
  handler.handle = async (message, ctx) => (ctx.identity.name === 'bob' ? big : Buffer.from(message));
  const running = await startServer(pki, { idleTimeoutMs: 500 }, handler);
  t.teardown(() => running.server.close());
  const stuck = await connectClient(pki, running.port, 'bob');
  stuck.socket.pause();
  for (let i = 0; i < 8; i++) stuck.send(request(i));
  await sleep(100);
  const other = await connectClient(pki, running.port, 'alice');
  other.send(request(1));
  t.equal(numberOf((await other.next())!), 1, 'another client is served meanwhile');
  other.close();
  const closed = await running.audit.waitFor((e) => e.kind === 'closed' && e.identity === 'bob', 10_000);
  t.match(closed.reason, /client read no response for 500 ms/);
  stuck.socket.destroy();
});
