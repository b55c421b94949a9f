// kmipd as a process: graceful shutdown on SIGTERM/SIGINT, and durability across kill -9 (DESIGN: storage — an
// acknowledged operation is durable: no key kmipd acknowledged is ever lost).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ensureDevCerts } from '../../src/certs/dev-certs.js';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import { ttlv } from '../../src/ttlv/ttlv-item.js';
import { child, children, queryItem, readResponse, requestBytes } from '../helpers/kmip-messages.js';
import { rawClient } from '../helpers/raw-client.js';
import { startServerProcess } from '../helpers/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'kmipd-process-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const certs = join(dir, 'certs');
ensureDevCerts(certs, ['alice']);
const env = {
  KMIPD_DATA_DIR: join(dir, 'data'),
  KMIPD_TLS_CERT: join(certs, 'server.crt'),
  KMIPD_TLS_KEY: join(certs, 'server.key'),
  KMIPD_TLS_CA: join(certs, 'ca.crt'),
  KMIPD_LOG_LEVEL: 'info',
};

t.test('SIGTERM and SIGINT: in-flight work finishes, exit 0', async (t) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const server = await startServerProcess(dir, env);
    const c = await rawClient(server.port, certs);
    c.send(requestBytes({ version: '1.4', items: [queryItem([Enum.QueryFunction.QueryOperations])] }));
    t.equal(readResponse(await c.next()).items[0]?.resultStatus, Enum.ResultStatus.Success);
    server.child.kill(signal);
    const { code } = await server.exited;
    t.equal(code, 0, `${signal}: exit 0`);
    t.match(server.output(), /kmipd stopped/, `${signal}: logged the stop`);
    c.close();
  }
});

const createItem = (i: number) => ({
  operation: Enum.Operation.Create,
  uniqueBatchItemID: `c${i}`,
  payload: [
    ttlv.enumeration(Tag.ObjectType, Enum.ObjectType.SymmetricKey),
    ttlv.structure(Tag.Attributes, [
      ttlv.enumeration(Tag.CryptographicAlgorithm, Enum.CryptographicAlgorithm.AES),
      ttlv.integer(Tag.CryptographicLength, 256),
    ]),
  ],
});

t.test('kill -9 in the middle of 2,000 Creates from 4 clients: every acknowledged key survives and unwraps', async (t) => {
  const server = await startServerProcess(dir, env);
  const acknowledged: string[] = [];
  const PER_CLIENT = 500;
  let sent = 0;
  const clients = await Promise.all([0, 1, 2, 3].map(() => rawClient(server.port, certs)));
  const work = clients.map(async (c, n) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      c.send(requestBytes({ version: '2.1', items: [createItem(n * PER_CLIENT + i)] }));
      sent++;
      let response: Buffer;
      try {
        response = await c.next(60_000); // a slow machine is waited for; the kill closes the connection at once
      } catch {
        return; // the server died
      }
      const item = readResponse(response).items[0]!;
      if (item.resultStatus === Enum.ResultStatus.Success) acknowledged.push(String(child(item.payload!, Tag.UniqueIdentifier)!.value));
    }
  });
  // Kill it once a good part of the stream has been acknowledged (or stop waiting if every client has given up).
  let settled = false;
  void Promise.all(work).then(() => (settled = true));
  while (acknowledged.length < 600 && !settled) await new Promise((r) => setTimeout(r, 5));
  server.child.kill('SIGKILL');
  await server.exited;
  await Promise.all(work);
  for (const c of clients) c.close();
  t.ok(acknowledged.length >= 600 && acknowledged.length < 2000, `killed mid-stream: ${acknowledged.length} of ${sent} sent acknowledged`);

  const again = await startServerProcess(dir, env);
  t.teardown(() => {
    again.child.kill('SIGTERM');
  });
  const c = await rawClient(again.port, certs);
  t.teardown(() => c.close());
  let missing = 0;
  for (let i = 0; i < acknowledged.length; i += 50) {
    const batch = acknowledged.slice(i, i + 50);
    c.send(requestBytes({
      version: '2.1',
      batchErrorContinuationOption: Enum.BatchErrorContinuationOption.Continue,
      items: batch.map((uid) => ({ operation: Enum.Operation.Get, payload: [ttlv.textString(Tag.UniqueIdentifier, uid)] })),
    }));
    const r = readResponse(await c.next(20_000));
    for (const item of r.items) {
      const key = item.payload && child(child(child(child(item.payload, Tag.SymmetricKey)!, Tag.KeyBlock)!, Tag.KeyValue)!, Tag.KeyMaterial);
      if (item.resultStatus !== Enum.ResultStatus.Success || (key?.value as Uint8Array | undefined)?.length !== 32) missing++;
    }
  }
  t.equal(missing, 0, `all ${acknowledged.length} acknowledged keys are present and unwrap`);
  // Nothing half-written: every object the store holds is whole (a Locate of everything, then Get of each).
  c.send(requestBytes({ version: '2.1', items: [{ operation: Enum.Operation.Locate, payload: [] }] }));
  const located = readResponse(await c.next(20_000)).items[0]!;
  t.equal(located.resultStatus, Enum.ResultStatus.Success, 'Locate of everything');
  const uids = new Set(children(located.payload!, Tag.UniqueIdentifier).map((x) => String(x.value)));
  t.ok(acknowledged.every((uid) => uids.has(uid)), `the store holds every acknowledged object (${uids.size} in all)`);
});
