import { Option, type Command } from 'commander';
import * as z from 'zod/mini';
import { UsageError } from '../../report/errors.js';
import { GROUP_KEYS } from '../../sockets/group.js';
import { TCP_STATES } from '../../os/tcp-states.js';
import { addCommonOptions, addFormatOption, collect, withChoices } from '../common-flags.js';
import { addFromOptions, checkFromLimits, fromOptions, readLimitsOf } from '../from-flags.js';
import { countSchema, durationSchema, enumSchema, pidSchema, portSchema, statesSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, OUTPUT_FORMATS, resolveFormat, validateOptions } from '../validate.js';

/** Rows a person sees without --limit; JSON has them all. */
const HUMAN_ROWS = 40;

const schema = z.object({
  ...commonOptions,
  format: z.optional(enumSchema(OUTPUT_FORMATS)),
  ...fromOptions,
  port: z.optional(portSchema),
  localPort: z.optional(portSchema),
  remotePort: z.optional(portSchema),
  state: z.optional(statesSchema),
  pid: z.optional(pidSchema),
  listen: z.optional(z.boolean()),
  groupBy: z.optional(enumSchema(GROUP_KEYS)),
  owners: z.optional(z.boolean()),
  sample: z.optional(durationSchema(100, 60_000)),
  limit: z.optional(countSchema(0, 10_000_000, 'a row count (0: all)')),
});

export function registerSockets(program: Command): void {
  const cmd = program
    .command('sockets')
    .summary('the TCP socket table: 4-tuples, states, owners, accept queues, ephemeral use per destination')
    .description(
      'Every TCP socket with its 4-tuple, state and owning process; listeners with their accept queue; the kernel ' +
        'listen-overflow counters (Linux); and how much of the ephemeral range each destination uses.',
    )
    .option('--port <port>', 'sockets with this port at either end')
    .option('--local-port <port>', 'sockets with this local port')
    .option('--remote-port <port>', 'sockets with this remote port')
    .addOption(
      withChoices(new Option('--state <states>', 'only these states, comma-separated or repeated; native spellings (estab, LISTENING) work too'), TCP_STATES)
        .argParser(collect),
    )
    .option('--pid <pid>', 'sockets of this process')
    .option('--listen', 'listening sockets only, with their accept queues')
    .addOption(withChoices(new Option('--group-by <key>', 'count sockets per key'), GROUP_KEYS))
    .option('--no-owners', 'skip looking up owning processes (faster on a busy host; not with --from)')
    .option('--sample <duration>', 'watch the listen-overflow counters for this long (e.g. 500ms, 2s; a bare number is seconds; at most 1m; not with --from)')
    .option('--limit <n>', `at most n rows (human output shows ${HUMAN_ROWS} by default, --json all; 0: all)`);
  addFromOptions(cmd, 'analyse captured ss/netstat/lsof/sockstat/procfs output instead of this host (repeatable; - reads stdin)', ['table']);
  addCommonOptions(addFormatOption(cmd)).addHelpText(
    'after',
    `
Exit codes: 0 nothing wrong seen, 1 a warning (a full accept queue, listen
overflows, a SYN_SENT or CLOSE_WAIT pile-up, ...), 4 (--from only) the input
lacks what the answer needs (see "Not judged").

Examples:
  tcpdiag sockets --listen                listeners and their accept queues
  tcpdiag sockets --port 5432 --group-by state
  tcpdiag sockets --state SYN_SENT --group-by remote
  tcpdiag sockets --listen --sample 2s    is an accept queue overflowing now?
  tcpdiag sockets --from netstat-ano.txt  a customer's Windows netstat output
  tcpdiag sockets --format prometheus     states, ephemeral headroom, overflows
                                          as metrics`,
  );
  cmd.action(async (raw) =>
    runCommand(
      {
        command: 'sockets',
        activity: 'reading the socket table',
        validate: () => {
          const opts = checkFromLimits(resolveFormat(validateOptions(schema, { ...raw, state: raw.state?.length ? raw.state : undefined })));
          if (opts.owners === false && opts.pid !== undefined) throw new UsageError('--pid needs owners: drop --no-owners');
          // Filters that leave nothing to show are a mistake in the question, not an empty answer.
          if (opts.listen && opts.state && !opts.state.includes('LISTEN')) throw new UsageError(`--listen shows listening sockets only, which --state ${opts.state.join(',')} leaves out: drop one of them`);
          // What only a live host has is refused with --from, not passed over: the answer would not be what was asked.
          if (opts.from && opts.sample !== undefined) throw new UsageError('--sample needs a live host: counters cannot be sampled from captured output (--from)');
          if (opts.from && opts.owners === false) throw new UsageError('--no-owners needs a live host: it skips looking owners up there; captured output (--from) shows the owners it holds');
          return opts;
        },
        probe: async (opts, progress) => {
          const [{ probeSockets }, { readCapturedInput }, { getOsBackend }] = await Promise.all([
            import('../../probes/sockets.js'),
            import('../../input/parse-captured.js'),
            import('../../os/index.js'),
          ]);
          return probeSockets({
            filter: { port: opts.port, localPort: opts.localPort, remotePort: opts.remotePort, states: opts.state, pid: opts.pid, listen: opts.listen },
            groupBy: opts.groupBy,
            owners: opts.owners !== false,
            sampleMs: opts.sample,
            limit: opts.limit ?? (opts.json || opts.format === 'prometheus' ? 0 : HUMAN_ROWS),
            captured: await readCapturedInput(opts.from, readLimitsOf(opts)),
            backend: getOsBackend,
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
            progress,
          });
        },
        render: (s, r) => import('../../render/sockets.js').then((m) => m.renderSockets(s, r)),
        metrics: (r) => import('../../render/prometheus.js').then((m) => m.renderSocketsMetrics(r)),
      },
      raw,
    ),
  );
}
