// The `kmipd` command: dispatches to its subcommands (serve, ttlv, certs, ...).
import { runCerts } from './certs.js';
import { CONFORMANCE_USAGE, runConformance } from './conformance.js';
import { runServe } from './serve.js';
import { runToken } from './token.js';
import { runTtlv, TTLV_USAGE } from './ttlv.js';

const USAGE = `usage: kmipd <command> [options]
commands:
  serve [--option value ...]   start the KMIP server (options: see README, Configuration)
  certs [--dir certs] [--client NAME ...]   make development CA, server and client certificates
  token init|status|rotate-kek [--data-dir DIR]   the PKCS#11 token and its key-encryption keys
  ttlv decode|encode   convert between binary TTLV and KMIP XML / JSON / tree
  conformance FILE|DIR…   replay OASIS KMIP XML test cases against a running server
${TTLV_USAGE}
${CONFORMANCE_USAGE}`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest);
    case 'certs':
      return runCerts([...rest]);
    case 'token':
      return runToken([...rest]);
    case 'ttlv':
      return runTtlv(rest);
    case 'conformance':
      return runConformance([...rest]);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`kmipd: unknown command ${command}\n${USAGE}\n`);
      return 2;
  }
}
