// PyKMIP 0.10 (the reference client) against a live kmipd over mTLS: Discover Versions (1.1+) and Query in every
// version it speaks (1.0–2.0). A missing PyKMIP fails the test, never skips it.
import t from 'tap';
import { runPyKmip, startLiveServer } from '../helpers/live-server.js';

const server = await startLiveServer();
t.teardown(() => server.close());

t.test('PyKMIP: Discover Versions and Query in 1.0 … 2.0', async (t) => {
  const r = await runPyKmip(
    server,
    `
out = {}
for v in ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0']:
    with client(v) as c:
        entry = {}
        if v != '1.0':
            entry['versions'] = ['%d.%d' % (p.major, p.minor) for p in c.proxy.discover_versions().protocol_versions]
        q = c.proxy.query(query_functions=[enums.QueryFunction.QUERY_OPERATIONS, enums.QueryFunction.QUERY_OBJECTS,
                                           enums.QueryFunction.QUERY_SERVER_INFORMATION])
        entry['status'] = q.result_status.value.name
        entry['operations'] = sorted(o.name for o in q.operations)
        entry['vendor'] = q.vendor_identification
        out[v] = entry
print(json.dumps(out))
`,
  );
  t.equal(r.code, 0, `python exited 0 (stderr: ${r.stderr.slice(-2000)})`);
  const out = JSON.parse(r.stdout) as Record<string, { versions?: string[]; status: string; operations: string[]; vendor: string }>;
  for (const v of ['1.0', '1.1', '1.2', '1.3', '1.4', '2.0']) {
    const e = out[v]!;
    t.equal(e.status, 'SUCCESS', `${v}: Query succeeded`);
    t.equal(e.vendor, 'kmipd', `${v}: vendor identification`);
    t.ok(e.operations.includes('QUERY') && e.operations.includes('CREATE'), `${v}: Query lists the operations`);
    t.equal(e.operations.includes('DISCOVER_VERSIONS'), v !== '1.0', `${v}: Discover Versions listed from 1.1 only`);
    if (v !== '1.0') t.same(e.versions, ['2.1', '2.0', '1.4', '1.3', '1.2', '1.1', '1.0'], `${v}: Discover Versions`);
  }
});
