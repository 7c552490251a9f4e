// Runs one command: validate options, run the probe, wrap the result in the
// envelope, print it, set the exit code. The one place that maps failures to
// exit codes: bad input 2, could not run 3, internal error 3 (with --debug the
// stack trace).

import { ParseError } from '../os/parse/text.js';
import { makeCannotRunReport, makeReport } from '../report/envelope.js';
import { CannotRunError, UsageError } from '../report/errors.js';
import type { ProbeResult, Report } from '../report/types.js';
import { EXIT, exitCodeFor } from '../report/verdict.js';
import type { Style } from '../render/style.js';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { writeReport, type OutputFlags } from './output.js';
import { startProgress, type ProgressMode } from './progress.js';

export interface CommandSpec<O extends OutputFlags & { debug?: boolean }, D> {
  command: string;
  validate: () => O;
  /** `progress` prints a message for a person on stderr, and the live line's status (see progress.ts). */
  probe: (opts: O, progress: (message: string, status?: string) => void) => Promise<ProbeResult<D>>;
  /** Human rendering; may load its module lazily. */
  render: (s: Style, r: Report<D>) => string | Promise<string>;
  /** What the live progress line says until the probe says something (terminals only). */
  activity?: string;
  /** Prometheus text format, for commands with --format prometheus. */
  metrics?: (r: Report<D>) => string | Promise<string>;
}

/** The flags every command takes, as commander hands them over. */
type RawFlags = OutputFlags & { debug?: boolean; quiet?: boolean; verbose?: boolean };

export async function runCommand<O extends OutputFlags & { debug?: boolean }, D>(spec: CommandSpec<O, D>, rawFlags: RawFlags): Promise<void> {
  const startedAt = new Date();
  const progress = startProgress(spec.command, spec.activity, process.stderr, progressMode(rawFlags));
  const forgetProgress = onInterrupt(() => progress.stop());
  try {
    if (rawFlags.quiet && rawFlags.verbose) throw new UsageError('--quiet contradicts --verbose: use one of them');
    const opts = spec.validate();
    const result = await spec.probe(opts, (m, status) => progress.say(m, status));
    progress.stop();
    const report = makeReport(spec.command, startedAt, result);
    await writeReport(opts, report, { human: spec.render, metrics: spec.metrics });
    // A report that could not run anything (doctor with every check failed) also says so on stderr, as exit 3 does everywhere.
    if (report.verdict === 'error') process.stderr.write(`tcpdiag ${spec.command}: cannot run: ${report.summary}\n`);
    process.exitCode = exitCodeFor(report.verdict);
  } catch (err) {
    progress.stop();
    process.exitCode = reportFailure(spec.command, startedAt, err, rawFlags);
  } finally {
    forgetProgress();
  }
}

/** --quiet: no progress; --verbose or --debug: its messages also where stderr is not a terminal. */
function progressMode(flags: RawFlags): ProgressMode {
  if (flags.quiet) return 'quiet';
  return flags.verbose || flags.debug ? 'verbose' : 'auto';
}

/**
 * A command whose output is plain text, not a report (`completion`): same
 * error lines and exit codes as runCommand, nothing on stdout on failure.
 */
export async function runTextCommand<O>(command: string, validate: () => O, produce: (opts: O) => Promise<string>): Promise<void> {
  const startedAt = new Date();
  try {
    process.stdout.write(await produce(validate()));
    process.exitCode = EXIT.ok;
  } catch (err) {
    process.exitCode = reportFailure(command, startedAt, err, {});
  }
}

function reportFailure(command: string, startedAt: Date, err: unknown, flags: OutputFlags & { debug?: boolean }): number {
  if (err instanceof UsageError || err instanceof ParseError) {
    process.stderr.write(`tcpdiag ${command}: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof CannotRunError) {
    if (flags.json || flags.format === 'json') process.stdout.write(`${JSON.stringify(makeCannotRunReport(command, startedAt, err.message, err.remedy), null, 2)}\n`);
    const remedy = err.remedy.length ? ` (${err.remedy.join('; ')})` : '';
    process.stderr.write(`tcpdiag ${command}: cannot run: ${err.message}${remedy}\n`);
    return EXIT.cannotRun;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(
    flags.debug ? `tcpdiag ${command}: internal error: ${e.stack}\n` : `tcpdiag ${command}: internal error: ${e.message} (rerun with --debug for the stack trace)\n`,
  );
  return EXIT.cannotRun;
}
