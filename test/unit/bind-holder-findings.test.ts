// How bind words a holder whose owner the capture lacks, and a pid-4 holder
// of a kernel service's port (the CLI cases: test/e2e/bind-from-trial-verdicts.test.ts).
import { describe, expect, it } from 'vitest';
import { explainHolders, type HolderFindingFacts } from '../../src/explain/bind-holder-findings.js';
import type { Holder } from '../../src/explain/bind-holders.js';

function holder(over: Partial<Holder>): Holder {
  return {
    protocol: 'tcp',
    family: 'ipv4',
    local: { address: '0.0.0.0', port: 445 },
    remote: { address: '0.0.0.0', port: 0 },
    state: 'LISTEN',
    pid: null,
    process: null,
    owner: 'not-collected',
    role: 'listener',
    owners: [],
    timeWaitRemainingMs: null,
    blocks: 'yes',
    because: 'the rule',
    dependsOn: [],
    ...over,
  };
}

const facts = (holders: Holder[], over: Partial<HolderFindingFacts> = {}): HolderFindingFacts => ({ port: 445, os: 'win32', holders, reserveFirst: [], canClose: null, live: false, ...over });

describe('a holder whose table has no PID column', () => {
  it('a client socket: "a client socket uses", with the capture that names its owner', () => {
    const h = holder({ role: 'client', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 40000 }, remote: { address: '10.0.0.9', port: 5432 }, blocks: 'depends', dependsOn: ['x'] });
    const [f] = explainHolders(facts([h], { port: 40000, os: 'linux' })).findings;
    expect(f!.message).toMatch(/^a client socket uses 10\.0\.0\.5:40000 as its source, connected to 10\.0\.0\.9:5432 \(ESTABLISHED; its owner is not in the capture: the socket table has no PID column, which `sudo ss -tanp` adds\): /);
  });

  it('a listener with accepted connections: both in one parenthesis', () => {
    const accepted = holder({ role: 'accepted', state: 'ESTABLISHED', remote: { address: '10.0.0.9', port: 50000 } });
    const [f] = explainHolders(facts([holder({}), accepted], { port: 445, os: 'freebsd' })).findings;
    expect(f!.message).toMatch(/^a listener on 0\.0\.0\.0:445 \(with 1 accepted connection; its owner is not in the capture: the socket table has no PID column, which `sockstat -46 -P tcp` adds\): it keeps/);
  });

  it('"no process" stays for a socket nobody owns, and live rows are not called a capture', () => {
    expect(explainHolders(facts([holder({ owner: 'none', role: 'other', state: 'CLOSE_WAIT', remote: { address: '10.0.0.9', port: 1 } })])).findings[0]!.message).toMatch(/^no process holds a socket on/);
    expect(explainHolders(facts([holder({})], { live: true })).findings[0]!.message).toMatch(/^a listener on 0\.0\.0\.0:445 \(its owner was not looked up\)/);
  });
});

describe('pid 4 on a kernel service\'s port', () => {
  const system = { pid: 4, owner: 'found' as const, owners: [{ pid: 4, process: 'System' }] };

  it('a listener that does not block: no word about giving up the port', () => {
    const h = holder({ ...system, local: { address: '10.2.1.1', port: 139 }, blocks: 'no' });
    const [f] = explainHolders(facts([h], { port: 139 })).findings;
    expect(f!.message).not.toMatch(/NetBIOS|another port/);
    expect(f!.remedy).toEqual([]);
  });

  it('only on Windows: pid 4 on a Linux capture is an ordinary process', () => {
    const [f] = explainHolders(facts([holder(system)], { os: 'linux' })).findings;
    expect(f!.message).not.toMatch(/SMB/);
    expect(f!.remedy).toEqual(['ps -o pid,user,etime,args -p 4', 'kill 4']);
  });
});

describe('an OS service of Linux or macOS on its own port', () => {
  const resolved = { pid: 546, owner: 'found' as const, owners: [{ pid: 546, process: 'systemd-resolve' }], local: { address: '127.0.0.53', port: 53 } };

  it('systemd-resolved on 53: the stub listener setting instead of kill', () => {
    const [f] = explainHolders(facts([holder(resolved)], { port: 53, os: 'linux' })).findings;
    expect(f!.message).toMatch(/DNS stub listener holds port 53/);
    expect(f!.remedy).not.toContain('kill 546');
    expect(f!.remedy).toContain('sudo systemctl restart systemd-resolved');
  });

  it('the same process on another port, or a listener that does not block, is not the service', () => {
    expect(explainHolders(facts([holder({ ...resolved, local: { address: '0.0.0.0', port: 5355 } })], { port: 5355, os: 'linux' })).findings[0]!.remedy).toContain('kill 546');
    const [f] = explainHolders(facts([holder({ ...resolved, blocks: 'no' })], { port: 53, os: 'linux' })).findings;
    expect(f!.message).not.toMatch(/stub listener/);
  });
});

describe('fixes that are one way, not two (a user trial: a fix block pasted whole closed the socket and then ended its process)', () => {
  const owned = { pid: 812, owner: 'found' as const, owners: [{ pid: 812, process: 'java' }] };

  it('a client socket Linux can close: the block closes it; ending the process is said as the fallback, not in the block', () => {
    const h = holder({ ...owned, role: 'client', state: 'ESTABLISHED', local: { address: '127.0.0.1', port: 40000 }, remote: { address: '127.0.0.1', port: 5000 } });
    const [f] = explainHolders(facts([h], { port: 40000, os: 'linux', canClose: true, live: true })).findings;
    expect(f!.remedy).toEqual(['sudo ss -K -t -4 state established src 127.0.0.1:40000 dst 127.0.0.1:5000']);
    expect(f!.message).toMatch(/; the fix closes just that socket and leaves java \(pid 812\) running; only if it cannot be closed, end the process instead \(`ps -o pid,user,etime,args -p 812`, then `kill 812`\)$/);
    // Where it cannot be closed, the block ends the process (shown first).
    const [g] = explainHolders(facts([h], { port: 40000, os: 'linux', canClose: false, live: true })).findings;
    expect(g!.remedy).toEqual(['ps -o pid,user,etime,args -p 812', 'kill 812']);
    expect(g!.message).not.toMatch(/closes just that socket/);
  });

  it('a TIME_WAIT Linux can close: the block closes it, without a sleep before; without ss -K, the wait is the fix', () => {
    const tw = holder({ role: 'time-wait', state: 'TIME_WAIT', local: { address: '127.0.0.1', port: 40000 }, remote: { address: '127.0.0.1', port: 5000 }, timeWaitRemainingMs: 42_000 });
    const [f] = explainHolders(facts([tw], { port: 40000, os: 'linux', canClose: true, live: true })).findings;
    expect(f!.remedy).toEqual(['sudo ss -K -t -4 state time-wait src 127.0.0.1:40000 dst 127.0.0.1:5000']);
    expect(f!.message).toMatch(/Wait: it is gone in 42 s, or close it now/);
    const [g] = explainHolders(facts([tw], { port: 40000, os: 'linux', canClose: false, live: true })).findings;
    expect(g!.remedy).toEqual(['sleep 42']);
  });

  it('a socket bound but neither listening nor connected is named so, with what the tools a user checks next show', () => {
    const h = holder({ ...owned, role: 'other', state: 'CLOSED', local: { address: '0.0.0.0', port: 8011 } });
    const [f] = explainHolders(facts([h], { port: 8011, os: 'linux', live: true })).findings;
    expect(f!.message).toMatch(/^java \(pid 812\) holds a socket on 0\.0\.0\.0:8011 \(CLOSED: bound, neither listening nor connected: `ss -tan` and netstat do not list such a socket \(a newer ss lists it with `--bound-inactive`\)\)/);
  });
});

describe('Windows processes that are not to be ended (a user trial: taskkill for lsass.exe, wininit.exe)', () => {
  const rpc = (over: Partial<Holder>) => holder({ local: { address: '0.0.0.0', port: 49156 }, pid: 484, owner: 'found', owners: [{ pid: 484, process: null }], ...over });

  it('a listener in the dynamic range whose name is not known: looked at first, never a bare taskkill, and the RPC endpoint said', () => {
    const [f] = explainHolders(facts([rpc({})], { port: 49156, ephemeral: { start: 49152, end: 65535 } })).findings;
    expect(f!.remedy).toEqual(['tasklist /v /FI "PID eq 484"']);
    expect(f!.message).toMatch(/often an RPC endpoint of a process of Windows itself \(wininit\.exe, lsass\.exe, services\.exe, a svchost\.exe service\), which must not be ended and which gets a new port at each boot: look at pid 484 first \(the fix\), and end it \(taskkill \/PID 484\) only if it is a program of yours/);
  });

  it('the same pid named lsass.exe (netstat -b, a live run): no line ends it, another port is the advice', () => {
    const [f] = explainHolders(facts([rpc({ process: 'lsass.exe', owners: [{ pid: 484, process: 'lsass.exe' }] })], { port: 49156 })).findings;
    expect(f!.remedy).toEqual([]);
    expect(f!.message).toMatch(/lsass\.exe is a process of Windows itself: ending it makes Windows stop with a bug check \(CRITICAL_PROCESS_DIED\) or restart; its port in the dynamic range \(49152-65535\) is an RPC endpoint .* Do not end it: give your server a port outside the dynamic range/);
  });

  it('a program of the user in the dynamic range, named: shown, then ended, as before', () => {
    const [f] = explainHolders(facts([rpc({ process: 'node.exe', owners: [{ pid: 484, process: 'node.exe' }] })], { port: 49156 })).findings;
    expect(f!.remedy).toEqual(['tasklist /v /FI "PID eq 484"', 'taskkill /PID 484']);
  });

  it('a listener outside the dynamic range keeps its look-then-end fix', () => {
    const [f] = explainHolders(facts([rpc({ local: { address: '0.0.0.0', port: 3000 } })], { port: 3000 })).findings;
    expect(f!.remedy).toEqual(['tasklist /v /FI "PID eq 484"', 'taskkill /PID 484']);
  });
});

describe('Windows pid 0 and pid 4 sockets (a user trial)', () => {
  it('a listener filed under PID 0: the System Idle Process said, and a look again instead of no fix', () => {
    const h = holder({ local: { address: '0.0.0.0', port: 5040 }, owner: 'none' });
    const [f] = explainHolders(facts([h], { port: 5040 })).findings;
    expect(f!.message).toMatch(/^a listener on 0\.0\.0\.0:5040 that no process owns: it keeps a Node listen off: the rule; netstat shows PID 0 for it: that is the System Idle Process, which runs no program, so no process holds the socket that taskkill could end/);
    expect(f!.remedy).toEqual(['netstat -ano | findstr ":5040"']);
  });

  it('a connection of pid 4: a kernel driver\'s, no HTTP.sys remedy', () => {
    const h = holder({ role: 'client', state: 'ESTABLISHED', local: { address: '192.168.1.20', port: 52311 }, remote: { address: '20.42.65.92', port: 443 }, pid: 4, owner: 'found', owners: [{ pid: 4, process: null }] });
    const [f] = explainHolders(facts([h], { port: 52311 })).findings;
    expect(f!.code).toBe('port-held-by-client-socket');
    expect(f!.remedy).toEqual([]);
    expect(f!.message).toMatch(/pid 4 is the System process: this connection belongs to a kernel-mode driver \(the SMB client reaching a file share, for instance\), not to a program, so there is nothing to end with taskkill/);
  });

  it('a listener of pid 4 on another port still gets the HTTP.sys look', () => {
    const h = holder({ local: { address: '0.0.0.0', port: 80 }, pid: 4, owner: 'found', owners: [{ pid: 4, process: null }] });
    expect(explainHolders(facts([h], { port: 80 })).findings[0]!.remedy).toEqual(['netsh http show servicestate', 'netsh http show urlacl']);
  });
});
