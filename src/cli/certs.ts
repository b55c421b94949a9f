// `kmipd certs`: makes the development CA, server and client certificates for mTLS (KMIP 1.4 §10).
import { parseArgs } from 'node:util';
import { ensureDevCerts } from '../certs/dev-certs.js';

const USAGE = `usage: kmipd certs [--dir DIR] [--client NAME ...] [--days N]

Makes, with the openssl CLI, whatever is missing in DIR (default: certs):
  ca.crt, ca.key           a development CA
  server.crt, server.key   server certificate for localhost, 127.0.0.1 and ::1 (serverAuth)
  NAME.crt, NAME.key       a client certificate with subject CN=NAME (clientAuth), per --client (default: alice)
Existing files are kept; private keys are written mode 0600. --days sets the validity (default 365).
`;

/** Where the command writes; the process's streams unless a caller (a test) passes its own. */
export interface CommandIo {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

/** Runs the command; returns the process exit code (0 done, 1 failed, 2 usage). */
export async function runCerts(argv: string[], io: CommandIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  let values: { dir?: string; client?: string[]; days?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        client: { type: 'string', multiple: true },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    io.err.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out.write(USAGE);
    return 0;
  }
  let days: number | undefined;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!/^\d+$/.test(values.days) || days < 1) {
      io.err.write(`--days must be a positive whole number, not ${values.days}\n${USAGE}`);
      return 2;
    }
  }
  try {
    const result = ensureDevCerts(values.dir ?? 'certs', values.client ?? ['alice'], days);
    for (const file of result.made) io.out.write(`made ${file}\n`);
    for (const file of result.kept) io.out.write(`kept ${file}\n`);
    return 0;
  } catch (error) {
    io.err.write(`kmipd certs: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
