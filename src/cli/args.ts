// Tiny argument parser for the kmipd command: `--name value` or `--name=value` options, the rest positional.

export interface ParsedArgs {
  readonly options: ReadonlyMap<string, string[]>;
  readonly positional: readonly string[];
}

/** `flags` lists options that take no value. */
export function parseArgs(argv: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      let value: string;
      if (eq > 0) value = a.slice(eq + 1);
      else if (flags.includes(name)) value = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`option --${name} needs a value`);
        value = next;
        i++;
      }
      const list = options.get(name) ?? [];
      list.push(value);
      options.set(name, list);
    } else {
      positional.push(a);
    }
  }
  return { options, positional };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The single value of an option, checked against the allowed values. */
export function option<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const values = args.options.get(name);
  if (values === undefined) return fallback;
  const v = values[values.length - 1]!;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${v}`);
  }
  return v as T;
}
