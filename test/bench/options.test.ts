// The server benchmark's options: --target (an external KMIP server) and its refusals; bench/load/options.ts.
import t from 'tap';
import { parseOptions } from '../../bench/load/options.js';

t.test('without --target, the run starts its own servers, PyKMIP included', async (t) => {
  const o = parseOptions([], {});
  t.equal(o.target, undefined);
  t.same(o.servers, ['kmipd', 'pykmip']);
});

t.test('--target HOST:PORT with its certificates, by flag or by variable', async (t) => {
  const o = parseOptions(['--target', 'kmip.example:5696', '--target-certs', '/etc/kmip'], {});
  t.same(o.target, { host: 'kmip.example', port: 5696, certs: '/etc/kmip', client: 'alice', servername: 'localhost' });
  t.same(o.servers, ['kmipd'], 'no PyKMIP started here by default');
  const v6 = parseOptions(['--target', '[::1]:15696', '--target-certs', 'c', '--target-client', 'bob', '--target-servername', 'kmip.example'], {});
  t.same(v6.target, { host: '::1', port: 15696, certs: 'c', client: 'bob', servername: 'kmip.example' });
  const env = parseOptions([], { BENCH_TARGET: '10.0.0.5:5696', BENCH_TARGET_CERTS: 'certs', BENCH_TARGET_CLIENT: 'carol' });
  t.same(env.target, { host: '10.0.0.5', port: 5696, certs: 'certs', client: 'carol', servername: 'localhost' });
});

t.test('refusals, each naming what is wrong', async (t) => {
  const refused = (argv: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}): void => {
    t.throws(() => parseOptions(argv, env), pattern, argv.join(' ') || JSON.stringify(env));
  };
  refused(['--target', 'kmip.example', '--target-certs', 'c'], /--target is HOST:PORT, not kmip\.example/);
  refused(['--target', 'kmip.example:0', '--target-certs', 'c'], /--target is HOST:PORT/);
  refused(['--target', 'kmip.example:65536', '--target-certs', 'c'], /--target is HOST:PORT/);
  refused(['--target', '::1:5696', '--target-certs', 'c'], /--target is HOST:PORT/);
  refused(['--target', 'kmip.example:5696'], /--target needs --target-certs DIR \(ca\.crt, alice\.crt, alice\.key\)/);
  refused(['--target-certs', 'c'], /--target-certs without --target/);
  refused(['--target', 'kmip.example:5696', '--target-certs', 'c', '--servers', 'kmipd,pykmip'], /would compare two machines/);
  refused(['--target', 'kmip.example:5696', '--target-certs', 'c', '--profile', '/tmp/p'], /profile the server where it runs/);
  refused([], /profile the server where it runs/, { BENCH_TARGET: 'k:1', BENCH_TARGET_CERTS: 'c', BENCH_PROFILE: '/tmp/p' });
});
