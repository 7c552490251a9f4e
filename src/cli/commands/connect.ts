import type { Command } from 'commander';
import * as z from 'zod/mini';
import { UsageError } from '../../report/errors.js';
import { addCommonOptions } from '../common-flags.js';
import { countSchema, durationSchema, portSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, validateOptions } from '../validate.js';

const schema = z.object({
  ...commonOptions,
  host: z.string().check(z.minLength(1, { error: 'expected a host name or address' })),
  port: portSchema,
  count: z.optional(countSchema(1, 100, 'an attempt count')),
  interval: z.optional(durationSchema(0, 60_000)),
  timeout: z.optional(durationSchema(100, 300_000)),
  ipv4: z.optional(z.boolean()),
  ipv6: z.optional(z.boolean()),
});

export function registerConnect(program: Command): void {
  const cmd = program
    .command('connect')
    .argument('<host>', 'name or address to connect to')
    .argument('<port>', 'port number or service name (https, postgresql, ...)')
    .summary('connect to every address of a host separately, with timings and each error explained')
    .description(
      'Resolves the host (all addresses, in resolver order) and connects to each address on its own, family ' +
        'pinned, so what you see is the OS and the network, not Node\'s Happy Eyeballs fallback. Says what ' +
        'each error means, calls out connects that waited for a resent SYN (their time against the OS\'s SYN ' +
        'resend schedule), and names where only some addresses answer (localhost giving ::1 first).',
    )
    .option('--count <n>', 'attempts per address (min/median/p95/max over them)', '1')
    .option('--interval <duration>', 'pause between rounds of attempts (e.g. 100ms, 1s; a bare number is seconds)', '200ms')
    .option('--timeout <duration>', 'deadline of each attempt, at most 5m (the kernel is told where it can be, only when it comes before the OS gives up by itself: no attempt outlasts a client\'s)', '5s')
    .option('-4, --ipv4', 'IPv4 addresses only')
    .option('-6, --ipv6', 'IPv6 addresses only');
  addCommonOptions(cmd).addHelpText(
    'after',
    `
Exit codes: 0 every address connects, 1 any fails, a connect waited for a
resent SYN (a SYN or SYN-ACK lost: about 1 s on Linux, where a faster attempt
to that address shows the path is fast, or the address is a loopback one; with
--count 1 elsewhere there is none, so this is not judged), or the host does not
resolve.

Examples:
  tcpdiag connect localhost 3000
  tcpdiag connect example.internal https     # a service name for the port
  tcpdiag connect db.internal 5432 --count 10 --interval 100ms
  tcpdiag connect 10.0.0.7 443 --timeout 2s`,
  );
  cmd.action(async (host: string, port: string, raw) =>
    runCommand(
      {
        command: 'connect',
        activity: 'connecting to each address',
        validate: () => {
          const opts = validateOptions(schema, { ...raw, host, port }, ['host', 'port']);
          if (opts.ipv4 && opts.ipv6) throw new UsageError('-4 and -6 exclude each other; give one or neither');
          return opts;
        },
        probe: async (opts) => {
          const [{ probeConnect }, { getOsBackend }, { resolveTarget }] = await Promise.all([
            import('../../probes/connect.js'),
            import('../../os/index.js'),
            import('../resolve-target.js'),
          ]);
          const t0 = performance.now();
          return probeConnect({
            host: opts.host,
            port: opts.port,
            count: opts.count ?? 1,
            intervalMs: opts.interval ?? 200,
            timeoutMs: opts.timeout ?? 5000,
            family: opts.ipv4 ? 'ipv4' : opts.ipv6 ? 'ipv6' : undefined,
            resolve: () => resolveTarget(opts.host),
            backend: getOsBackend,
            now: () => performance.now() - t0,
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          });
        },
        render: (s, r) => import('../../render/connect.js').then((m) => m.renderConnect(s, r)),
      },
      raw,
    ),
  );
}
