import { Argument, type Command } from 'commander';
import * as z from 'zod/mini';
import { VERSION } from '../../version.js';
import { withChoices } from '../common-flags.js';
import { enumSchema } from '../option-schemas.js';
import { runTextCommand } from '../run-command.js';
import { validateOptions } from '../validate.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const schema = z.object({ shell: enumSchema(SHELLS) });

// Loaded only when the command runs, like the probes of other commands.
const GENERATORS = {
  bash: () => import('../completion/bash.js').then((m) => m.bashScript),
  zsh: () => import('../completion/zsh.js').then((m) => m.zshScript),
  fish: () => import('../completion/fish.js').then((m) => m.fishScript),
};

// No --json/--no-color/--debug: the output is a script, never a report.
export function registerCompletion(program: Command): void {
  const cmd = program
    .command('completion')
    .addArgument(withChoices(new Argument('<shell>', 'the shell to complete for'), SHELLS))
    .summary('print a shell-completion script for bash, zsh or fish')
    .description(
      'Prints a completion script for the shell on stdout: commands, subcommands, options, and the values of ' +
        'options that take a fixed set (--state, --group-by, --format) or a file (--from). Generated from this version\'s ' +
        'commands, so regenerate it after an upgrade.',
    )
    .addHelpText(
      'after',
      `
Examples:
  tcpdiag completion bash > /etc/bash_completion.d/tcpdiag
  source <(tcpdiag completion bash)                  bash, this session only
  tcpdiag completion zsh > "\${fpath[1]}/_tcpdiag"    then start a new zsh
  tcpdiag completion fish > ~/.config/fish/completions/tcpdiag.fish`,
    );
  cmd.action(async (shell: string) =>
    runTextCommand(
      'completion',
      () => validateOptions(schema, { shell }, ['shell']),
      async (opts) => {
        const [{ commandSpec }, generate] = await Promise.all([import('../completion/spec.js'), GENERATORS[opts.shell]()]);
        let root: Command = cmd;
        while (root.parent) root = root.parent;
        return generate(commandSpec(root), VERSION);
      },
    ),
  );
}
