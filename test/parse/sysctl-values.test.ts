// `sysctl` name: value output on real macOS captures (test/fixtures/sysctl-values/SOURCES).
import { describe, expect, it } from 'vitest';
import { parseSysctlValues } from '../../src/os/parse/sysctl-values.js';
import { fixture } from '../helpers/fixtures.js';

describe('sysctl name: value output', () => {
  it('reads the keepalive settings, skipping the prompt line', () => {
    expect(parseSysctlValues(fixture('sysctl-values', 'macos-keepalive-defaults.txt'))).toEqual(
      new Map([['net.inet.tcp.keepidle', 7200000], ['net.inet.tcp.keepintvl', 75000], ['net.inet.tcp.keepcnt', 8]]),
    );
  });

  it('takes the last value when a paste holds several runs', () => {
    expect(parseSysctlValues(fixture('sysctl-values', 'macos-keepalive-before-after.txt')).get('net.inet.tcp.keepidle')).toBe(60000);
  });

  it('reads somaxconn out of a grep of sysctl -a, and not the sysctl -w command line', () => {
    expect(parseSysctlValues(fixture('sysctl-values', 'macos-somaxconn-grep.txt'))).toEqual(new Map([['kern.ipc.somaxconn', 128]]));
  });

  it('takes the new value of a `sysctl -w` answer ("name: old -> new")', () => {
    expect(parseSysctlValues('kern.ipc.somaxconn: 128 -> 2048\n').get('kern.ipc.somaxconn')).toBe(2048);
  });
});
