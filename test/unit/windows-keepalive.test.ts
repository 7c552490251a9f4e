// What a Windows socket gets when Node sets only the keepalive idle time
// (os/windows/keepalive.ts): OS-FACTS.md "Keepalive" (libuv 1.52 sets
// interval 1 s and count 10 on Windows 10 1709+), and the SIO_KEEPALIVE_VALS
// remarks (the system KeepAliveInterval, 1 s when absent; 10 probes from Vista on).
import { describe, expect, it } from 'vitest';
import { versionAtLeast, windowsKeepalive } from '../../src/os/windows/keepalive.js';

describe('keepalive on Windows without a socket descriptor', () => {
  it('libuv before 1.52: the registry interval and 10 probes, with where the interval came from', () => {
    const k = windowsKeepalive('1.46.0', { idleS: 7200, intervalS: 2, count: 10, from: ['KeepAliveTime absent: the documented default 7200000 ms', 'KeepAliveInterval 2000 ms (reg query)'] });
    expect(k.idleOnly).toEqual({ intervalS: 2, count: 10, source: 'the system interval (KeepAliveInterval 2000 ms (reg query)) and 10 probes (fixed from Windows Vista on), as libuv 1.46.0 sets only the idle time' });
    expect(k.noReadBack).toMatch(/no socket descriptor on Windows/);
  });

  it('libuv 1.52 and later: interval 1 s and 10 probes set by libuv, whatever the registry says', () => {
    expect(windowsKeepalive('1.52.1', { idleS: 7200, intervalS: 5, count: 10 }).idleOnly).toMatchObject({ intervalS: 1, count: 10, source: expect.stringMatching(/libuv 1\.52\.1 sets with the idle time/) });
  });

  it('a registry that could not be read: the documented default 1 s, and why', () => {
    expect(windowsKeepalive('1.46.0', { unreadable: 'KeepAliveInterval is 0, below its documented range' }).idleOnly).toMatchObject({ intervalS: 1, source: expect.stringMatching(/documented default 1 s: KeepAliveInterval could not be read \(KeepAliveInterval is 0/) });
  });

  it('compares versions by major and minor', () => {
    expect([versionAtLeast('1.52.0', 1, 52), versionAtLeast('1.51.9', 1, 52), versionAtLeast('2.0.0', 1, 52), versionAtLeast('1.100.0', 1, 52)]).toEqual([true, false, true, true]);
  });
});
