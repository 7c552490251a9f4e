// `ports` live on Linux: the values come from the kernel. In a
// private network namespace the test sets them itself, so the expected
// numbers are ours, not a second read of the same file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';

const onLinux = process.platform === 'linux';

describe.skipIf(!onLinux)('ports on this Linux host (skip reason: not Linux)', () => {
  it('reports the range in /proc/sys/net/ipv4/ip_local_port_range', () => {
    const [start, end] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const r = runCli(['ports', '--json']);
    expect(r.stderr).toBe('');
    const rep = r.json();
    expect(rep.data.ephemeral).toEqual([{ protocol: null, family: null, start, end, count: end! - start! + 1, source: '/proc/sys/net/ipv4/ip_local_port_range', allocator: 'default' }]);
    expect(rep.data.readFrom).toContain('/proc/sys/net/ipv4/ip_local_reserved_ports');
    expect(rep.platform.os).toBe('linux');
  });
});

describe.skipIf(!onLinux || skipWithoutNetns())('ports in a namespace with settings the test chose (skip reason printed above)', () => {
  it('reads a narrowed range, reserved ports and the privileged limit, and warns', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_port_range', '40000 40100');
    setSysctl(ns, 'net/ipv4/ip_local_reserved_ports', '3000,40050-40060');
    setSysctl(ns, 'net/ipv4/ip_unprivileged_port_start', '2000');
    const r = runCli(['ports', '--json'], { netns: ns });
    expect(r.code).toBe(1);
    const d = r.json().data;
    expect(d.ephemeral.map((e: { start: number; end: number; count: number }) => [e.start, e.end, e.count])).toEqual([[40000, 40100, 101]]);
    expect(d.reserved.map((x: { start: number; end: number; blocksBind: boolean }) => [x.start, x.end, x.blocksBind])).toEqual([[3000, 3000, false], [40050, 40060, false]]);
    expect(d.privileged).toEqual({ below: 2000, source: '/proc/sys/net/ipv4/ip_unprivileged_port_start' });
    expect(r.json().findings.map((f: { code: string }) => f.code)).toEqual(['ephemeral-range-small', 'reserved-ports', 'privileged-ports']);
  });
});
