// The Windows and macOS backends composed with their tools' captured output
// (those hosts cannot exist here); the parsing itself is tested on fixtures.
import { describe, expect, it } from 'vitest';
import { createBsdBackend } from '../../src/os/bsd/backend.js';
import { getOsBackend } from '../../src/os/index.js';
import { createWin32Backend } from '../../src/os/windows/backend.js';
import { CannotRunError } from '../../src/report/errors.js';
import { fixture } from '../helpers/fixtures.js';

describe('Windows backend', () => {
  it('asks netsh once per family, protocol and table, and takes the family from the command', async () => {
    const calls: string[] = [];
    const backend = createWin32Backend(async (file, args) => {
      calls.push([file, ...args].join(' '));
      // Real captures; the German one says "int ip" in its own prompt, which must not win over the call.
      return args.includes('dynamicport') ? fixture('netsh-dynamicport', 'en-default-49152.txt') : fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
    });
    const r = await backend.readPortRanges();
    expect(calls.sort()).toEqual([
      'netsh int ipv4 show dynamicport tcp',
      'netsh int ipv4 show dynamicport udp',
      'netsh int ipv4 show excludedportrange protocol=tcp',
      'netsh int ipv4 show excludedportrange protocol=udp',
      'netsh int ipv6 show dynamicport tcp',
      'netsh int ipv6 show dynamicport udp',
      'netsh int ipv6 show excludedportrange protocol=tcp',
      'netsh int ipv6 show excludedportrange protocol=udp',
    ]);
    expect(r.os).toBe('win32');
    expect(r.ephemeral.map((e) => `${e.protocol}/${e.family}`).sort()).toEqual(['tcp/ipv4', 'tcp/ipv6', 'udp/ipv4', 'udp/ipv6']);
    expect(r.reserved.filter((x) => x.family === 'ipv6' && x.protocol === 'udp')).toHaveLength(15);
    expect(r.readFrom).toHaveLength(8);
  });

  it('passes on a failing netsh as "could not run"', async () => {
    const backend = createWin32Backend(async () => {
      throw new CannotRunError('`netsh` was not found on PATH');
    });
    await expect(backend.readPortRanges()).rejects.toBeInstanceOf(CannotRunError);
  });
});

describe('macOS backend', () => {
  it('reads `sysctl net.inet.ip.portrange` and reports the OS it runs on', async () => {
    const backend = createBsdBackend('darwin', async (file, args) => {
      expect([file, ...args]).toEqual(['sysctl', 'net.inet.ip.portrange']);
      return fixture('sysctl-portrange', 'macos-sysctl-portrange-reverse-order.txt');
    });
    const r = await backend.readPortRanges();
    expect(r.os).toBe('darwin');
    expect(r.ephemeral[0]).toMatchObject({ start: 49152, end: 65535 });
  });
});

describe('backend choice', () => {
  it('has one backend per supported OS and refuses others with a way out', () => {
    expect(['linux', 'darwin', 'freebsd', 'win32'].map((p) => getOsBackend(p as NodeJS.Platform).os)).toEqual(['linux', 'darwin', 'freebsd', 'win32']);
    expect(() => getOsBackend('aix')).toThrow(/no backend for aix/);
  });
});
