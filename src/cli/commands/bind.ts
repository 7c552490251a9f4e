import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions, collect } from '../common-flags.js';
import { addFromOptions, checkFromLimits, fromOptions, readLimitsOf } from '../from-flags.js';
import { portSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, validateOptions } from '../validate.js';

const schema = z.object({
  ...commonOptions,
  port: portSchema,
  host: z.optional(z.array(z.string())),
  ...fromOptions,
});

/** Without --host: the IPv4 and IPv6 wildcards, as servers usually listen. */
const DEFAULT_ADDRESSES = ['0.0.0.0', '::'];

export function registerBind(program: Command): void {
  const cmd = program
    .command('bind')
    .argument('<port>', 'the port a server wants to listen on (number or service name)')
    .summary('can a server listen on this port? if not: who holds it, why, and what to do')
    .description(
      'Tries a real listen on the port (IPv4 and IPv6 wildcards, or --host) as a Node server does, releases it at once, then ' +
        'explains each socket on the port by the OS\'s bind rules: whether it keeps the listen off and why (listeners, client ' +
        'sockets, TIME_WAIT with the time it has left), every process holding it, the ephemeral range, Windows excluded and ' +
        'Linux reserved ranges, privileged ports — with fixes that do no harm: the process shown before it is ended, one ' +
        'socket closed where the OS allows (ss -K), the port reserved first when a client could take it again.',
    )
    .option('--host <address>', 'ask about this address instead of the wildcards (IP or name; with --from an IP only; repeatable)', collect);
  addFromOptions(cmd, 'answer from captured netstat -ano / ss and netsh / sysctl output, without binding (repeatable; - reads stdin)', ['table', 'ranges']);
  addCommonOptions(cmd).addHelpText(
    'after',
    `
Exit codes: 0 the port can be bound now (risks are findings), 1 it cannot,
  4 (--from only) it depends on what the capture does not show
  (see "Not judged").

Examples:
  tcpdiag bind 43611
  tcpdiag bind 3000 --host 127.0.0.1
  tcpdiag bind 8080 --from netstat-ano.txt --from excludedportrange.txt
                                          # a Windows ticket`,
  );
  cmd.action(async (port: string, raw) =>
    runCommand(
      {
        command: 'bind',
        validate: () => checkFromLimits(validateOptions(schema, { ...raw, port, host: raw.host?.length ? raw.host : undefined }, ['port'])),
        probe: async (opts) => {
          const [{ probeBind }, { readCapturedInput }, { getOsBackend }, { resolveHosts }] = await Promise.all([
            import('../../probes/bind.js'),
            import('../../input/parse-captured.js'),
            import('../../os/index.js'),
            import('../resolve-hosts.js'),
          ]);
          return probeBind({
            port: opts.port,
            addresses: opts.host ? await resolveHosts(opts.host, { captured: opts.from !== undefined }) : DEFAULT_ADDRESSES,
            captured: await readCapturedInput(opts.from, readLimitsOf(opts)),
            backend: getOsBackend,
            isRoot: process.getuid?.() === 0,
          });
        },
        render: (s, r) => import('../../render/bind.js').then((m) => m.renderBind(s, r)),
      },
      raw,
    ),
  );
}
