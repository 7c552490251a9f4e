import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions } from '../common-flags.js';
import { addFromOptions, checkFromLimits, fromOptions, readLimitsOf } from '../from-flags.js';
import { runCommand } from '../run-command.js';
import { commonOptions, validateOptions } from '../validate.js';

const schema = z.object({ ...commonOptions, ...fromOptions });

export function registerPorts(program: Command): void {
  const cmd = program
    .command('ports')
    .summary('ephemeral and excluded/reserved port ranges, with what they mean')
    .description(
      'Lists every ephemeral (dynamic) port range and every excluded or reserved range of this host, per ' +
        'protocol and family, where each value came from, and what it means for servers and clients.',
    )
  addFromOptions(cmd, 'analyse captured netsh/sysctl/procfs output instead of this host (repeatable; - reads stdin)', ['ranges']);
  addCommonOptions(cmd).addHelpText(
    'after',
    `
Exit codes: 0 the ranges look right, 1 a warning (a small ephemeral range,
a range over well-known server ports), 4 (--from only) the input lacks what
the answer needs (see "Not judged").

Examples:
  tcpdiag ports
  tcpdiag ports --json
  tcpdiag ports --from excluded.txt --from dynamic.txt
                                        # a customer's pasted netsh output`,
  );
  cmd.action(async (raw) =>
    runCommand(
      {
        command: 'ports',
        validate: () => checkFromLimits(validateOptions(schema, raw)),
        probe: async (opts) => {
          const [{ probePorts }, { readCapturedInput }, { getOsBackend }] = await Promise.all([
            import('../../probes/ports.js'),
            import('../../input/parse-captured.js'),
            import('../../os/index.js'),
          ]);
          return probePorts({ captured: await readCapturedInput(opts.from, readLimitsOf(opts)), backend: getOsBackend });
        },
        render: (s, r) => import('../../render/ports.js').then((m) => m.renderPorts(s, r)),
      },
      raw,
    ),
  );
}
