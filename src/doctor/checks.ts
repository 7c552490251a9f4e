// doctor's checks, in the order a user reads them. Each returns what it looked
// at (so "no findings" reads as "looked and found nothing") and its findings;
// one that cannot run here throws CannotRunError with the reason.

import { explainKeepaliveDefaults, explainSomaxconn } from '../explain/host-settings.js';
import { explainListenerPorts } from '../explain/listener-ports.js';
import { explainCloseWait, explainTimeWait } from '../explain/pileups.js';
import { explainSynSent } from '../explain/syn-sent-pileups.js';
import { explainPortRanges } from '../explain/port-ranges.js';
import { explainAcceptQueues, explainEphemeralUsage, explainListenCounters } from '../explain/sockets.js';
import { formatRange, plural } from '../text/words.js';
import { isAssumedRange } from '../os/remedies.js';
import type { PortRanges } from '../os/port-ranges.js';
import { CannotRunError } from '../report/errors.js';
import type { Finding } from '../report/types.js';
import { countStates } from '../sockets/group.js';
import type { OsBackend } from '../os/backend.js';
import type { HostFacts } from './host-facts.js';
import { runWindowsBacklogCheck, TCPIP_PARAMETERS_CHECK } from './windows-checks.js';

export interface Check {
  id: string;
  title: string;
  /** Only for some OSes (the registry check is Windows-only); absent: every OS. */
  appliesTo?(backend: OsBackend): boolean;
  /**
   * `notJudged`: what the check looked at but could not decide, in sentences
   * (the envelope's notJudged); `judged: false` when it decided nothing at all
   * (its status is then "not-judged", never "ok").
   */
  run(facts: HostFacts): Promise<{ lookedAt: string[]; findings: Finding[]; notJudged?: string[]; judged?: false }>;
}

/** Whether doctor --from had no ephemeral range to read and took the OS's default. */
function assumed(ranges: PortRanges): boolean {
  return ranges.ephemeral.length > 0 && ranges.ephemeral.every(isAssumedRange);
}

export const CHECKS: readonly Check[] = [
  {
    id: 'port-ranges',
    title: 'ephemeral, reserved and excluded port ranges',
    async run(facts) {
      const ranges = await facts.ranges();
      // Captured output without any range (doctor --from): nothing to check here;
      // the other checks go on with the OS's default range and say so. A live
      // run whose tools printed no range says which tools those were.
      if (ranges.ephemeral.every(isAssumedRange) && ranges.reserved.length === 0 && ranges.privileged === null) {
        if (!facts.backend.captured) throw new CannotRunError(ranges.notes.length ? ranges.notes.join('; ') : `no port range could be read from ${ranges.readFrom.join(', ') || 'this host'}`);
        throw new CannotRunError('the captured files hold no port ranges (add netsh int ipv4 show dynamicport tcp / excludedportrange, or sysctl net.inet.ip.portrange / net.ipv4.ip_local_port_range output)');
      }
      return { lookedAt: ranges.readFrom, findings: explainPortRanges(ranges) };
    },
  },
  {
    id: 'listening-ports',
    title: 'listening ports against the ephemeral and excluded ranges',
    async run(facts) {
      const [{ table, ownerNotes }, ranges] = await Promise.all([facts.ownedTable(), facts.ranges()]);
      // No range read at all (a live Windows whose netsh printed none): nothing to hold the listeners against.
      if (ranges.ephemeral.length === 0 && ranges.reserved.length === 0) throw new CannotRunError(`the port ranges are unknown${ranges.notes.length ? `: ${ranges.notes.join('; ')}` : ''}`);
      const listeners = table.rows.filter((r) => r.state === 'LISTEN');
      const ports = new Set(listeners.map((r) => r.local.port)).size;
      const findings = explainListenerPorts(listeners, ranges);
      return { lookedAt: [`${plural(ports, 'listening port')}${assumed(ranges) ? ", against the OS's default ephemeral range (assumed: the files hold none)" : ''}`, ...(findings.length ? ownerNotes : [])], findings };
    },
  },
  {
    id: 'accept-queues',
    title: 'accept queues and listen overflows',
    async run(facts) {
      // The owned table: a full queue's finding names the server that does not accept.
      const { table } = await facts.ownedTable();
      const listeners = table.rows.filter((r) => r.state === 'LISTEN');
      // A table without queue columns (Windows netstat and IP Helper, lsof, sockstat) shows no accept queue: not an empty one.
      const queued = listeners.filter((r) => r.acceptQueue !== undefined);
      const lookedAt = queued.length > 0 || listeners.length === 0 ? [`the accept queues of ${plural(queued.length, 'listener')}`] : [];
      const findings = explainAcceptQueues(queued);
      try {
        const { before, after, windowMs } = await facts.counterSample();
        const delta = { windowMs, listenOverflows: after.listenOverflows - before.listenOverflows, listenDrops: after.listenDrops - before.listenDrops };
        lookedAt.push(`${after.source} over ${windowMs / 1000} s: ${plural(delta.listenDrops, 'dropped connection attempt')} (${after.listenDrops} since boot)`);
        findings.unshift(...explainListenCounters(after, delta.listenDrops > 0 ? delta : null));
      } catch (err) {
        if (!(err instanceof CannotRunError)) throw err;
        // Neither a queue nor a counter: nothing of this check could be looked at.
        if (lookedAt.length === 0) throw new CannotRunError(`the socket table has no queue columns, so no accept queue of its ${plural(listeners.length, 'listener')}, and no overflow counters: ${err.message}`);
        lookedAt.push(`no overflow counters: ${err.message}`);
      }
      if (queued.length < listeners.length) lookedAt.push(`${plural(listeners.length - queued.length, 'listener')} without an accept queue in the table (the tool that printed it has no queue columns)`);
      return { lookedAt, findings };
    },
  },
  {
    id: 'ephemeral-use',
    title: 'ephemeral ports used per destination',
    async run(facts) {
      const [usage, ranges] = await Promise.all([facts.ephemeralUsage(), facts.ranges()]);
      if (!usage.range) throw new CannotRunError('the ephemeral range could not be read');
      const busiest = usage.destinations[0];
      return {
        lookedAt: [
          `${plural(usage.clientSockets, 'client socket')} against the ephemeral range ${formatRange(usage.range)}${assumed(ranges) ? " (the OS's default, assumed: the files hold none)" : ''}` +
            (busiest ? `; the busiest destination uses ${busiest.usedPercent}%` : ''),
        ],
        findings: explainEphemeralUsage(usage, facts.backend.os),
      };
    },
  },
  {
    id: 'socket-states',
    title: 'sockets piling up in SYN_SENT, CLOSE_WAIT or TIME_WAIT',
    async run(facts) {
      const [{ table, ownerNotes }, listening, usage] = await Promise.all([facts.ownedTable(), facts.listeningPorts(), facts.ephemeralUsage()]);
      const states = countStates(table.rows);
      const counts = (['SYN_SENT', 'CLOSE_WAIT', 'TIME_WAIT'] as const).map((s) => `${states[s] ?? 0} ${s}`).join(', ');
      const synSent = explainSynSent(table.rows);
      const findings = [...synSent.findings, ...explainCloseWait(table.rows, listening, facts.backend.os, facts.backend.captured === true), ...explainTimeWait(table.rows, listening, usage.range?.count ?? null, facts.backend.os)];
      // Owners matter only to name a pile-up's process; their notes only then.
      return { lookedAt: [`${plural(table.rows.length, 'socket')} from ${table.readFrom.join(', ')}: ${counts}`, ...(findings.length ? ownerNotes : [])], findings, notJudged: synSent.notJudged };
    },
  },
  TCPIP_PARAMETERS_CHECK,
  {
    id: 'keepalive-defaults',
    title: 'system keepalive defaults',
    async run(facts) {
      const read = facts.backend.readKeepaliveDefaults?.bind(facts.backend);
      if (!read) throw new CannotRunError('this OS backend does not read the keepalive defaults (Linux, macOS, FreeBSD and Windows do)');
      const v = await read();
      if (!v) throw new CannotRunError('the keepalive defaults could not be read');
      return {
        lookedAt: [`idle ${v.idleS} s, interval ${v.intervalS} s, ${plural(v.count, 'probe')}`, ...(v.from ?? [])],
        findings: explainKeepaliveDefaults(facts.backend.os, v),
      };
    },
  },
  {
    id: 'listen-backlog-cap',
    title: "the kernel's cap on listen backlogs (somaxconn)",
    async run(facts) {
      if (facts.backend.os === 'win32') return runWindowsBacklogCheck(facts);
      const read = facts.backend.readBacklogSettings?.bind(facts.backend);
      if (!read) throw new CannotRunError('this OS backend does not read a listen backlog cap (Linux, macOS and FreeBSD do)');
      const somaxconn = (await read()).somaxconn;
      if (somaxconn === undefined) throw new CannotRunError('somaxconn could not be read');
      return { lookedAt: [`somaxconn ${somaxconn}`], findings: explainSomaxconn(facts.backend.os, somaxconn) };
    },
  },
];
