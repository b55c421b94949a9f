// `kmipd conformance` end to end: a fake KMIP server over node:tls (written here) answers each request with the test
// case's expected response under its own UIDs and times, or with a planted fault; then a real kmipd replays OASIS files.
import t from 'tap';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { ensureDevCerts } from '../../src/certs/dev-certs.js';
import { runConformance } from '../../src/cli/conformance.js';
import { runFiles } from '../../src/conformance/runner.js';
import { Bindings, instantiate, nowOffset, RequestClock } from '../../src/conformance/placeholders.js';
import { readTestCase, type TestCase } from '../../src/conformance/test-case.js';
import { Tag } from '../../src/kmip/tag.js';
import { decodeTtlv } from '../../src/ttlv/decode.js';
import { encodeTtlv } from '../../src/ttlv/encode.js';
import { TtlvFramer } from '../../src/ttlv/framing.js';
import { ItemType } from '../../src/ttlv/item-type.js';
import type { TtlvItem } from '../../src/ttlv/ttlv-item.js';
import { startLiveServer } from '../helpers/live-server.js';

const VECTORS = fileURLToPath(new URL('../../../shared/kmip-vectors/oasis-profiles/', import.meta.url));
const SKLC_21 = join(VECTORS, 'v2.1/mandatory/SKLC-M-1-21.xml');
const SKLC_10 = join(VECTORS, 'v1.0/mandatory/SKLC-M-1-10.xml');

const dir = mkdtempSync(join(tmpdir(), 'kmipd-conformance-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const certs = join(dir, 'certs');
ensureDevCerts(certs, ['alice']);

/** What the fake does at a step: answer as the file says, change the answer, or hang up. */
type Fault = { readonly step: number; readonly kind: 'close' } | { readonly step: number; readonly kind: 'edit'; readonly edit: (r: TtlvItem) => TtlvItem };

/**
 * A fake KMIP server replaying one test case per connection: its own values for every placeholder the responses
 * bind ("fake-…" UIDs, random bytes), the current time in every time stamp. Requests naming a UID it never issued
 * get Item Not Found, so a runner that does not substitute placeholders fails.
 */
async function fakeServer(testCase: TestCase, faults: readonly Fault[] = []): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer({
    cert: readFileSync(join(certs, 'server.crt')),
    key: readFileSync(join(certs, 'server.key')),
    ca: readFileSync(join(certs, 'ca.crt')),
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    connections++;
    const bindings = new Bindings();
    const clock = new RequestClock();
    const issued = new Set<string>();
    const framer = new TtlvFramer(1 << 20);
    let step = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const bytes of framer.push(chunk)) {
        const request = decodeTtlv(bytes);
        const s = testCase.steps[step];
        const fault = faults.find((f) => f.step === step);
        step++;
        if (s === undefined) return void socket.destroy();
        if (fault?.kind === 'close') return void socket.destroy();
        for (const [, name] of s.expected.placeholders) {
          if (nowOffset(name) === undefined && bindings.get(name) === undefined) {
            const uid = `fake-${name.slice(1).toLowerCase()}`;
            issued.add(uid);
            bindings.bind(name, { tag: 0, type: ItemType.TextString, value: uid });
          }
        }
        let answer = instantiate(s.expected, bindings, clock);
        const asked = requestUid(request);
        if (asked !== undefined && !issued.has(asked)) answer = notFound(answer);
        if (fault?.kind === 'edit') answer = fault.edit(answer);
        socket.write(encodeTtlv(answer));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function child(item: TtlvItem | undefined, tag: number): TtlvItem | undefined {
  return item?.type === ItemType.Structure ? item.value.find((c) => c.tag === tag) : undefined;
}

function requestUid(request: TtlvItem): string | undefined {
  const uid = child(child(child(request, Tag.BatchItem), Tag.RequestPayload), Tag.UniqueIdentifier);
  return uid?.type === ItemType.TextString ? uid.value : undefined;
}

/** Rewrites every item with `tag` (depth first). */
function rewrite(item: TtlvItem, tag: number, f: (i: TtlvItem) => TtlvItem): TtlvItem {
  if (item.tag === tag) return f(item);
  if (item.type !== ItemType.Structure) return item;
  return { ...item, value: item.value.map((c) => rewrite(c, tag, f)) };
}

function notFound(answer: TtlvItem): TtlvItem {
  return rewrite(answer, Tag.BatchItem, (bi) => ({
    tag: Tag.BatchItem,
    type: ItemType.Structure,
    value: [
      child(bi, Tag.Operation) as TtlvItem,
      { tag: Tag.ResultStatus, type: ItemType.Enumeration, value: 1 },
      { tag: Tag.ResultReason, type: ItemType.Enumeration, value: 1 },
    ],
  }));
}

/** Runs the CLI with captured output. */
async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConformance(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const tls = (port: number) => ['--port', String(port), '--cert', join(certs, 'alice.crt'), '--key', join(certs, 'alice.key'), '--ca', join(certs, 'ca.crt')];

t.test('a faithful server passes: PASS line, summary, exit 0', async (t) => {
  const fake = await fakeServer(readTestCase(SKLC_21));
  t.teardown(fake.close);
  const r = await cli([...tls(fake.port), SKLC_21]);
  t.same(r.out, [`PASS ${SKLC_21}`, '1 passed, 0 failed'], r.err.join('\n'));
  t.equal(r.code, 0);
});

t.test('the 1.0 form (KmipTestCase root, literal 2012 dates) passes against a faithful server', async (t) => {
  const fake = await fakeServer(readTestCase(SKLC_10));
  t.teardown(fake.close);
  const r = await cli([...tls(fake.port), SKLC_10]);
  t.same(r.out, [`PASS ${SKLC_10}`, '1 passed, 0 failed']);
});

t.test('a changed field fails with its path, values and step; exit 1', async (t) => {
  const state = (i: TtlvItem): TtlvItem => rewrite(i, Tag.State, () => ({ tag: Tag.State, type: ItemType.Enumeration, value: 2 }));
  const fake = await fakeServer(readTestCase(SKLC_21), [{ step: 1, kind: 'edit', edit: state }]);
  t.teardown(fake.close);
  const r = await cli([...tls(fake.port), '--verbose', SKLC_21]);
  t.equal(r.out.at(-2), `FAIL ${SKLC_21}: BatchItem.ResponsePayload.Attributes.State expected PreActive got Active (step 1)`);
  t.equal(r.out.at(-1), '0 passed, 1 failed');
  t.match(r.out.join('\n'), /step 0 Create: ok/, '--verbose prints every step');
  t.equal(r.code, 1);
});

t.test('a server that hangs up fails that file; the next file gets a new connection', async (t) => {
  const fake = await fakeServer(readTestCase(SKLC_21), [{ step: 2, kind: 'close' }]);
  t.teardown(fake.close);
  const copy = join(dir, 'copy');
  mkdirSync(copy, { recursive: true });
  copyFileSync(SKLC_21, join(copy, 'b.xml'));
  copyFileSync(SKLC_21, join(copy, 'a.xml'));
  writeFileSync(join(copy, 'notes.txt'), 'not a test case');
  const r = await cli([...tls(fake.port), '--json', copy]);
  t.equal(r.out[0], `FAIL ${join(copy, 'a.xml')}: (message) expected a ResponseMessage got no response (the server closed the connection without a response) (step 2)`);
  t.match(r.out[1], `FAIL ${join(copy, 'b.xml')}`, 'a directory is expanded to its *.xml files, sorted');
  t.equal(r.out[2], '0 passed, 2 failed');
  const json = JSON.parse(r.out[3] ?? '{}') as { passed: number; failed: number; files: { status: string; failure: { step: number } }[] };
  t.match(json, { passed: 0, failed: 2, errors: 0 });
  t.same(json.files.map((f) => [f.status, f.failure.step]), [['fail', 2], ['fail', 2]]);
  t.equal(fake.connections(), 2, 'one connection per file');
  t.equal(r.code, 1);
});

t.test('placeholders are substituted: a runner that sent the file\'s text would get Item Not Found', async (t) => {
  // The fake answers Item Not Found to any UID it did not issue; SKLC-M-1-21 passing above proves substitution.
  // Here a file that names a literal UID shows the other side.
  const file = join(dir, 'literal.xml');
  writeFileSync(file, readFileSync(SKLC_21, 'utf8').replace(/(<RequestPayload>\s*<UniqueIdentifier type="TextString" value=")\$UNIQUE_IDENTIFIER_0/, '$1not-issued'));
  const fake = await fakeServer(readTestCase(SKLC_21));
  t.teardown(fake.close);
  const r = await cli([...tls(fake.port), file]);
  t.equal(r.out[0], `FAIL ${file}: BatchItem.ResultStatus expected Success got OperationFailed (ItemNotFound) (step 1)`);
});

t.test('runner errors: a file that cannot be replayed, an unbound placeholder, an unreachable server; exit 2', async (t) => {
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, '<KMIP><RequestMessage><Nonsense type="Integer" value="1"/></RequestMessage></KMIP>');
  const unbound = join(dir, 'unbound.xml');
  // The Destroy of step 2 names an identifier no response binds.
  writeFileSync(unbound, readFileSync(SKLC_21, 'utf8').replace('$UNIQUE_IDENTIFIER_0"/>\n    </RequestPayload>', '$UNIQUE_IDENTIFIER_9"/>\n    </RequestPayload>'));
  const fake = await fakeServer(readTestCase(SKLC_21));
  t.teardown(fake.close);
  const r = await cli([...tls(fake.port), bad, unbound]);
  t.match(r.out[0], `ERROR ${bad}: `);
  t.match(r.out[0], /unknown tag name 'Nonsense'/);
  t.equal(r.out[1], `ERROR ${unbound}: request 2: placeholder $UNIQUE_IDENTIFIER_9 at BatchItem.RequestPayload.UniqueIdentifier is not bound by any earlier response (the file never shows its value)`);
  t.equal(r.out[2], '0 passed, 0 failed, 2 not run (runner errors)');
  t.equal(r.code, 2);

  const closed = await fakeServer(readTestCase(SKLC_21));
  const port = closed.port;
  await closed.close();
  const u = await cli([...tls(port), SKLC_21]);
  t.match(u.out[0], new RegExp(`^ERROR ${SKLC_21}: cannot connect to 127.0.0.1:${port}`));
  t.equal(u.code, 2);
});

t.test('usage errors: exit 2', async (t) => {
  t.equal((await cli([])).code, 2);
  t.equal((await cli(['--bogus', 'x', SKLC_21])).code, 2);
  t.equal((await cli(['--port', 'x', SKLC_21])).code, 2);
  const missing = await cli([join(dir, 'no-such.xml')]);
  t.equal(missing.code, 2);
  t.match(missing.err[0], /no such file or directory/);
});

t.test('a real kmipd: OASIS files it passes, and the precise line of one it fails', async (t) => {
  const server = await startLiveServer();
  t.teardown(() => server.close());
  const options = {
    host: '127.0.0.1',
    port: server.port,
    certFile: join(server.certs, 'alice.crt'),
    keyFile: join(server.certs, 'alice.key'),
    caFile: join(server.certs, 'ca.crt'),
    serverName: 'localhost',
  };
  const passing = ['v2.1/mandatory/MSGENC-XML-M-1-21.xml', 'v2.1/mandatory/SKLC-M-1-21.xml', 'v1.4/mandatory/SKLC-M-1-14.xml', 'v1.0/mandatory/SKLC-M-1-12.xml'];
  const results = await runFiles(passing.map((f) => join(VECTORS, f)), options);
  for (const r of results) t.equal(r.status, 'pass', `${r.file}: ${JSON.stringify(r.failure ?? r.error)}`);
  // Maximum Response Size 256 → Response Too Large (the result message is the server's own text, permitted).
  t.equal(results[0]?.records.length, 2);
  const r = await cli([...['--port', String(server.port), '--cert', options.certFile, '--key', options.keyFile, '--ca', options.caFile], join(VECTORS, 'v2.1/mandatory/CS-RNG-M-1-21.xml')]);
  // kmipd does not do RNG Retrieve yet: the line names the step, the field and the server's reason.
  t.match(r.out[0], /^(PASS|FAIL) .*CS-RNG-M-1-21\.xml/);
  t.comment(r.out[0] ?? '');
});
