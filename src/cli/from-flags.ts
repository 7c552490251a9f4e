// --from and the limits of reading it, for every command that reads captured
// output (ports, sockets, bind, doctor): one definition, so the limits are
// the same everywhere (issue #22).

import type { Command } from 'commander';
import * as z from 'zod/mini';
import { formatsOf, type SectionFormat } from '../input/section-formats.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, formatSize, type ReadLimits } from '../input/read-bytes.js';
import { wrap } from '../render/text.js';
import { UsageError } from '../report/errors.js';
import { collect } from './common-flags.js';
import { durationSchema } from './option-schemas.js';
import { fromOption } from './validate.js';

/** The width commander wraps help at when it cannot ask a terminal. */
const HELP_WIDTH = 80;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };
/** Past this even a raised limit is not a paste (and Node's strings end near 512 MiB of UTF-16). */
const MAX_SIZE = 4 * 1024 ** 3;

/** "64MiB", "200M", "1g", "500k" or bytes; binary units (a "M" is 1024 * 1024 bytes). */
const sizeSchema = z.pipe(
  z.string(),
  z.transform((s: string, ctx) => {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s.trim());
    const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
    const bytes = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : NaN;
    if (bytes >= 1024 && bytes <= MAX_SIZE) return bytes;
    ctx.issues.push({ code: 'custom', message: `expected a size like 64MiB, 200M or 1G, from 1KiB to 4GiB, got "${s}"`, input: s });
    return z.NEVER;
  }),
);

/** Schema keys for the --from flags, to spread into a command's schema. */
export const fromOptions = {
  from: fromOption,
  maxInput: z.optional(sizeSchema),
  inputTimeout: z.optional(durationSchema(0, 3_600_000)),
};

/** Adds --from (with the command's own description), the limits of reading it, and a --help section listing the outputs of these kinds it reads. */
export function addFromOptions(cmd: Command, description: string, reads: ReadonlyArray<SectionFormat['kind']>): Command {
  // A support engineer asks the customer for one of these: the full list, since an unknown-format error points here.
  const list = formatsOf(reads).map((d) => wrap(d, HELP_WIDTH, '  - ', '    '));
  return cmd
    .addHelpText('after', `\nOutputs --from reads (several to a file, with prompts and text between them):\n${list.join('\n')}`)
    .option('--from <file>', description, collect)
    .option('--max-input <size>', `with --from: read at most this much of each input (default ${formatSize(DEFAULT_MAX_BYTES)}; e.g. 200MiB)`)
    .option('--input-timeout <duration>', `with --from: give up on an input that has not ended after this long (default ${DEFAULT_TIMEOUT_MS / 1000}s; 0: wait; a terminal paste always waits)`);
}

/** `opts` as they are; a read limit without --from is bad input (it would limit nothing, silently). For each command's validate. */
export function checkFromLimits<O extends { from?: readonly string[]; maxInput?: number; inputTimeout?: number }>(opts: O): O {
  if (!opts.from?.length) {
    const alone = opts.maxInput !== undefined ? '--max-input' : opts.inputTimeout !== undefined ? '--input-timeout' : null;
    if (alone) throw new UsageError(`${alone} limits reading captured input: it applies only with --from`);
  }
  return opts;
}

export function readLimitsOf(opts: { maxInput?: number; inputTimeout?: number }): ReadLimits {
  return { maxBytes: opts.maxInput ?? DEFAULT_MAX_BYTES, timeoutMs: opts.inputTimeout ?? DEFAULT_TIMEOUT_MS };
}
