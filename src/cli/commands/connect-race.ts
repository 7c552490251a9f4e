import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions } from '../common-flags.js';
import { parseHostPort } from '../host-port.js';
import { countSchema, portSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, validateOptions } from '../validate.js';

/** Far above any real limit; keeps the load bounded. */
const MAX_PENDING_CAP = 256;

const schema = z.object({
  ...commonOptions,
  host: z.string().check(z.minLength(1, { error: 'expected a host name or address' })),
  port: portSchema,
  control: z.optional(z.string()),
  maxPending: z.optional(countSchema(1, MAX_PENDING_CAP, 'a number of pending attempts')),
});

export function registerConnectRace(program: Command): void {
  const cmd = program
    .command('connect-race')
    .argument('<host>', 'an endpoint that does not answer (a dead server, a firewalled port)')
    .argument('<port>', 'its port')
    .summary('does a pending attempt to a dead endpoint hold up every other new connection of this host?')
    .description(
      'Opens connection attempts to a non-answering endpoint one at a time, closing none, and after each ' +
        'one tries a new connect to a control: tcpdiag\'s own listener on this host (it always answers), and ' +
        'the server given with --control. The first count at which the control is held is the limit (a security ' +
        'filter allowing one pending attempt per process, an old half-open limit, a firewall counting attempts); ' +
        'a helper process tells per process from host-wide, and closing the attempts shows how long the holder ' +
        'remembers them. A control that is only slow is told from a held one by waiting through its SYN retransmits; ' +
        'a limit that rejects (refusing new connects at once) is told from one that drops them (they hang).',
    )
    .option('--control <host:port>', "also a server that answers, to cover connects that leave this host (tcpdiag's own listener is always used)")
    .option('--max-pending <n>', `most attempts kept pending at once (default 16, at most ${MAX_PENDING_CAP})`);
  addCommonOptions(cmd).addHelpText(
    'after',
    `
Exit codes: 0 no limit found, 1 connects are held (limit found, or held
before anything was opened), 4 inconclusive (the target answered, or the
control did not).

Examples:
  tcpdiag connect-race 10.0.0.99 389
                              # a dead directory server; controls: this host
  tcpdiag connect-race 10.0.0.99 389 --control 10.0.0.5:389
                              # and a live one, for connects leaving the host`,
  );
  cmd.action(async (host: string, port: string, raw) =>
    runCommand(
      {
        command: 'connect-race',
        validate: () => {
          const opts = validateOptions(schema, { ...raw, host, port }, ['host', 'port']);
          return { ...opts, given: opts.control !== undefined ? parseHostPort(opts.control, '--control') : null };
        },
        probe: async (opts, progress) => {
          const [{ probeConnectRace }, { getOsBackend }, { resolveFirst: first }] = await Promise.all([
            import('../../probes/connect-race.js'),
            import('../../os/index.js'),
            import('../resolve-target.js'),
          ]);
          const t0 = performance.now();
          return probeConnectRace({
            target: { address: await first(opts.host, '<host>'), port: opts.port },
            given: opts.given ? { address: await first(opts.given.host, '--control'), port: opts.given.port } : null,
            maxPending: opts.maxPending ?? 16,
            backend: getOsBackend,
            now: () => performance.now() - t0,
            progress,
          });
        },
        render: (s, r) => import('../../render/connect-race.js').then((m) => m.renderConnectRace(s, r)),
      },
      raw,
    ),
  );
}
