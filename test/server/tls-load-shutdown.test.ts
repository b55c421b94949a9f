// Many idle connections at once, and graceful shutdown of the mTLS transport (KMIP 1.4 §10).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { connectClient, makePki, numberOf, request, startServer, stubHandler, until, type Pki, type TestClient } from './fixtures/tls-fixtures.js';

const pki: Pki = makePki();
t.teardown(() => pki.cleanup());

const IDLE_CLIENTS = 500;

t.test(`${IDLE_CLIENTS} idle connections held open, and a new client is still answered`, async (t) => {
  // Client and server ends live in this one process: two descriptors per connection.
  const limit = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  t.ok(limit === Infinity || Number.isNaN(limit) || limit >= 2 * IDLE_CLIENTS + 100, `descriptor limit ${limit} fits ${IDLE_CLIENTS} connections`);
  const running = await startServer(pki, { maxConnections: IDLE_CLIENTS + 10 });
  const idle: TestClient[] = [];
  t.teardown(async () => {
    for (const client of idle) client.socket.destroy();
    await running.server.close();
  });
  // One full handshake, then resumptions 25 at a time: the point is many open connections, not RSA.
  const first = await connectClient(pki, running.port, 'bob');
  first.send(request(0)); // the TLS 1.3 ticket follows the handshake
  await first.next();
  idle.push(first);
  const session = first.sessions.at(-1);
  for (let i = 1; i < IDLE_CLIENTS; i += 25) {
    const batch = Math.min(25, IDLE_CLIENTS - i);
    idle.push(...(await Promise.all(Array.from({ length: batch }, () => connectClient(pki, running.port, 'bob', { session })))));
  }
  await running.audit.waitFor(() => running.server.connections === IDLE_CLIENTS, 10_000);
  t.equal(running.server.connections, IDLE_CLIENTS);
  const started = Date.now();
  const client = await connectClient(pki, running.port, 'alice');
  client.send(request(42));
  t.equal(numberOf((await client.next())!), 42);
  const took = Date.now() - started;
  t.ok(took < 10_000, `a new client connected and was answered in ${took} ms`);
  t.equal(idle.filter((c) => c.socket.destroyed).length, 0, 'the idle connections are all still open');
  client.close();
  await client.closed;
});

t.test('close() waits for an in-flight request, then closes every connection', async (t) => {
  const running = await startServer(pki, {}, stubHandler(200));
  const busy = await connectClient(pki, running.port, 'alice');
  const idle = await connectClient(pki, running.port, 'bob');
  busy.send(Buffer.concat([request(1), request(2)]));
  await until(() => running.handler.contexts.length === 1, 'request 1 is in the handler');
  const started = Date.now();
  const answers = Promise.all([busy.next(), busy.next()]);
  await running.server.close();
  const took = Date.now() - started;
  // request 2 had not begun when close() was called, and takes 200 ms in the handler
  t.equal(running.handler.contexts.length, 2, 'close() let the request received behind it in');
  t.ok(took >= 190, `close() resolved after ${took} ms, once both pipelined requests were answered`);
  const [first, second] = await answers;
  t.equal(numberOf(first!), 1, 'the in-flight request was answered');
  t.equal(numberOf(second!), 2, 'so was the one received whole behind it');
  t.equal(await busy.next(), undefined, 'then the connection closed');
  await Promise.all([busy.closed, idle.closed]);
  t.equal(running.server.connections, 0);
  const closes = running.audit.events.filter((e) => e.kind === 'closed');
  t.equal(closes.length, 2, 'both closes are audited before close() resolves');
  t.ok(closes.every((e) => e.reason === 'server shutdown'), 'with the reason');
  // Nothing listens any more.
  const refused = await new Promise<string>((resolve) => {
    const socket = connect(running.port, '127.0.0.1');
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''));
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
  });
  t.equal(refused, 'ECONNREFUSED');
});

t.test('close() gives up on a request that outlives the shutdown timeout', async (t) => {
  const running = await startServer(pki, { shutdownTimeoutMs: 300 }, stubHandler(5_000));
  const client = await connectClient(pki, running.port, 'alice');
  client.send(request(1));
  await until(() => running.handler.contexts.length === 1, 'the request is in the handler');
  const started = Date.now();
  await running.server.close();
  const took = Date.now() - started;
  t.ok(took >= 250 && took < 4_000, `close() resolved after ${took} ms: the timeout, not the handler's 5 s`);
  t.equal(await client.next(), undefined, 'the connection was cut');
  t.match(running.audit.events.find((e) => e.kind === 'closed')?.reason, /shutdown timeout/);
});
