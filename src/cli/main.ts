// Entry point (bundled to dist/tcpdiag.cjs). Parses argv with commander and
// maps commander's own errors onto the exit-code contract: usage errors are
// one line on stderr and exit 2, never commander's default exit 1.

import { CommanderError } from 'commander';
import { EXIT } from '../report/verdict.js';
import { installSignalHandlers } from '../lifecycle/interrupt.js';
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<void> {
  installSignalHandlers();
  const program = buildProgram();
  program.exitOverride();
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    // commander prints "error: ..." itself; we print one tcpdiag line instead.
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
      process.exitCode = EXIT.ok;
      return;
    }
    const sub = program.commands.find((c) => argv.slice(2).includes(c.name()));
    const help = sub ? `tcpdiag ${sub.name()} --help` : 'tcpdiag --help';
    // commander puts "(Did you mean ...?)" on a second line; the contract is one line.
    const message = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`tcpdiag: ${message} (see '${help}')\n`);
    process.exitCode = EXIT.usage;
  }
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`tcpdiag: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = EXIT.cannotRun;
});
