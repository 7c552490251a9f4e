import type { Command } from 'commander';

/** Flags every command has: --json, --no-color, --debug. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON report on stdout (stable fields; see the README)')
    .option('--no-color', 'no colour in human output (also NO_COLOR=1)')
    .option('--debug', 'show stack traces of internal errors');
}

/** commander accumulator for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --format for commands whose summary also makes metrics (doctor, sockets). */
export function addFormatOption(cmd: Command): Command {
  return cmd.option('--format <format>', 'text (default), json (same as --json) or prometheus (node_exporter textfile format)');
}
