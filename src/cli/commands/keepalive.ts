import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions } from '../common-flags.js';
import { countSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, validateOptions } from '../validate.js';

// Whole seconds: Linux keeps keepalive times in seconds, and an interval
// under 1 s silently applies only SO_KEEPALIVE (OS-FACTS.md). Count: Linux max 127.
const schema = z.object({
  ...commonOptions,
  idle: z.optional(countSchema(1, 32767, 'an idle time in whole seconds')),
  interval: z.optional(countSchema(1, 32767, 'an interval in whole seconds')),
  count: z.optional(countSchema(1, 127, 'a probe count')),
  pendingData: z.optional(z.boolean()),
  userTimeout: z.optional(countSchema(1, 3600, 'a user timeout in whole seconds')),
  maxWait: z.optional(countSchema(1, 900, 'a wait in whole seconds')),
});

export function registerKeepalive(program: Command): void {
  const group = program.command('keepalive').summary('set, verify and measure TCP keepalive against a dead peer');
  const selftest = group
    .command('selftest')
    .summary('prove the settings detect a dead peer on this host and Node (Linux, root)')
    .description(
      'Builds a private network namespace, makes a loopback connection with the given keepalive settings, ' +
        'reads back what the kernel holds, silences the peer with nftables and measures how long until the ' +
        'connection is declared dead, against idle + interval x count. --pending-data leaves data unacknowledged: ' +
        'keepalive does not run then, and what does (retransmissions, or --user-timeout) is measured instead.',
    )
    .option('--idle <s>', 'seconds of silence before the first probe (default 1)')
    .option('--interval <s>', 'seconds between probes (default 1)')
    .option('--count <n>', 'unanswered probes before the connection is dead (default 3, Linux at most 127)')
    .option('--pending-data', 'write data the dead peer never acknowledges')
    .option('--user-timeout <s>', 'TCP_USER_TIMEOUT: give up on unacknowledged data after this long')
    .option('--max-wait <s>', 'stop watching after this long (default: twice the expected time plus 5 s, or 60 s)');
  addCommonOptions(selftest).addHelpText(
    'after',
    `
Exit codes: 0 detected as expected (within 10% + 1 s), 1 not, 3 not Linux or not root.

Examples:
  sudo tcpdiag keepalive selftest --idle 1 --interval 1 --count 3
  sudo tcpdiag keepalive selftest --pending-data --user-timeout 5`,
  );
  selftest.action(async (raw) =>
    runCommand(
      {
        command: 'keepalive selftest',
        validate: () => validateOptions(schema, raw),
        probe: async (opts) => {
          const [{ probeKeepaliveSelftest }, { getOsBackend }] = await Promise.all([import('../../probes/keepalive-selftest.js'), import('../../os/index.js')]);
          return probeKeepaliveSelftest({
            idleS: opts.idle ?? 1,
            intervalS: opts.interval ?? 1,
            count: opts.count ?? 3,
            pendingData: opts.pendingData ?? false,
            userTimeoutMs: opts.userTimeout !== undefined ? opts.userTimeout * 1000 : null,
            maxWaitMs: opts.maxWait !== undefined ? opts.maxWait * 1000 : null,
            backend: getOsBackend,
            bin: process.argv[1]!,
            isRoot: process.getuid?.() === 0,
            progress: (m) => process.stderr.write(`tcpdiag keepalive: ${m}\n`),
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
