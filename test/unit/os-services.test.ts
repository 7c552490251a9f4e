// One question for every OS: is the holder of a port a service of the OS
// itself, not to be ended (os-services.ts)? The CLI cases:
// test/e2e/bind-from-system-services.test.ts (Linux, macOS) and
// test/e2e/bind-from-trial-verdicts.test.ts (Windows pid 4 on 445 and 139).
import { describe, expect, it } from 'vitest';
import { osServiceOn } from '../../src/os/os-services.js';

describe('osServiceOn', () => {
  it('Windows: pid 4 on a kernel service\'s port (SMB, NetBIOS), with nothing to run; pid 4 elsewhere is HTTP.sys, no OS service', () => {
    expect(osServiceOn('win32', { pid: 4, process: 'System' }, 445)).toEqual({ words: expect.stringMatching(/^port 445 is SMB's .*Windows itself, not a program to end/), remedy: [] });
    expect(osServiceOn('win32', { pid: 4, process: null }, 139)?.words).toMatch(/NetBIOS/);
    expect(osServiceOn('win32', { pid: 4, process: 'System' }, 80)).toBeNull();
    expect(osServiceOn('win32', { pid: 1204, process: 'System' }, 445)).toBeNull();
    // Critical processes by name, whatever the port; a connection of pid 4 is a kernel driver's.
    expect(osServiceOn('win32', { pid: 364, process: 'wininit.exe' }, 49152)).toEqual({ words: expect.stringMatching(/^wininit\.exe is a process of Windows itself/), remedy: [] });
    expect(osServiceOn('win32', { pid: 4, process: 'System' }, 52311, { listening: false })?.words).toMatch(/kernel-mode driver/);
    // A nameless listener in the dynamic range: looked at, not ended; outside it, or named as another program: any process.
    expect(osServiceOn('win32', { pid: 476, process: null }, 49155)?.remedy).toEqual(['tasklist /v /FI "PID eq 476"']);
    expect(osServiceOn('win32', { pid: 476, process: null }, 49155, { dynamic: { start: 50000, end: 60000 } })).toBeNull();
    expect(osServiceOn('win32', { pid: 476, process: null }, 49155, { listening: false })).toBeNull();
    expect(osServiceOn('win32', { pid: 476, process: 'node.exe' }, 49155)).toBeNull();
  });

  it('Linux and macOS: known by name and port, with the setting that turns the listener off', () => {
    expect(osServiceOn('linux', { pid: 546, process: 'systemd-resolve' }, 53)?.remedy.at(-1)).toBe('sudo systemctl restart systemd-resolved');
    expect(osServiceOn('linux', { pid: 546, process: 'dnsmasq' }, 53)).toBeNull();
    expect(osServiceOn('linux', { pid: 546, process: 'systemd-resolve' }, 5353)).toBeNull();
    // An lsof paste does not say its OS: the name and port are the evidence.
    expect(osServiceOn(null, { pid: 1081, process: 'ControlCe' }, 5000)).toEqual({ words: expect.stringMatching(/AirPlay Receiver/), remedy: [] });
    // Not on Windows, whose pid 4 is the only service it knows.
    expect(osServiceOn('win32', { pid: 1081, process: 'ControlCenter' }, 5000)).toBeNull();
  });
});
