import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions } from '../common-flags.js';
import { countSchema, durationSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, validateOptions } from '../validate.js';

const schema = z.object({
  ...commonOptions,
  backlog: z.optional(countSchema(0, 65535, 'a backlog')),
  clients: z.optional(countSchema(1, 1000, 'a client count')),
  hold: z.optional(durationSchema(0, 120_000)),
});

export function registerBacklog(program: Command): void {
  const cmd = program
    .command('backlog')
    .summary('reproduce a full accept queue on loopback and explain what this OS does with it')
    .description(
      'Starts a local listener with --backlog that does not accept for --hold, fires --clients connects at it, ' +
        'and follows every client: which connect at once (they wait in the accept queue), which sit in SYN_SENT ' +
        '(Linux, macOS) or are refused (Windows), what the kernel counted, and who gets in when accepting resumes.',
    )
    .option('--backlog <n>', 'the listen backlog (default 1)')
    .option('--clients <n>', 'connects fired at the listener (default 5, at most 1000)')
    .option('--hold <duration>', 'how long the listener does not accept (default 10s, at most 2m; a bare number is seconds); a hold that would end around a resend of the waiting clients\' SYN ends just past it');
  addCommonOptions(cmd).addHelpText(
    'after',
    `
Exit codes: 0 the OS behaved as documented, 1 it did not (another limit or a
firewall).

Examples:
  tcpdiag backlog
  tcpdiag backlog --backlog 4 --clients 20 --hold 3s`,
  );
  cmd.action(async (raw) =>
    runCommand(
      {
        command: 'backlog',
        validate: () => validateOptions(schema, raw),
        probe: async (opts, progress) => {
          const [{ probeBacklog }, { getOsBackend }] = await Promise.all([import('../../probes/backlog.js'), import('../../os/index.js')]);
          const t0 = performance.now();
          return probeBacklog({
            backlog: opts.backlog ?? 1,
            clients: opts.clients ?? 5,
            holdMs: opts.hold ?? 10_000,
            backend: getOsBackend,
            now: () => performance.now() - t0,
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
            progress,
          });
        },
        render: (s, r) => import('../../render/backlog.js').then((m) => m.renderBacklog(s, r)),
      },
      raw,
    ),
  );
}
