// Prometheus text exposition format (version 0.0.4), as node_exporter's
// textfile collector reads it: `tcpdiag doctor --format prometheus >
// /var/lib/node_exporter/textfile/tcpdiag.prom.$$ && mv ...`. Every state is
// written, zeros included, so series do not appear and vanish between runs.

import type { DoctorData } from '../probes/doctor.js';
import type { SocketsData } from '../probes/sockets.js';
import { TCP_STATES } from '../os/tcp-states.js';
import type { Report, Severity } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { acceptQueuesOf, type SocketSummary } from '../sockets/summary.js';

type Labels = Record<string, string>;
type Sample = [Labels, number];

function metric(name: string, type: 'gauge' | 'counter', help: string, samples: readonly Sample[]): string {
  if (samples.length === 0) return '';
  const lines = samples.map(([labels, value]) => `${name}${formatLabels(labels)} ${Number.isFinite(value) ? value : 'NaN'}`);
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${lines.join('\n')}\n`;
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function socketMetrics(s: SocketSummary): string {
  const u = s.ephemeralUsage;
  const busiest = u.destinations[0];
  return [
    metric('tcpdiag_sockets', 'gauge', 'TCP sockets by state.', TCP_STATES.map((state) => [{ state }, s.states[state] ?? 0])),
    metric('tcpdiag_ephemeral_range_ports', 'gauge', 'Ports in the ephemeral (dynamic) range.', u.range ? [[{}, u.range.count]] : []),
    metric('tcpdiag_ephemeral_client_sockets', 'gauge', 'Client sockets holding a port of the ephemeral range.', u.range ? [[{}, u.clientSockets]] : []),
    metric(
      'tcpdiag_ephemeral_headroom_ports',
      'gauge',
      'Ports of the ephemeral range still free toward the busiest destination (connect fails with EADDRNOTAVAIL at 0).',
      u.range ? [[{}, busiest ? busiest.headroom : u.range.count]] : [],
    ),
    metric(
      'tcpdiag_ephemeral_destination_sockets',
      'gauge',
      'Client sockets per destination (the busiest ten).',
      u.destinations.map((d) => [{ remote: formatEndpoint(d.remote) }, d.count]),
    ),
    metric('tcpdiag_listen_overflows_total', 'counter', 'Connections dropped because an accept queue was full, since boot (Linux TcpExtListenOverflows).', s.listenCounters ? [[{}, s.listenCounters.listenOverflows]] : []),
    metric('tcpdiag_listen_drops_total', 'counter', 'Connection attempts listeners dropped, since boot (Linux TcpExtListenDrops).', s.listenCounters ? [[{}, s.listenCounters.listenDrops]] : []),
    metric('tcpdiag_accept_queue_length', 'gauge', 'Connections waiting in a listener\'s accept queue.', s.acceptQueues.map((q) => [{ local: formatEndpoint(q.local) }, q.length])),
    metric(
      'tcpdiag_accept_queue_limit',
      'gauge',
      'The accept queue limit of a listener (its effective backlog), where the OS shows it.',
      s.acceptQueues.filter((q) => q.max !== null).map((q) => [{ local: formatEndpoint(q.local) }, q.max!]),
    ),
  ].join('');
}

function runMetrics(r: Report<unknown>): string {
  return metric('tcpdiag_run_duration_seconds', 'gauge', 'How long the tcpdiag run took.', [[{ command: r.command }, r.durationMs / 1000]]);
}

export function renderSocketsMetrics(r: Report<SocketsData>): string {
  const d = r.data;
  const summary: SocketSummary = { total: d.matched, states: d.states, ephemeralUsage: d.ephemeralUsage, listenCounters: d.listenCounters.sinceBoot, acceptQueues: acceptQueuesOf(d.rows) };
  return socketMetrics(summary) + runMetrics(r);
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const STATUSES = ['ok', 'problem', 'not-judged', 'could-not-run'] as const;

export function renderDoctorMetrics(r: Report<DoctorData>): string {
  const { checks, sockets } = r.data;
  const codes = new Map<string, { severity: Severity; count: number }>();
  for (const f of r.findings) {
    const c = codes.get(f.code);
    if (c) c.count++;
    else codes.set(f.code, { severity: f.severity, count: 1 });
  }
  return [
    metric('tcpdiag_doctor_check', 'gauge', 'Status of each doctor check: 1 for its current status, 0 for the others.', checks.flatMap((c) => STATUSES.map((status): Sample => [{ check: c.id, status }, c.status === status ? 1 : 0]))),
    metric('tcpdiag_doctor_findings', 'gauge', 'Findings by severity.', SEVERITIES.map((severity) => [{ severity }, r.findings.filter((f) => f.severity === severity).length])),
    metric('tcpdiag_doctor_finding', 'gauge', 'Findings by code (stable codes, listed in docs/json.md).', [...codes].map(([code, c]) => [{ code, severity: c.severity }, c.count])),
    sockets ? socketMetrics(sockets) : '',
    runMetrics(r),
  ].join('');
}
