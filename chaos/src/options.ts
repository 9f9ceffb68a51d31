import { parseArgs } from 'node:util';

export const USAGE = 'usage: npm run chaos [-- --quick]   (--quick: 3 s of load per phase instead of 15 s)';

export interface ChaosOptions {
  /** 3 s of load per phase instead of 15 s: the form CI runs. */
  quick: boolean;
  help: boolean;
}

/** Thrown for arguments chaos does not know; its message says which, and the usage. */
export class UsageError extends Error {}

/**
 * The command line of `npm run chaos`. Strict: a mistyped `--quik` must not start the full
 * five-minute run.
 */
export function parseChaosOptions(argv: readonly string[]): ChaosOptions {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { quick: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
      allowPositionals: false,
    });
    return { quick: values.quick, help: values.help };
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}
