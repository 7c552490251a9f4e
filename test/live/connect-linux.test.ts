// `tcpdiag connect` on loopback and in namespaces: a listener, a refused
// port, localhost resolving to ::1 first while the server listens on
// 127.0.0.1 only, and a port whose SYNs are dropped.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { bundleWithout } from '../helpers/bundle-without.js';
import { createNetns, nft, setNetnsHosts, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { renderConnect } from '../../src/render/connect.js';

const LISTEN_THEN = join(__dirname, '..', 'helpers', 'scripts', 'listen-then.cjs');

describe('connect on loopback', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((c) => c.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('connects, and repeats give min/median/p95/max', () => {
    const r = runCli(['connect', '127.0.0.1', String(port), '--count', '3', '--interval', '10ms', '--json']);
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d.dnsMs).toBeNull(); // an address: no lookup
    expect(d.attempts).toHaveLength(3);
    expect(d.attempts.every((a: { outcome: string; family: string }) => a.outcome === 'connected' && a.family === 'ipv4')).toBe(true);
    expect(d.perAddress[0]).toMatchObject({ address: '127.0.0.1', connected: 3, failed: 0, connectMs: { count: 3 } });
    const t = d.perAddress[0].connectMs;
    expect(t.min <= t.median && t.median <= t.p95 && t.p95 <= t.max).toBe(true);
  });

  it('explains a refused port and exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const r = runCli(['connect', '127.0.0.1', String(free), '--json']);
    expect(r.code).toBe(1);
    expect(r.json().data.attempts[0]).toMatchObject({ outcome: 'refused', errorCode: 'ECONNREFUSED' });
    expect(r.json().findings[0]).toMatchObject({ code: 'connect-refused', severity: 'error' });
    expect(r.json().findings[0].message).toMatch(/nothing listens on that address and port/);
  });

  it('-6 on an IPv4-only target says it has no IPv6 address (exit 1)', () => {
    const r = runCli(['connect', '127.0.0.1', String(port), '-6', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().findings).toEqual([expect.objectContaining({ code: 'no-address-for-family', message: '127.0.0.1 has no IPv6 address (it resolves to 127.0.0.1)' })]);
  });

  it('a name that does not resolve is a finding (exit 1)', () => {
    const r = runCli(['connect', 'no-such-host.invalid', '80', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().findings[0]).toMatchObject({ code: 'host-not-resolved', severity: 'error' });
    expect(r.json().data.attempts).toEqual([]);
  });
});

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('connect in namespaces (skip reason printed above)', () => {
  it('localhost gives ::1 first, the server listens on 127.0.0.1 only: ::1 refused, 127.0.0.1 works, the classic explained', () => {
    const ns = createNetns();
    setNetnsHosts(ns, '::1 localhost\n127.0.0.1 localhost\n');
    const { code, stdout } = nodeInNetns(ns, LISTEN_THEN, { args: ['127.0.0.1', '7400', BIN, 'connect', 'localhost', '7400', '--json'] });
    expect(code).toBe(1);
    const rep = JSON.parse(stdout);
    expect(rep.data.resolved).toEqual([{ address: '::1', family: 'ipv6' }, { address: '127.0.0.1', family: 'ipv4' }]);
    expect(rep.data.attempts.map((a: { address: string; outcome: string }) => `${a.address} ${a.outcome}`)).toEqual(['::1 refused', '127.0.0.1 connected']);
    expect(rep.findings.map((f: { code: string }) => f.code)).toEqual(['connect-refused', 'first-address-fails']);
    expect(rep.findings[1].message).toMatch(/fail with ECONNREFUSED on \[::1\]:7400/);
    expect(rep.findings[1].remedy).toEqual(['node --dns-result-order=ipv4first your-client.js']);
    // What a person gets from this run fits 80 columns (rendered from its report: no second run).
    expect(linesWiderThan(humanOutput(renderConnect, rep))).toEqual([]);
  });

  it('a port whose SYNs are dropped times out at the deadline, which the kernel enforces (TCP_USER_TIMEOUT)', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const r = runCli(['connect', '127.0.0.1', '15000', '--timeout', '1500ms', '--json'], { netns: ns });
    expect(r.code).toBe(1);
    const [a] = r.json().data.attempts;
    expect(a).toMatchObject({ outcome: 'timeout', errorCode: 'ETIMEDOUT', deadlineBy: 'TCP_USER_TIMEOUT' });
    // Not cut short: the kernel ended it at the deadline, not before.
    expect(a.durationMs).toBeGreaterThanOrEqual(1400);
    expect(r.json().findings[0]).toMatchObject({ code: 'connect-timeout' });
  });

  it('without koffi the timer alone ends the attempt, on time', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const noKoffi = bundleWithout('koffi');
    try {
      const r = runCli(['connect', '127.0.0.1', '15000', '--timeout', '800ms', '--json'], { netns: ns, bin: noKoffi.bin });
      const [a] = r.json().data.attempts;
      expect(a).toMatchObject({ outcome: 'timeout', errorCode: null, deadlineBy: 'timer' });
      expect(a.durationMs).toBeGreaterThanOrEqual(790);
    } finally {
      noKoffi.remove();
    }
  });
});
