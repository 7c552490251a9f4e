import type { Command } from 'commander';
import * as z from 'zod/mini';
import { addCommonOptions, addFormatOption } from '../common-flags.js';
import { addFromOptions, checkFromLimits, fromOptions, readLimitsOf } from '../from-flags.js';
import { enumSchema } from '../option-schemas.js';
import { runCommand } from '../run-command.js';
import { commonOptions, OUTPUT_FORMATS, resolveFormat, validateOptions } from '../validate.js';

const schema = z.object({ ...commonOptions, format: z.optional(enumSchema(OUTPUT_FORMATS)), ...fromOptions });

export function registerDoctor(program: Command): void {
  const cmd = program
    .command('doctor')
    .summary("every host check at once: what is wrong with this host's TCP setup, and how to fix it")
    .description(
      'Runs every host-level check (no load, no remote hosts) and lists findings by severity, each with ' +
        'a remedy. Each check says what it looked at, so no findings means "looked and found nothing".',
    );
  addFromOptions(cmd, "check a customer's captured netstat/ss, netsh/sysctl and sysctl settings output, or Windows reg query output / .reg exports, instead of this host (repeatable; - reads stdin)", ['table', 'ranges', 'registry']);
  addCommonOptions(addFormatOption(cmd)).addHelpText(
    'after',
    `
Checks: port ranges (ephemeral, excluded, reserved, privileged); listening
ports inside the ephemeral or an excluded range; accept queues and listen
overflows (sampled 0.5 s); ephemeral ports used per destination; SYN_SENT
pile-ups told by their endpoint (a local listener's full queue, a firewall
rule, a host that does not answer; connect-race when connects elsewhere wait
too); CLOSE_WAIT and TIME_WAIT pile-ups with their owners; keepalive
defaults; somaxconn against Node's default backlog (511); on Windows, the
TCP/IP registry values against Microsoft's documentation.

Exit codes: 0 no warning or error in any check, 1 at least one, 3 no check
could run here; with --from, 4 when nothing is wrong in what was read but
checks were left out (see "Not judged").

Examples:
  tcpdiag doctor
  tcpdiag doctor --json | jq '.findings[] | select(.severity != "info")'
  tcpdiag doctor --from netstat-ano.txt --from excluded.txt   a Windows ticket
  tcpdiag doctor --from tcpip.reg   a regedit export of Tcpip\\Parameters
  tcpdiag doctor --format prometheus > tcpdiag.prom
                       metrics for node_exporter's textfile collector (written
                       also on exit 1; docs/commands/doctor.md has a cron line)`,
  );
  cmd.action(async (raw) =>
    runCommand(
      {
        command: 'doctor',
        activity: 'running the host checks',
        validate: () => checkFromLimits(resolveFormat(validateOptions(schema, raw))),
        probe: async (opts, progress) => {
          const [{ probeDoctor }, { getOsBackend }, { readCapturedInput }] = await Promise.all([
            import('../../probes/doctor.js'),
            import('../../os/index.js'),
            import('../../input/parse-captured.js'),
          ]);
          return probeDoctor({ captured: await readCapturedInput(opts.from, readLimitsOf(opts)), backend: getOsBackend, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), progress });
        },
        render: (s, r) => import('../../render/doctor.js').then((m) => m.renderDoctor(s, r)),
        metrics: (r) => import('../../render/prometheus.js').then((m) => m.renderDoctorMetrics(r)),
      },
      raw,
    ),
  );
}
