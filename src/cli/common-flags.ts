import { Option, type Argument, type Command } from 'commander';
import { OUTPUT_FORMATS } from './validate.js';

/** Flags every command has: --json, --no-color, --quiet, --verbose, --debug. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON report on stdout (stable fields; see docs/json.md)')
    .option('--no-color', 'no colour in human output (also NO_COLOR=1)')
    .option('-q, --quiet', 'no progress on stderr, also on a terminal')
    .option('--verbose', 'progress messages on stderr also when it is not a terminal (logs, pipes)')
    .option('--debug', 'show stack traces of internal errors (implies --verbose)');
}

/** commander accumulator for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --format for commands whose summary also makes metrics (doctor, sockets). */
export function addFormatOption(cmd: Command): Command {
  return cmd.addOption(
    withChoices(new Option('--format <format>', 'text (default), json (same as --json) or prometheus (node_exporter textfile format)'), OUTPUT_FORMATS),
  );
}

/**
 * Declares the values an option or argument takes, in commander's own field
 * (`argChoices`): --help lists them and shell completion offers them. Unlike
 * commander's `.choices()` it leaves parsing alone, so validation stays with
 * the command's zod schema and its one-line messages (which may also accept
 * other spellings, as --state does).
 */
export function withChoices<T extends Option | Argument>(item: T, values: readonly string[]): T {
  item.argChoices = [...values];
  return item;
}
