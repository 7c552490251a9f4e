// Option validation with zod (zod/mini: the full build costs ~25 ms of
// start-up). A failure becomes one UsageError line naming the flag, the value
// given and the accepted form.

import * as z from 'zod/mini';
import { UsageError } from '../report/errors.js';

/** `positional`: schema keys that are command arguments, named <key> in messages instead of --key. */
export function validateOptions<T>(schema: z.ZodMiniType<T>, raw: unknown, positional: readonly string[] = []): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // Option keys are commander's camelCase names; users typed them as --kebab-case.
  // Positional arguments are named in angle brackets by their schema key.
  const key = issue.path.length ? String(issue.path[0]) : '';
  const flag = key === '' ? 'options' : positional.includes(key) ? `<${key}>` : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new UsageError(`${flag}: ${issue.message}`);
}

/** Flags every command has. */
export const commonOptions = {
  json: z.optional(z.boolean()),
  color: z.optional(z.boolean()),
  quiet: z.optional(z.boolean()),
  verbose: z.optional(z.boolean()),
  debug: z.optional(z.boolean()),
};

/** --from FILE, repeatable; "-" is stdin. */
export const fromOption = z.optional(
  z.array(z.string().check(z.minLength(1, { error: 'expected a file path, or - for stdin' }))),
);

export const OUTPUT_FORMATS = ['text', 'json', 'prometheus'] as const;

/**
 * --format, with --json as its short form: the two must not contradict each
 * other. Returns the flags with `json` set whenever JSON was asked for.
 */
export function resolveFormat<T extends { json?: boolean; format?: (typeof OUTPUT_FORMATS)[number] }>(opts: T): T {
  if (opts.json && opts.format && opts.format !== 'json') throw new UsageError(`--json contradicts --format ${opts.format}: use one of them`);
  return { ...opts, json: opts.json || opts.format === 'json' };
}
