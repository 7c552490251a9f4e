// --format prometheus (doctor, sockets) on real tables, checked by promtool.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { createNetns, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { promtoolProblems, skipWithoutPromtool } from '../helpers/promtool.js';
import { renderSocketsMetrics } from '../../src/render/prometheus.js';
import { makeReport } from '../../src/report/envelope.js';

const SCRIPTS = join(__dirname, '..', 'helpers', 'scripts');
const skip = process.platform !== 'linux' || skipWithoutNetns() || skipWithoutPromtool();

describe.skipIf(skip)('Prometheus metrics (skip reason printed above, or not Linux)', () => {
  it('doctor: a check per status, findings by code, the socket states; exit 1 still writes the metrics', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, join(SCRIPTS, 'doctor-scenario-then.cjs'), { args: ['close-wait', '12', CLI, 'doctor', '--format', 'prometheus'] });
    expect(code).toBe(1);
    expect(promtoolProblems(stdout)).toBe('');
    expect(stdout).toContain('tcpdiag_doctor_check{check="socket-states",status="problem"} 1\n');
    expect(stdout).toContain('tcpdiag_doctor_check{check="socket-states",status="ok"} 0\n');
    expect(stdout).toContain('tcpdiag_doctor_finding{code="close-wait-pileup",severity="warning"} 1\n');
    expect(stdout).toContain('tcpdiag_doctor_findings{severity="warning"} 1\n');
    expect(stdout).toContain('tcpdiag_sockets{state="CLOSE_WAIT"} 12\n');
    // The 12 clients (FIN_WAIT_2 now) hold ephemeral ports toward the server.
    expect(stdout).toContain('tcpdiag_ephemeral_destination_sockets{remote="127.0.0.1:5000"} 12\n');
    expect(stdout).toContain('tcpdiag_ephemeral_headroom_ports 28220\n');
  });

  // --no-owners: the whole table stays compact (kernel records read through one reused view).
  it.each([[[]], [['--no-owners']]])('sockets %j: a held accept queue with its length and limit, and the overflow counters', (more: string[]) => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, join(SCRIPTS, 'full-queue-then.cjs'), { args: [CLI, 'sockets', '--format', 'prometheus', ...more] });
    expect(code).toBe(1); // accept-queue-full: the exit code is the same in every format
    expect(promtoolProblems(stdout)).toBe('');
    expect(stdout).toContain('tcpdiag_accept_queue_length{local="127.0.0.1:7002"} 2\n');
    expect(stdout).toContain('tcpdiag_accept_queue_limit{local="127.0.0.1:7002"} 1\n');
    expect(stdout).toMatch(/^tcpdiag_listen_overflows_total [1-9]\d*$/m);
    expect(stdout).toMatch(/^tcpdiag_sockets\{state="LISTEN"\} 1$/m);
  });

  it('label values are escaped: an IPv6 zone id may hold a quote or a backslash', () => {
    const report = makeReport('sockets', new Date(), {
      summary: '',
      findings: [],
      data: {
        rows: [{ protocol: 'tcp', family: 'ipv6', local: { address: 'fe80::1%"eth\\0', port: 80 }, remote: { address: '::', port: 0 }, state: 'LISTEN', pid: null, process: null, owner: 'not-collected', acceptQueue: { length: 3, max: null } }],
        matched: 1, total: 1, filters: {}, states: { LISTEN: 1 }, owners: { collected: false, found: 0, hidden: 0, none: 0, notCollected: 1 },
        listenCounters: { sinceBoot: null, sample: null }, ephemeralUsage: { range: null, clientSockets: 0, destinations: [] }, readFrom: ['test'], notes: [],
      },
    });
    const text = renderSocketsMetrics(report as Parameters<typeof renderSocketsMetrics>[0]);
    expect(text).toContain('tcpdiag_accept_queue_length{local="[fe80::1%\\"eth\\\\0]:80"} 3\n');
    expect(promtoolProblems(text)).toBe('');
  });

  it('sockets --from a customer\'s Windows netstat: metrics of a host that cannot exist here', () => {
    const r = runCli(['sockets', '--from', join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt'), '--format', 'prometheus']);
    expect(promtoolProblems(r.stdout)).toBe('');
    expect(r.stdout).toMatch(/^tcpdiag_sockets\{state="LISTEN"\} [1-9]\d*$/m);
    // Captured tables assume the OS's default range (49152-65535 on Windows).
    expect(r.stdout).toContain('tcpdiag_ephemeral_range_ports 16384\n');
  });

  it('promtool itself rejects a broken text (the check can fail)', () => {
    expect(promtoolProblems('tcpdiag_sockets{state="LISTEN} 1\n')).not.toBe('');
  });

  it('two samples of one series are a problem (Prometheus rejects the scrape; promtool alone passes them)', () => {
    expect(promtoolProblems('# HELP tcpdiag_x x\n# TYPE tcpdiag_x gauge\ntcpdiag_x{l="1"} 1\ntcpdiag_x{l="1"} 2\n')).toBe('duplicate series: tcpdiag_x{l="1"}');
  });
});
