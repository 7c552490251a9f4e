// SYN_SENT pile-ups attributed to their endpoint (issue #20) on tables built
// here: a remote endpoint, a local one judged by its listener's accept queue,
// and attempts elsewhere that resent their SYN meanwhile (connect-race). The
// namespace tests in test/live/doctor-linux.test.ts build the same for real.
import { describe, expect, it } from 'vitest';
import { explainSynSent, SYN_SENT_PILEUP } from '../../src/explain/syn-sent-pileups.js';
import type { SocketRow } from '../../src/os/sockets.js';
import type { TcpState } from '../../src/os/tcp-states.js';

let nextPort = 40000;
function row(state: TcpState, local: string, remote: string, extra: Partial<SocketRow> = {}): SocketRow {
  const split = (e: string) => ({ address: e.slice(0, e.lastIndexOf(':')), port: Number(e.slice(e.lastIndexOf(':') + 1)) });
  const l = split(local);
  return { protocol: 'tcp', family: l.address.includes(':') ? 'ipv6' : 'ipv4', local: { ...l, port: l.port || nextPort++ }, remote: split(remote), state, pid: 7, process: 'app', owner: 'found', ...extra };
}
const pile = (remote: string, extra: Partial<SocketRow> = {}) => Array.from({ length: SYN_SENT_PILEUP }, () => row('SYN_SENT', '10.0.0.1:0', remote, extra));
const listener = (local: string, queue: { length: number; max: number | null } | undefined, pid = 9) => row('LISTEN', local, '0.0.0.0:0', { pid, process: 'node', acceptQueue: queue });

describe('a SYN_SENT pile-up', () => {
  it('toward another host: that endpoint does not answer', () => {
    const { findings, notJudged } = explainSynSent(pile('10.0.0.9:389', { retransmits: 3 }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^10\.0\.0\.9:389: 5 connection attempts from app \(pid 7\) wait for an answer \(SYN_SENT\)\. The endpoint does not answer: it is down or unreachable/);
    expect(findings[0]!.remedy).toEqual(['tcpdiag connect 10.0.0.9 389']);
    expect(notJudged).toEqual([]);
  });

  it('toward a local listener with an empty accept queue: not blamed on it', () => {
    const rows = [...pile('127.0.0.1:6000'), listener('0.0.0.0:6000', { length: 0, max: 511 })];
    const [f] = explainSynSent(rows).findings;
    expect(f!.message).toMatch(/Its listener, node \(pid 9\) on 0\.0\.0\.0:6000, has room in its accept queue \(0 waiting, limit 511\), so a full queue is not the cause: something on this host drops these SYNs before they reach it \(a firewall rule\)/);
    expect(f!.message).not.toMatch(/queue is full/);
  });

  it('toward a local listener whose queue is full: that server is named', () => {
    const rows = [...pile('127.0.0.1:7003'), listener('127.0.0.1:7003', { length: 2, max: 1 }, 77)];
    const [f] = explainSynSent(rows).findings;
    expect(f!.message).toMatch(/The accept queue of node \(pid 77\) on 127\.0\.0\.1:7003 is full \(2 waiting, limit 1\), and a full queue drops SYNs silently/);
    expect(f!.remedy).toEqual(['tcpdiag sockets --listen --sample 5s']);
  });

  it('toward this host\'s own address with nothing listening: a rule drops them (a closed port would reset)', () => {
    const rows = [...pile('10.0.0.1:8443'), listener('10.0.0.1:22', { length: 0, max: 128 })];
    expect(explainSynSent(rows).findings[0]!.message).toMatch(/^10\.0\.0\.1:8443: .*\. Nothing listens there on this host, and a SYN to a closed port here is answered with a reset at once/);
  });

  it('toward a local listener whose queue the table does not show: not judged, and said so', () => {
    const { findings, notJudged } = explainSynSent([...pile('127.0.0.1:6000'), listener('0.0.0.0:6000', undefined)]);
    expect(findings[0]!.message).toMatch(/Its listener, node \(pid 9\) on 0\.0\.0\.0:6000, has no accept queue in the table, so whether a full queue drops the SYNs was not judged/);
    expect(notJudged).toEqual(['whether the accept queue of node (pid 9) on 0.0.0.0:6000 is full (and so the cause of the SYN_SENT pile-up toward 127.0.0.1:6000): the table does not show it']);
  });
});

describe('slow connects elsewhere at the same time', () => {
  it('attempts to another endpoint that resent their SYN point to connect-race, with that endpoint as the control', () => {
    const rows = [...pile('10.0.0.9:389', { retransmits: 4 }), row('SYN_SENT', '10.0.0.1:0', '10.0.0.5:389', { retransmits: 1 }), row('SYN_SENT', '10.0.0.1:0', '10.0.0.6:443', { retransmits: 0 })];
    const [f] = explainSynSent(rows).findings;
    expect(f!.message).toMatch(/Meanwhile 1 attempt to another endpoint \(10\.0\.0\.5:389\) has had to resend its SYN as well: if it answers when tried alone, the pending attempts to 10\.0\.0\.9:389 may be holding up every new connection of this host/);
    expect(f!.remedy).toEqual(['tcpdiag connect 10.0.0.9 389', 'tcpdiag connect-race 10.0.0.9 389 --control 10.0.0.5:389']);
  });

  it('several of them: said in the plural, the busiest as the control', () => {
    const slow = (remote: string) => row('SYN_SENT', '10.0.0.1:0', remote, { retransmits: 2 });
    const rows = [...pile('10.0.0.9:389', { retransmits: 4 }), slow('10.0.0.6:443'), slow('10.0.0.5:389'), slow('10.0.0.5:389')];
    const [f] = explainSynSent(rows).findings;
    expect(f!.message).toMatch(/Meanwhile 3 attempts to other endpoints \(10\.0\.0\.5:389, 10\.0\.0\.6:443\) have had to resend their SYN as well: if those answer when tried alone, .* with one of them as the control\.$/);
    expect(f!.remedy[1]).toBe('tcpdiag connect-race 10.0.0.9 389 --control 10.0.0.5:389');
  });

  it('attempts elsewhere that have not resent yet are no evidence', () => {
    const rows = [...pile('10.0.0.9:389', { retransmits: 4 }), row('SYN_SENT', '10.0.0.1:0', '10.0.0.5:389', { retransmits: 0 })];
    expect(explainSynSent(rows).findings[0]!.message).not.toMatch(/connect-race|Meanwhile/);
  });

  it('a table without retransmit counts (netstat) leaves it unjudged', () => {
    const rows = [...pile('10.0.0.9:389'), row('SYN_SENT', '10.0.0.1:0', '10.0.0.5:389'), row('SYN_SENT', '10.0.0.1:0', '10.0.0.6:443')];
    const { findings, notJudged } = explainSynSent(rows);
    expect(findings[0]!.message).not.toMatch(/Meanwhile/);
    expect(notJudged).toEqual(['whether connects to other endpoints were slow while attempts piled up (which would point to connect-race): the socket table has no retransmit counts for the 2 other SYN_SENT sockets']);
  });
});
