// FortiGate's username/password credential (KMIP 1.0) against a live kmipd configured with KMIPD_CREDENTIALS_FILE:
// the right password is served, a wrong or missing one is refused with Authentication Not Successful, in 1.0
// (1.0 §6.6 Authentication, §11.1 general errors).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Enum } from '../../src/kmip/enum.js';
import { Tag } from '../../src/kmip/tag.js';
import {
  checkAnswer,
  fortigateKeyNames,
  fortigateLocate,
  keyBlockOf,
  keyMaterialOf,
  openSession,
  success,
  textOf,
} from '../helpers/client-sequences.js';
import { children, reasonName, undefinedIn, usernamePasswordAuthentication } from '../helpers/kmip-messages.js';
import { startLiveServer } from '../helpers/live-server.js';
import { byUid, createAes, nameValue, uidOf } from '../helpers/object-harness.js';

const credentialsDir = mkdtempSync(join(tmpdir(), 'kmipd-creds-'));
const credentialsFile = join(credentialsDir, 'credentials.json');
writeFileSync(credentialsFile, JSON.stringify([{ username: 'fortigate', password: 'correct horse battery' }]));
const server = await startLiveServer({ KMIPD_CREDENTIALS_FILE: credentialsFile });
t.teardown(async () => {
  await server.close();
  rmSync(credentialsDir, { recursive: true, force: true });
});
const Op = Enum.Operation;
const V = '1.0';
const right = usernamePasswordAuthentication('fortigate', 'correct horse battery');

t.test('FortiGate 1.0 with credentials configured: right password served', async (t) => {
  const [name] = fortigateKeyNames('vpn-branch');
  const s = await openSession(server, V);
  t.teardown(() => s.close());
  let r = await s.request([createAes(V, 256, [{ name: 'Name', value: nameValue(name!) }])], { authentication: right });
  checkAnswer(t, r, V, [Op.Create], 'Create with the right password');
  const uid = uidOf(success(t, r.items[0], 'Create with the right password'));

  r = await s.request([fortigateLocate(name!)], { authentication: right });
  checkAnswer(t, r, V, [Op.Locate], 'Locate with the right password');
  t.same(children(success(t, r.items[0], 'Locate'), Tag.UniqueIdentifier).map(textOf), [uid], 'Locate: the key');

  r = await s.request([byUid(Op.Get, uid)], { authentication: right });
  checkAnswer(t, r, V, [Op.Get], 'Get with the right password');
  t.equal(keyMaterialOf(keyBlockOf(success(t, r.items[0], 'Get'), Tag.SymmetricKey))?.length, 32, 'Get: the key');
});

const refusals = [
  ['a wrong password', { authentication: usernamePasswordAuthentication('fortigate', 'tr0ub4dor') }],
  ['an unknown username', { authentication: usernamePasswordAuthentication('fortigate2', 'correct horse battery') }],
  ['no credential', {}],
] as const;

for (const [what, options] of refusals) {
  t.test(`FortiGate 1.0 with credentials configured: ${what} is refused`, async (t) => {
    const s = await openSession(server, V);
    t.teardown(() => s.close());
    const r = await s.request([fortigateLocate('vpn-branch-enc-in')], options);
    t.equal(r.version, V, 'answered in 1.0');
    t.same(undefinedIn(r.tree, V), [], 'nothing 1.0 does not define');
    t.equal(r.items.length, 1, 'one batch item');
    t.equal(r.items[0]?.resultStatus, Enum.ResultStatus.OperationFailed, 'Operation Failed');
    t.equal(reasonName(r.items[0]?.resultReason), 'AuthenticationNotSuccessful', 'Authentication Not Successful');
    t.equal(r.items[0]?.payload, undefined, 'no payload: nothing located');
    // The connection stays usable: the right credential works next.
    const again = await s.request([fortigateLocate('vpn-branch-enc-in')], { authentication: right });
    success(t, again.items[0], 'then the right password on the same connection');
  });
}
