// doctor composed with the Windows backend over captured tool output (a
// Windows host cannot exist here). The netstat capture and the excluded-range
// capture come from different machines: the composition, not the host, is
// what is tested.
import { describe, expect, it } from 'vitest';
import { createWin32Backend } from '../../src/os/win32.js';
import { probeDoctor } from '../../src/probes/doctor.js';
import { fixture } from '../helpers/fixtures.js';

function windowsHost() {
  const calls: string[] = [];
  const backend = createWin32Backend(async (file, args) => {
    calls.push(file);
    if (file === 'netstat') return fixture('windows-netstat', 'en-ano-win7.txt');
    if (file === 'tasklist') return fixture('windows-tasklist', 'en-header-system-registry.txt');
    return args.includes('dynamicport') ? fixture('netsh-dynamicport', 'en-default-49152.txt') : fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
  });
  return { backend, calls };
}

describe('doctor on a Windows host (captured output)', () => {
  it('names listeners inside excluded ranges and inside the dynamic range; the checks Windows lacks say why', async () => {
    const { backend, calls } = windowsHost();
    const r = await probeDoctor({ backend: () => backend, sleep: async () => {} });
    const byId = Object.fromEntries(r.data.checks.map((c) => [c.id, c]));
    const excluded = r.findings.find((f) => f.code === 'listener-in-excluded-range')!;
    // Owners' names come from tasklist: pid 4 is "System" there.
    expect(excluded.message).toMatch(/^4 listening ports 47001 \(System \(pid 4\)\), 49152 \(pid 364\), 49153 \(pid 780\), 49154 \(pid 848\) lie inside a port range excluded by a service/);
    const dynamic = r.findings.find((f) => f.code === 'listener-in-ephemeral-range')!;
    // RPC services listen on port 0 and land in the dynamic range: worth knowing, not a warning.
    expect(dynamic.severity).toBe('info');
    expect(dynamic.remedy[0]).toBe('netsh int ipv4 add excludedportrange protocol=tcp startport=49155 numberofports=1 store=persistent');
    expect(byId['keepalive-defaults']).toMatchObject({ status: 'could-not-run', reason: 'this OS backend does not read the keepalive defaults (Linux only so far)' });
    expect(byId['accept-queues']!.lookedAt[1]).toBe('no overflow counters: this OS backend has no listen-overflow counters');
    // One netstat and one tasklist for all the checks that read the table.
    expect(calls.filter((c) => c === 'netstat')).toHaveLength(1);
    expect(calls.filter((c) => c === 'tasklist')).toHaveLength(1);
  });
});
