// Entry point (bundled to dist/tcpdiag.cjs). Parses argv with commander and
// maps commander's own errors onto the exit-code contract: usage errors are
// one line on stderr and exit 2, never commander's default exit 1.

import type { Command } from 'commander';
import { EXIT } from '../report/verdict.js';
import { installSignalHandlers } from '../lifecycle/interrupt.js';
import { tolerateClosedStdout } from '../lifecycle/closed-stdout.js';
import { versionText } from '../version.js';
import { HELPER_COMMAND } from '../race/helper-command.js';
import { SELF_CHECK_COMMAND } from '../sea/self-check-command.js';

export async function main(argv: string[]): Promise<void> {
  // connect-race's scope check runs a second tcpdiag as a helper process: no command line to parse.
  if (argv[2] === HELPER_COMMAND) return (await import('../race/helper-process.js')).runRaceHelper();
  // How this tcpdiag is put together here (single executable, koffi): for test/sea.
  if (argv[2] === SELF_CHECK_COMMAND) return (await import('../sea/self-check.js')).runSelfCheck();
  // `--version` alone needs nothing else: commander alone pulls in child_process,
  // net and dgram, and start-up is a goal (bench/busy-host.mjs, from an npm install).
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    process.stdout.write(`${versionText()}\n`);
    return;
  }
  installSignalHandlers();
  tolerateClosedStdout();
  const [{ buildProgram }, { CommanderError }] = await Promise.all([import('./program.js'), import('commander')]);
  const program = buildProgram();
  // Every command at every depth (keepalive connect ...): commander prints
  // "error: ..." itself and exits 1; we print one tcpdiag line and exit 2.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program)) {
    cmd.exitOverride();
    cmd.configureOutput({ outputError: () => {} });
  }
  if (argv.length <= 2) {
    process.stderr.write(program.helpInformation());
    process.exitCode = EXIT.usage;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      // Help asked for is an answer (0); help shown because a command group lacks its subcommand
      // (`tcpdiag keepalive`, already on stderr) is a usage error, as `tcpdiag` alone is.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    // The deepest command named on the line, for the help hint.
    let help = 'tcpdiag';
    for (let c: Command | undefined = program, i = 2; c && i < argv.length; i++) {
      const sub: Command | undefined = c.commands.find((x) => x.name() === argv[i]);
      if (sub) {
        help += ` ${sub.name()}`;
        c = sub;
      }
    }
    help += ' --help';
    // commander puts "(Did you mean ...?)" on a second line; the contract is one line.
    const message = err.message
      .replace(/^error: /, '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    process.stderr.write(`tcpdiag: ${message} (see '${help}')\n`);
    process.exitCode = EXIT.usage;
  }
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`tcpdiag: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = EXIT.cannotRun;
});
