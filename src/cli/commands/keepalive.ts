import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions } from '../common-flags.js';
import { countSchema, portSchema, wholeSecondsSchema } from '../option-schemas.js';
import { parseHostPort } from '../host-port.js';
import { runCommand } from '../run-command.js';
import { selfCommand } from '../../sea/self-command.js';
import { commonOptions, validateOptions } from '../validate.js';

// Whole seconds: Linux keeps keepalive times in seconds, and an interval
// under 1 s silently applies only SO_KEEPALIVE (OS-FACTS.md); units are
// accepted ("30s", "2m"), a bare number is seconds. Count: Linux max 127.
const schema = z.object({
  ...commonOptions,
  idle: z.optional(wholeSecondsSchema(1, 32767, 'an idle time')),
  interval: z.optional(wholeSecondsSchema(1, 32767, 'an interval')),
  count: z.optional(countSchema(1, 127, 'a probe count')),
  pendingData: z.optional(z.boolean()),
  userTimeout: z.optional(wholeSecondsSchema(1, 3600, 'a user timeout')),
  maxWait: z.optional(wholeSecondsSchema(1, 900, 'a wait')),
});

/** --idle/--interval/--count, shared by the keepalive subcommands. */
function keepaliveFlags(cmd: Command): Command {
  return cmd
    .option('--idle <duration>', 'silence before the first probe, whole seconds (default 1s; a bare number is seconds)')
    .option('--interval <duration>', 'time between probes, whole seconds (default 1s)')
    .option('--count <n>', 'unanswered probes before the connection is dead (default 3, Linux at most 127)');
}

export function registerKeepalive(program: Command): void {
  const group = program.command('keepalive').summary('set, verify and measure TCP keepalive against a dead peer');
  registerKeepaliveConnect(group);
  registerKeepaliveListen(group);
  const selftest = group
    .command('selftest')
    .summary('prove the settings detect a dead peer on this host and Node (Linux, root)')
    .description(
      'Builds a private network namespace, makes a loopback connection with the given keepalive settings, ' +
        'reads back what the kernel holds, silences the peer with nftables and measures how long until the ' +
        'connection is declared dead, against idle + interval x count. --pending-data leaves data unacknowledged: ' +
        'keepalive does not run then, and what does (retransmissions, or --user-timeout) is measured instead.',
    )
    .option('--pending-data', 'write data the dead peer never acknowledges')
    .option('--user-timeout <duration>', 'TCP_USER_TIMEOUT: give up on unacknowledged data after this long (whole seconds)')
    .option('--max-wait <duration>', 'stop watching after this long (default: twice the expected time plus 5s, or 60s; at most 15m)');
  addCommonOptions(keepaliveFlags(selftest)).addHelpText(
    'after',
    `
Exit codes: 0 detected as expected (within 10% + 1 s), 1 not, 3 not Linux or
not root.

Examples:
  sudo tcpdiag keepalive selftest --idle 1 --interval 1 --count 3
  sudo tcpdiag keepalive selftest --pending-data --user-timeout 5s`,
  );
  selftest.action(async (raw) =>
    runCommand(
      {
        command: 'keepalive selftest',
        validate: () => validateOptions(schema, raw),
        probe: async (opts, progress) => {
          const [{ probeKeepaliveSelftest }, { getOsBackend }] = await Promise.all([import('../../probes/keepalive-selftest.js'), import('../../os/index.js')]);
          return probeKeepaliveSelftest({
            idleS: opts.idle ?? 1,
            intervalS: opts.interval ?? 1,
            count: opts.count ?? 3,
            pendingData: opts.pendingData ?? false,
            userTimeoutMs: opts.userTimeout !== undefined ? opts.userTimeout * 1000 : null,
            maxWaitMs: opts.maxWait !== undefined ? opts.maxWait * 1000 : null,
            backend: getOsBackend,
            self: selfCommand(),
            isRoot: process.getuid?.() === 0,
            progress,
          });
        },
        render: (s, r) => import('../../render/keepalive.js').then((m) => m.renderKeepalive(s, r)),
      },
      raw,
    ),
  );
  // The half of the selftest that runs inside the namespace (not for users).
  group
    .command('__inner', { hidden: true })
    .argument('<args...>')
    .action(async (args: string[]) => {
      const [idle, interval, count, pending, userTimeout, maxWait] = args;
      const [{ runKeepaliveInner }, { getOsBackend }] = await Promise.all([import('../../keepalive/inner.js'), import('../../os/index.js')]);
      await runKeepaliveInner(
        { idleS: Number(idle), intervalS: Number(interval), count: Number(count), pendingData: pending === '1', userTimeoutMs: userTimeout ? Number(userTimeout) : null, maxWaitMs: Number(maxWait) },
        getOsBackend(),
      );
    });
}

const connectSchema = z.object({
  ...commonOptions,
  host: z.string().check(z.minLength(1, { error: 'expected a host name or address' })),
  port: portSchema,
  idle: schema.shape.idle,
  interval: schema.shape.interval,
  count: schema.shape.count,
  probe: z.optional(z.string()),
  maxWait: schema.shape.maxWait,
});

function registerKeepaliveConnect(group: Command): void {
  const cmd = group
    .command('connect')
    .argument('<host>', 'the peer')
    .argument('<port>', 'its port (number or service name)')
    .summary('one real connection with these settings: read back, kept idle, and how and when it ends')
    .description(
      'Connects, applies the keepalive settings, reads back what the kernel holds, keeps the connection idle and ' +
        'reports how it ends (keepalive timeout, reset, closed by the peer) against idle + interval x count. A ' +
        'liveness probe connects to the same endpoint (or --probe) every second, so the report says when the peer ' +
        'became unreachable and how long the connection took to notice.',
    )
    .option('--probe <host:port>', 'the liveness probe\'s endpoint (default: the peer itself)')
    .option('--max-wait <duration>', 'stop watching after this long (default: twice the expected time plus 10s; at most 15m)');
  addCommonOptions(keepaliveFlags(cmd)).addHelpText(
    'after',
    `
Exit codes: 0 detected when expected (within 10% + 1 s); 1 detected late
or not at all; 4 the peer stayed reachable or closed the connection, so
there was nothing to detect.

Examples:
  tcpdiag keepalive connect db.internal 5432 --idle 10s --interval 5s --count 3`,
  );
  cmd.action(async (host: string, port: string, raw) =>
    runCommand(
      {
        command: 'keepalive connect',
        validate: () => {
          const opts = validateOptions(connectSchema, { ...raw, host, port }, ['host', 'port']);
          const probe = opts.probe === undefined ? { host: opts.host, port: opts.port } : parseHostPort(opts.probe, '--probe');
          return { ...opts, probeHost: probe.host, probePort: probe.port };
        },
        probe: async (opts, progress) => {
          const [{ probeKeepaliveConnect }, { getOsBackend }, { resolveFirst: first }] = await Promise.all([
            import('../../probes/keepalive-connect.js'),
            import('../../os/index.js'),
            import('../resolve-target.js'),
          ]);
          const idleS = opts.idle ?? 1;
          const intervalS = opts.interval ?? 1;
          const count = opts.count ?? 3;
          const t0 = performance.now();
          return probeKeepaliveConnect({
            idleS,
            intervalS,
            count,
            target: { address: await first(opts.host, '<host>'), port: opts.port },
            probe: { address: await first(opts.probeHost, '--probe'), port: opts.probePort },
            maxWaitMs: opts.maxWait !== undefined ? opts.maxWait * 1000 : Math.min(900_000, 2 * (idleS + intervalS * count) * 1000 + 10_000),
            backend: getOsBackend,
            now: () => performance.now() - t0,
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
            progress,
          });
        },
        render: (s, r) => import('../../render/keepalive.js').then((m) => m.renderKeepalive(s, r)),
      },
      raw,
    ),
  );
}

const listenSchema = z.object({
  ...commonOptions,
  port: portSchema,
  idle: schema.shape.idle,
  interval: schema.shape.interval,
  count: schema.shape.count,
  clients: z.optional(countSchema(1, 1000, 'a client count')),
  maxWait: z.optional(wholeSecondsSchema(1, 86_400, 'a wait')),
});

function registerKeepaliveListen(group: Command): void {
  const cmd = group
    .command('listen')
    .argument('<port>', 'the port to listen on, all addresses (number or service name)')
    .summary('the server side: keepalive on accepted connections, each client\'s death reported')
    .description(
      'Listens, applies the keepalive settings to every accepted connection (read back), and reports how each ' +
        'client\'s connection ends (keepalive timeout, reset, closed by the peer) against idle + interval x count. ' +
        'Stops after --clients connections have ended, or at --max-wait.',
    )
    .option('--clients <n>', 'stop after this many connections have ended (default 1)')
    .option('--max-wait <duration>', 'stop after this long (default 10m, at most 24h)');
  addCommonOptions(keepaliveFlags(cmd)).addHelpText(
    'after',
    `
Exit codes: 0 a client declared dead in time, no warning; 1 a warning: a
client declared dead late, settings the OS did not confirm, or accepted
sockets without the listener's keepalive settings; 4 keepalive declared no
client dead (each closed or stayed open, or none came): nothing was tested.

Examples:
  tcpdiag keepalive listen 9000 --idle 5s --interval 2s --count 3 --clients 2`,
  );
  cmd.action(async (port: string, raw) =>
    runCommand(
      {
        command: 'keepalive listen',
        validate: () => validateOptions(listenSchema, { ...raw, port }, ['port']),
        probe: async (opts, progress) => {
          const [{ probeKeepaliveListen }, { getOsBackend }] = await Promise.all([
            import('../../probes/keepalive-listen.js'),
            import('../../os/index.js'),
          ]);
          const t0 = performance.now();
          return probeKeepaliveListen({
            port: opts.port,
            idleS: opts.idle ?? 1,
            intervalS: opts.interval ?? 1,
            count: opts.count ?? 3,
            clients: opts.clients ?? 1,
            maxWaitMs: (opts.maxWait ?? 600) * 1000,
            backend: getOsBackend,
            now: () => performance.now() - t0,
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
            progress,
          });
        },
        render: (s, r) => import('../../render/keepalive-listen.js').then((m) => m.renderKeepaliveListen(s, r)),
      },
      raw,
    ),
  );
}
