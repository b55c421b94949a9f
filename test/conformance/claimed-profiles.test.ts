// Every mandatory OASIS test case of the profiles kmipd claims (src/operations/claimed-profiles.ts), replayed in each
// version form against one live kmipd in test mode (Baseline Server needs Interop) and judged under the permitted
// variations (KMIP Profiles §4.7): one assertion per file, the runner's FAIL line as its message.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileLine } from '../../src/conformance/report.js';
import { runFiles } from '../../src/conformance/runner.js';
import { startLiveServer } from '../helpers/live-server.js';

const VECTORS = fileURLToPath(new URL('../../../shared/kmip-vectors/oasis-profiles/', import.meta.url));

/** The claimed sets: directory, the file-name pattern, how many files it must hold. */
const SETS = [
  { dir: 'v1.0/mandatory', pattern: /^(SKLC|SKFF|OMOS)-M-\d+-1[012]\.xml$/, count: 48 },
  { dir: 'v1.4/mandatory', pattern: /^(SKLC|SKFF|OMOS|SASED|TL)-M-\d+-14\.xml$/, count: 22 },
  { dir: 'v2.1/mandatory', pattern: /^(BL|SKLC|SKFF|OMOS|SASED|TL)-M-\d+-21\.xml$/, count: 35 },
] as const;

/**
 * Files that cannot pass, with the reason (a self-contradictory vector; never "kmipd does not do it yet"). Each is
 * asserted as a tap `todo`. None at present.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {};

// Sorted: a file that finds another's object (TL-M-3 locates the key TL-M-2 made) comes after it.
const files = SETS.flatMap((s) => {
  const names = readdirSync(join(VECTORS, s.dir)).filter((n) => s.pattern.test(n)).sort();
  t.equal(names.length, s.count, `${s.dir}: ${s.count} claimed files`);
  return names.map((n) => join(VECTORS, s.dir, n));
});

t.test('claimed profiles: every mandatory file passes', async (t) => {
  const server = await startLiveServer({ KMIPD_TEST_MODE: 'true' });
  t.teardown(() => server.close());
  const results = await runFiles(files, {
    host: '127.0.0.1',
    port: server.port,
    certFile: join(server.certs, 'alice.crt'),
    keyFile: join(server.certs, 'alice.key'),
    caFile: join(server.certs, 'ca.crt'),
    serverName: 'localhost',
  });
  for (const r of results) {
    const name = r.file.slice(VECTORS.length);
    const todo = EXCEPTIONS[name];
    t.equal(r.status, 'pass', r.status === 'pass' ? `PASS ${name}` : fileLine(r), todo === undefined ? {} : { todo });
  }
});
