// doctor's explainers on socket rows built here: thresholds and wording.
import { describe, expect, it } from 'vitest';
import { explainKeepaliveDefaults, explainSomaxconn } from '../../src/explain/host-settings.js';
import { explainListenerPorts } from '../../src/explain/listener-ports.js';
import { CLOSE_WAIT_PILEUP, explainCloseWait, explainTimeWait } from '../../src/explain/pileups.js';
import { explainSynSent, SYN_SENT_PILEUP } from '../../src/explain/syn-sent-pileups.js';
import { emptyPortRanges, type PortRanges } from '../../src/os/port-ranges.js';
import type { SocketRow } from '../../src/os/sockets.js';
import type { TcpState } from '../../src/os/tcp-states.js';

let nextPort = 40000;
function row(state: TcpState, remote: string, pid: number | null = null, localPort = nextPort++): SocketRow {
  const [address, port] = [remote.slice(0, remote.lastIndexOf(':')), Number(remote.slice(remote.lastIndexOf(':') + 1))];
  return { protocol: 'tcp', family: 'ipv4', local: { address: '10.0.0.1', port: localPort }, remote: { address, port }, state, pid, process: pid === null ? null : 'app', owner: pid === null ? 'hidden' : 'found' };
}
const times = (n: number, f: () => SocketRow) => Array.from({ length: n }, f);

function linuxRanges(reserved: Array<[number, number]> = []): PortRanges {
  const r = emptyPortRanges('linux');
  r.ephemeral.push({ protocol: null, family: null, start: 32768, end: 60999, count: 28232, allocator: 'default', source: 'test' });
  for (const [start, end] of reserved) r.reserved.push({ protocol: null, family: null, start, end, administered: true, blocksBind: false, source: 'test' });
  // As from /proc or a sysctl paste that holds the list (a remedy then names it whole).
  r.reservedListRead = true;
  return r;
}

describe('pile-ups', () => {
  it('SYN_SENT: from the threshold on, per destination, IPv4-mapped peers counted as IPv4', () => {
    const rows = [...times(SYN_SENT_PILEUP - 1, () => row('SYN_SENT', '10.0.0.9:389')), row('SYN_SENT', '::ffff:10.0.0.9:389'), ...times(2, () => row('SYN_SENT', '10.0.0.8:80'))];
    const f = explainSynSent(rows).findings;
    expect(f.map((x) => x.message.split(' (')[0])).toEqual([`10.0.0.9:389: ${SYN_SENT_PILEUP} connection attempts wait for an answer`]);
    expect(f[0]!.remedy).toEqual(['tcpdiag connect 10.0.0.9 389']);
    expect(explainSynSent(rows.slice(1))).toEqual({ findings: [], notJudged: [] });
  });

  it('CLOSE_WAIT: per process; without visible owners no program is blamed (info), and the remedy asks for root', () => {
    const mine = times(CLOSE_WAIT_PILEUP, () => row('CLOSE_WAIT', '10.0.0.7:5432', 77));
    const hidden = times(CLOSE_WAIT_PILEUP, () => row('CLOSE_WAIT', '10.0.0.7:6379'));
    const f = explainCloseWait([...mine, ...hidden, row('CLOSE_WAIT', '10.0.0.7:5432', 78)], new Set(), 'linux', false);
    expect(f[0]!.message).toMatch(/^app \(pid 77\) holds 10 connections in CLOSE_WAIT \(peers: 10\.0\.0\.7:5432 \(10\)\): /);
    expect(f.map((x) => x.severity)).toEqual(['warning', 'info']);
    expect(f[1]!.message).toMatch(/^10 connections in CLOSE_WAIT whose owning processes could not be seen \(peers: 10\.0\.0\.7:6379 \(10\)\)/);
    expect(f.map((x) => x.remedy[0])).toEqual(['tcpdiag sockets --state CLOSE_WAIT --pid 77', 'sudo tcpdiag sockets --state CLOSE_WAIT --group-by process']);
    expect(explainCloseWait(mine.slice(1), new Set(), 'linux', false)).toEqual([]);
  });

  it('CLOSE_WAIT without owners in a capture: the capture that names them, for the OS that printed it (a user trial got `sudo tcpdiag` for a Windows paste)', () => {
    const hidden = times(CLOSE_WAIT_PILEUP, () => row('CLOSE_WAIT', '10.0.0.7:6379'));
    const win = explainCloseWait(hidden, new Set(), 'win32', true)[0]!;
    expect(win.remedy).toEqual(['netstat -ano']);
    expect(win.message).toMatch(/; a capture that names owners shows which \(fix\)$/);
    expect(explainCloseWait(hidden, new Set(), 'linux', true)[0]!.remedy).toEqual(['sudo ss -tanp state close-wait']);
    // This host's Windows: no sudo there.
    expect(explainCloseWait(hidden, new Set(), 'win32', false)[0]!.remedy).toEqual(['tcpdiag sockets --state CLOSE_WAIT --group-by process']);
  });

  it('TIME_WAIT: client side only (accepted sockets share a listening port), against the range size', () => {
    const client = times(20, () => row('TIME_WAIT', '10.0.0.5:443'));
    const server = times(50, () => row('TIME_WAIT', '10.0.0.6:51000', null, 8080));
    expect(explainTimeWait([...client, ...server], new Set([8080]), 100, 'linux').map((x) => x.message.split(':443 ')[0])).toEqual(['20 closed connections to 10.0.0.5']);
    expect(explainTimeWait(client, new Set(), 101, 'linux')).toEqual([]);
    expect(explainTimeWait(client, new Set(), null, 'linux')).toEqual([]);
    // Each OS's TIME_WAIT and its error at exhaustion (a user trial: "60 s on Linux" and EADDRNOTAVAIL for a Windows paste).
    expect(explainTimeWait(client, new Set(), 100, 'linux')[0]!.message).toMatch(/\(60 s on Linux\); at 100% connect\(\) fails with EADDRNOTAVAIL$/);
    expect(explainTimeWait(client, new Set(), 100, 'win32')[0]!.message).toMatch(/\(120 or 240 s by default on Windows, as Microsoft's pages disagree; TcpTimedWaitDelay sets it\); at 100% connect\(\) fails with WSAENOBUFS \(10055\)$/);
  });
});

describe('listening ports', () => {
  const listener = (port: number, pid: number | null = 9) => ({ ...row('LISTEN', '0.0.0.0:0', pid, port), process: pid === null ? null : 'node' });

  it('a common server port in the range is a warning; other ports are info; reserved ports are fine', () => {
    const ranges = linuxRanges([[40000, 40000]]);
    ranges.ephemeral[0] = { ...ranges.ephemeral[0]!, start: 1024 }; // moved down over 3000
    expect(explainListenerPorts([listener(3000), listener(40000), listener(22)], ranges)).toMatchObject([
      { code: 'listener-in-ephemeral-range', severity: 'warning', remedy: ['sudo sysctl -w net.ipv4.ip_local_reserved_ports=40000,3000', expect.any(String)] },
    ]);
    const [f] = explainListenerPorts([listener(43611), { ...listener(43611), family: 'ipv6' as const }, listener(50000, null)], linuxRanges());
    expect(f).toMatchObject({ severity: 'info', message: expect.stringMatching(/^2 listening ports 43611 \(node \(pid 9\)\), 50000 lie inside the ephemeral range 32768-60999: /) });
  });
});

describe('host settings', () => {
  it('keepalive defaults: the stock Linux values take 2 h 11 min; an hour or less is not reported', () => {
    const [f] = explainKeepaliveDefaults('linux', { idleS: 7200, intervalS: 75, count: 9 });
    expect(f!.message).toMatch(/is noticed after 2 h 11 min/);
    expect(f!.remedy[0]).toBe('sudo sysctl -w net.ipv4.tcp_keepalive_time=60 net.ipv4.tcp_keepalive_intvl=10 net.ipv4.tcp_keepalive_probes=6');
    expect(explainKeepaliveDefaults('linux', { idleS: 3000, intervalS: 60, count: 10 })).toEqual([]);
  });

  it('somaxconn: below 511 is a warning with the OS\'s command; macOS gets its sysctl', () => {
    expect(explainSomaxconn('linux', 511)).toEqual([]);
    expect(explainSomaxconn('darwin', 128)[0]!.remedy).toEqual(['sudo sysctl -w kern.ipc.somaxconn=4096']);
  });
});
