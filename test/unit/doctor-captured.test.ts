// doctor composed with the Windows backend over captured tool output (a
// Windows host cannot exist here). The netstat capture and the excluded-range
// capture come from different machines: the composition, not the host, is
// what is tested.
import { describe, expect, it } from 'vitest';
import { createBsdBackend } from '../../src/os/bsd/backend.js';
import { createWin32Backend } from '../../src/os/windows/backend.js';
import { CannotRunError } from '../../src/report/errors.js';
import { probeDoctor } from '../../src/probes/doctor.js';
import { fixture } from '../helpers/fixtures.js';

function windowsHost() {
  const calls: string[] = [];
  const backend = createWin32Backend(async (file, args) => {
    calls.push(file);
    if (file === 'netstat') return fixture('windows-netstat', 'en-ano-win7.txt');
    if (file === 'tasklist') return fixture('windows-tasklist', 'en-header-system-registry.txt');
    // reg.exe's layout, as Wine's reg.exe printed it (test/fixtures/windows-registry/SOURCES); AFD\Parameters and Tcpip6 absent (reg exits 1).
    if (file === 'reg') {
      if (args[1]!.endsWith('\\Tcpip\\Parameters')) return fixture('windows-registry', 'wine-8.0-reg-query-s.txt');
      throw new CannotRunError(`\`reg ${args.join(' ')}\` failed (exit 1): ERROR: The system was unable to find the specified registry key or value.`);
    }
    return args.includes('dynamicport') ? fixture('netsh-dynamicport', 'en-default-49152.txt') : fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
  });
  return { backend, calls };
}

describe('doctor on a Windows host (captured output)', () => {
  it('names listeners inside excluded ranges and inside the dynamic range; registry values judged, keepalive read from them, the backlog cap as documented', async () => {
    const { backend, calls } = windowsHost();
    const r = await probeDoctor({ captured: null, backend: () => backend, sleep: async () => {}, progress: () => {} });
    const byId = Object.fromEntries(r.data.checks.map((c) => [c.id, c]));
    const excluded = r.findings.find((f) => f.code === 'listener-in-excluded-range')!;
    // Owners' names come from tasklist: pid 4 is "System" there.
    expect(excluded.message).toMatch(/^4 listening ports 47001 \(System \(pid 4\)\), 49152 \(pid 364\), 49153 \(pid 780\), 49154 \(pid 848\) lie inside a port range excluded by a service/);
    const dynamic = r.findings.find((f) => f.code === 'listener-in-ephemeral-range')!;
    // RPC services listen on port 0 and land in the dynamic range: worth knowing, not a warning.
    expect(dynamic.severity).toBe('info');
    // pids 476 and 484, which tasklist does not name here, are on such hosts services.exe and lsass.exe: RPC
    // endpoints that move at boot and cannot be stopped, so no exclusion, and the finding says why (a user trial).
    expect(dynamic.remedy).toEqual([]);
    expect(dynamic.message).toMatch(/Of these, 49155, 49156 have listeners the capture does not name: in the dynamic range such a listener is often an RPC endpoint of a process of Windows itself, which moves at each boot and must not be ended, so no exclusion is given/);
    expect(dynamic.message).not.toMatch(/stop each server first/);
    expect(r.data.checks.map((c) => c.id)).toEqual(['port-ranges', 'listening-ports', 'accept-queues', 'ephemeral-use', 'socket-states', 'tcp-parameters', 'keepalive-defaults', 'listen-backlog-cap']);
    expect(byId['tcp-parameters']).toMatchObject({ status: 'problem' });
    expect(byId['tcp-parameters']!.lookedAt[0]).toMatch(/^11 values .* 7 of them documented TCP parameters: reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters \/s$/);
    // The keys reg could not read are said, not dropped.
    expect(byId['tcp-parameters']!.lookedAt.slice(1)).toEqual(['HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters not read: reg query exited 1 (the key does not exist, or cannot be read)', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\AFD\\Parameters not read: reg query exited 1 (the key does not exist, or cannot be read)']);
    expect(r.findings.filter((f) => f.code === 'tcpip-value-out-of-range').map((f) => f.message.split(' ')[0])).toEqual(['EnablePMTUDiscovery', 'TcpTimedWaitDelay']);
    // KeepAliveTime 0xffffffff ms: about 50 days before the first probe; the interval's documented default 1 s; 10 probes.
    expect(byId['keepalive-defaults']!.lookedAt[0]).toBe('idle 4294967.295 s, interval 1 s, 10 probes');
    expect(r.findings.find((f) => f.code === 'keepalive-defaults-slow')!.remedy[0]).toBe('reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" /v KeepAliveTime /t REG_DWORD /d 60000 /f');
    // reg add writes HKLM as reg delete does: both say they need an elevated prompt.
    expect(r.findings.find((f) => f.code === 'keepalive-defaults-slow')!.message).toMatch(/the fix writes the registry: run it in an elevated prompt$/);
    expect(byId['listen-backlog-cap']).toMatchObject({ status: 'not-judged', findings: [expect.objectContaining({ code: 'backlog-cap-undocumented', severity: 'info' })] });
    // netstat has no queue columns, and Windows no overflow counters: nothing of the check to look at (a user trial found it "ok").
    expect(byId['accept-queues']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(/^the socket table has no queue columns, so no accept queue of its \d+ listeners, and no overflow counters: this OS backend has no listen-overflow counters$/) });
    // One netstat and one tasklist for all the checks that read the table; the registry read once for two checks.
    expect(calls.filter((c) => c === 'netstat')).toHaveLength(1);
    expect(calls.filter((c) => c === 'tasklist')).toHaveLength(1);
    expect(calls.filter((c) => c === 'reg')).toHaveLength(3);
  });
});

describe('doctor on a host where checks cannot run (live: captured tool output)', () => {
  it('every check that could not run is in notJudged with its reason; the verdict is still what the checks that ran found (ok)', async () => {
    // Wine's netsh prints no port range and, here, reg reads no key: the range and registry checks cannot run.
    const backend = createWin32Backend(async (file, args) => {
      if (file === 'netstat') return fixture('windows-netstat', 'en-ano-win7.txt');
      if (file === 'tasklist') return fixture('windows-tasklist', 'en-header-system-registry.txt');
      if (file === 'reg') throw new CannotRunError(`\`reg ${args.join(' ')}\` failed (exit 1): ERROR: The system was unable to find the specified registry key or value.`);
      return '';
    });
    const r = await probeDoctor({ captured: null, backend: () => backend, sleep: async () => {}, progress: () => {} });
    const skipped = r.data.checks.filter((c) => c.status === 'could-not-run');
    expect(skipped.map((c) => c.id)).toEqual(['port-ranges', 'listening-ports', 'accept-queues', 'ephemeral-use', 'tcp-parameters', 'keepalive-defaults']);
    // And the backlog cap, which Windows gives nothing to read for (its check is "not-judged", not "ok").
    expect(r.notJudged).toEqual(['the listen backlog a Node server gets on Windows: Microsoft documents no setting that caps it and no way to read it', ...skipped.map((c) => `${c.title}: ${c.reason}`)]);
    expect(r.data.checks.find((c) => c.id === 'listen-backlog-cap')!.status).toBe('not-judged');
    expect(r.findings.every((f) => f.severity === 'info')).toBe(true);
    expect(r.verdict).toBe('ok');
  });
});

describe('doctor on a macOS host (captured output)', () => {
  function macHost(keepalive: string) {
    return createBsdBackend('darwin', async (file, args) => {
      if (file === 'netstat') return fixture('macos-netstat', 'macos-26-anv-process-pid.txt');
      if (args[0] === 'net.inet.ip.portrange') return fixture('sysctl-portrange', 'macos-sysctl-portrange-reverse-order.txt');
      if (args[0] === 'kern.ipc.somaxconn') return fixture('sysctl-values', 'macos-somaxconn-grep.txt');
      if (args[0] === 'net.inet.tcp.keepidle') return fixture('sysctl-values', keepalive);
      throw new Error(`unexpected ${file} ${args.join(' ')}`);
    });
  }

  it("macOS's somaxconn 128 cuts Node's default backlog: a warning with the sysctl that raises it; keepalive defaults in milliseconds", async () => {
    const r = await probeDoctor({ captured: null, backend: () => macHost('macos-keepalive-defaults.txt'), sleep: async () => {}, progress: () => {} });
    const byId = Object.fromEntries(r.data.checks.map((c) => [c.id, c]));
    expect(byId['listen-backlog-cap']).toMatchObject({ status: 'problem', lookedAt: ['somaxconn 128'] });
    expect(r.findings.find((f) => f.code === 'somaxconn-below-node-backlog')!.remedy).toEqual(['sudo sysctl -w kern.ipc.somaxconn=4096']);
    // 7200000 ms idle, 8 probes 75000 ms apart: 2 h 10 min.
    expect(byId['keepalive-defaults']!.lookedAt).toEqual(['idle 7200 s, interval 75 s, 8 probes']);
    const slow = r.findings.find((f) => f.code === 'keepalive-defaults-slow')!;
    expect(slow.message).toMatch(/is noticed after 2 h 10 min/);
    expect(slow.remedy).toEqual(['sudo sysctl -w net.inet.tcp.keepidle=60000 net.inet.tcp.keepintvl=10000 net.inet.tcp.keepcnt=6']);
  });

  it('a shortened keepidle (60 s, 8 x 75 s) is not reported', async () => {
    const r = await probeDoctor({ captured: null, backend: () => macHost('macos-keepalive-before-after.txt'), sleep: async () => {}, progress: () => {} });
    expect(r.data.checks.find((c) => c.id === 'keepalive-defaults')).toMatchObject({ status: 'ok', lookedAt: ['idle 60 s, interval 75 s, 8 probes'] });
  });
});
