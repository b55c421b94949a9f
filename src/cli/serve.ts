// `kmipd serve [--option value ...]`: starts the server on its configuration; SIGTERM/SIGINT stop it gracefully.
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { tuneHeap } from '../heap-tuning.js';
import { startKmipd } from '../main.js';

export async function runServe(argv: readonly string[]): Promise<number> {
  let config;
  try {
    config = loadConfig({ env: process.env, argv, cwd: process.cwd() });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kmipd serve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  tuneHeap();
  const running = await startKmipd(config);
  const certs = dirname(config.tlsCert);
  process.stderr.write(connectHelp(running.port, certs, config.tlsCa));
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      running.log.info({ signal }, 'stopping: finishing in-flight requests');
      running.close().then(
        () => resolve(0),
        (e: unknown) => {
          running.log.error({ err: String(e) }, 'error while stopping');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

function connectHelp(port: number, certs: string, ca: string): string {
  const crt = join(certs, 'alice.crt');
  const key = join(certs, 'alice.key');
  return `
kmipd is listening on port ${port} (mutual TLS; client certificates must chain to ${ca}).
More client certificates: kmipd certs --dir ${certs} --client NAME

From PyKMIP (Debian python3-pykmip, run with /usr/bin/python3):

  from kmip.pie.client import ProxyKmipClient
  from kmip.core import enums
  with ProxyKmipClient(hostname='127.0.0.1', port=${port}, cert='${crt}', key='${key}',
                       ca='${ca}', config_file='/dev/null',
                       kmip_version=enums.KMIPVersion.KMIP_1_2) as client:
      print(client.proxy.discover_versions())

`;
}
