// What a capture cannot tell bind, per OS (src/os/capture-gaps.ts): the
// sentences a user trial found missing, each checked for when it is said and
// when it is not.
import { describe, expect, it } from 'vitest';
import { excludedRangeGap, hostAddressGap, ownerNotCapturedWords, udpOnlyRangeNote } from '../../src/os/capture-gaps.js';
import { ephemeral } from '../../src/os/port-ranges.js';

const excluded = (protocol: 'tcp' | 'udp' | null, family: 'ipv4' | 'ipv6' | null = 'ipv4') => ({ kind: 'netsh-excludedportrange' as const, protocol, family });

describe('excludedRangeGap: only a TCP excluded list answers for a TCP port', () => {
  it('no list at all: the existing sentence', () => {
    expect(excludedRangeGap(5357, [])).toBe('whether a Windows excluded port range covers port 5357: the input holds no `netsh int ipv4 show excludedportrange protocol=tcp` output');
  });

  it('a UDP list alone: not judged, and says why', () => {
    expect(excludedRangeGap(5357, [excluded('udp')])).toBe(
      'whether a Windows excluded port range covers port 5357: the input holds only the UDP list (protocol=udp), which says nothing of TCP ports; add `netsh int ipv4 show excludedportrange protocol=tcp` output',
    );
  });

  it('a list whose title (the protocol) was not pasted: not judged', () => {
    expect(excludedRangeGap(80, [excluded(null), { kind: 'netsh-dynamicport', protocol: 'tcp', family: 'ipv4' }])).toMatch(/holds only a list without the title line that names its protocol; add/);
  });

  // One list per protocol for both families: Microsoft's reservation API takes no address family.
  it.each([['ipv4'], ['ipv6'], [null]] as const)('a TCP list of family %s answers', (family) => {
    expect(excludedRangeGap(5357, [excluded('udp'), excluded('tcp', family)])).toBeNull();
  });
});

describe('udpOnlyRangeNote', () => {
  it('names the UDP range, the default assumed and the command for the TCP one', () => {
    const udp = [ephemeral(1025, 65534, 'w.txt (dynamicport)', 'udp', 'ipv4'), ephemeral(1025, 65534, 'w.txt (dynamicport)', 'udp', 'ipv6')];
    expect(udpOnlyRangeNote('win32', udp, ephemeral(49152, 65535, 'win32 default (assumed)'))).toBe(
      'the input holds only the UDP dynamic port range (1025-65534), and TCP draws from its own: the win32 default 49152-65535 is assumed for TCP (add `netsh int ipv4 show dynamicport tcp` output)',
    );
  });
});

describe('hostAddressGap: an address asked about that the capture does not show to be the host\'s', () => {
  it('a specific address: not judged, with the command that lists the host\'s addresses', () => {
    expect(hostAddressGap('linux', '10.99.99.99', '10.99.99.99')).toBe(
      "whether 10.99.99.99 is an address of the captured host: a socket table does not list the host's addresses, and no socket in this one is on 10.99.99.99; a listen on an address the host does not have fails with EADDRNOTAVAIL (check with `ip -br addr` on that host)",
    );
    expect(hostAddressGap('win32', 'fe80::1%4', null)).toMatch(/check with `ipconfig` on that host\)$/);
    expect(hostAddressGap(null, '2001:db8::1', null)).toMatch(/check with `ip -br addr`, `ipconfig` or `ifconfig` on that host\)$/);
  });

  it.each([
    ['linux', '127.0.0.1'],
    ['darwin', '127.0.0.1'],
    ['freebsd', '::1'],
    [null, '0:0:0:0:0:0:0:1'],
    // Linux and Windows route all of 127.0.0.0/8 to loopback.
    ['linux', '127.0.0.2'],
    ['win32', '127.1.2.3'],
  ] as const)('%s has %s: nothing to say', (os, address) => {
    expect(hostAddressGap(os, address, address.includes(':') ? null : address)).toBeNull();
  });

  // macOS and FreeBSD configure only 127.0.0.1 on lo0.
  it.each([['darwin'], ['freebsd'], [null]] as const)('127.0.0.2 on %s: not judged', (os) => {
    expect(hostAddressGap(os, '127.0.0.2', '127.0.0.2')).toMatch(/^whether 127\.0\.0\.2 is an address of the captured host/);
  });
});

describe('ownerNotCapturedWords', () => {
  it.each([
    ['win32', '`netstat -ano`'],
    ['linux', '`sudo ss -tanp`'],
    ['darwin', '`sudo lsof -nP -iTCP`'],
    [null, '`netstat -ano`, `sudo ss -tanp` or `sudo lsof -nP -iTCP`'],
  ] as const)('%s: names the capture that has owners', (os, command) => {
    expect(ownerNotCapturedWords(os)).toBe(`its owner is not in the capture: the socket table has no PID column, which ${command} adds`);
  });
});
