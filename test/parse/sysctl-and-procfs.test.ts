// macOS/FreeBSD sysctl and Linux procfs/sysctl port settings, on real samples
// (test/fixtures/sysctl-portrange/SOURCES, test/fixtures/linux-procfs-ports/SOURCES).
import { describe, expect, it } from 'vitest';
import { parseBsdSysctlPortRange } from '../../src/os/parse/bsd-sysctl-portrange.js';
import { detectProcfsKey, parseLinuxSysctl, parseReservedPortList } from '../../src/os/parse/linux-port-settings.js';
import { parsePortRangeText } from '../../src/os/parse/port-range-formats.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const span = (r: { start: number; end: number }) => [r.start, r.end];

describe('BSD sysctl net.inet.ip.portrange', () => {
  it('reads macOS output listed in reverse order, prompt line with trailing blanks included', () => {
    const r = parseBsdSysctlPortRange(fixture('sysctl-portrange', 'macos-sysctl-portrange-reverse-order.txt'), 'f');
    expect(r.os).toBe('darwin');
    // Each range says which allocator uses it (issue #15): the default one first, then IP_PORTRANGE_HIGH and _LOW.
    expect(r.ephemeral.map((e) => [e.allocator, ...span(e)])).toEqual([['default', 49152, 65535], ['high', 49152, 65535], ['low', 600, 1023]]);
    expect(r.ephemeral[1]!.source).toMatch(/hifirst/);
    expect(r.privileged).toBeNull();
  });

  it('reads first/last asked as single keys', () => {
    const r = parseBsdSysctlPortRange(fixture('sysctl-portrange', 'macos-first-last-keys.txt'), 'f');
    expect(r.ephemeral.map(span)).toEqual([[49152, 65535]]);
  });

  it('reads FreeBSD keys out of a long sysctl listing and knows it is FreeBSD', () => {
    const r = parseBsdSysctlPortRange(fixture('sysctl-portrange', 'freebsd-12.2-arm64-sysctl-list.txt'), 'f');
    expect(r.os).toBe('freebsd');
    expect(r.ephemeral.map((e) => [e.allocator, ...span(e)])).toEqual([['default', 10000, 65535], ['high', 49152, 65535], ['low', 600, 1023]]);
    expect(r.privileged).toBeNull(); // this listing has no reservedhigh key
  });

  it('reads reservedhigh as the privileged limit', () => {
    const r = parseBsdSysctlPortRange('net.inet.ip.portrange.first: 10000\nnet.inet.ip.portrange.last: 65535\nnet.inet.ip.portrange.reservedhigh: 1023\n', 'f');
    expect(r).toMatchObject({ os: 'freebsd', privileged: { below: 1024 } });
  });

  it('takes the new value of "old -> new" lines that `sysctl key=value` prints', () => {
    const r = parseBsdSysctlPortRange(fixture('sysctl-portrange', 'freebsd-13.0-set-reserved-arrow.txt'), 'f');
    expect(r.privileged?.below).toBe(1); // reservedhigh 1023 -> 0: no port needs privilege
    expect(r.ephemeral).toEqual([]);
    expect(r.notes.join()).toMatch(/no net.inet.ip.portrange.first\/last/);
  });

  it('reads both single-key answers of a zsh session', () => {
    const r = parseBsdSysctlPortRange(fixture('sysctl-portrange', 'macos-zsh-prompt-hifirst-hilast.txt'), 'f');
    expect(r.ephemeral.map(span)).toEqual([[49152, 65535]]);
  });
});

describe('Linux port settings', () => {
  it('reads every sample through format detection', () => {
    const got = Object.fromEntries(
      fixtureNames('linux-procfs-ports').map((n) => {
        const { format, ranges } = parsePortRangeText(fixture('linux-procfs-ports', n), n);
        return [n, { format, eph: ranges.ephemeral.map(span), res: ranges.reserved.map(span) }];
      }),
    );
    expect(got).toEqual({
      'linux-cat-port-range-tab-centos.txt': { format: 'linux-sysctl', eph: [[32768, 60999]], res: [] },
      'linux-cat-range-spaces-and-reserved.txt': { format: 'linux-sysctl', eph: [[32768, 61000]], res: [[65000, 65535]] },
      'linux-sysctl-a-grep-empty-reserved.txt': { format: 'linux-sysctl', eph: [[32768, 60999]], res: [] },
      'linux-sysctl-p-reserved-k8s-log.txt': { format: 'linux-sysctl', eph: [], res: [[30000, 32767]] },
      'linux-sysctl-port-range-tab.txt': { format: 'linux-sysctl', eph: [[32768, 60999]], res: [] },
    });
  });

  it('marks reserved ports as not blocking binds', () => {
    const { ranges } = parsePortRangeText(fixture('linux-procfs-ports', 'linux-sysctl-p-reserved-k8s-log.txt'), 'k8s');
    expect(ranges.reserved[0]).toMatchObject({ blocksBind: false, protocol: null, family: null });
  });

  it('parses reserved-port lists with single ports and ranges', () => {
    expect(parseReservedPortList('8080,9000-9010, 65535\n')).toEqual([{ start: 8080, end: 8080 }, { start: 9000, end: 9010 }, { start: 65535, end: 65535 }]);
    expect(parseReservedPortList('\n')).toEqual([]);
    expect(() => parseReservedPortList('9010-9000')).toThrow(/9010-9000/);
    expect(() => parseReservedPortList('70000')).toThrow(/70000/);
  });

  it('tells bare procfs values apart by name, then by shape; a lone number needs the name', () => {
    expect(detectProcfsKey('32768\t60999\n', 'x.txt')).toBe('ip_local_port_range');
    expect(detectProcfsKey('8080,9000-9010\n', 'x.txt')).toBe('ip_local_reserved_ports');
    expect(detectProcfsKey('8080\n', '/proc/sys/net/ipv4/ip_local_reserved_ports')).toBe('ip_local_reserved_ports');
    expect(detectProcfsKey('1024\n', 'ip_unprivileged_port_start')).toBe('ip_unprivileged_port_start');
    expect(detectProcfsKey('1024\n', 'x.txt')).toBeNull();
  });

  it('reads `grep . /proc/sys/net/ipv4/ip_local_*` output', () => {
    const r = parseLinuxSysctl('/proc/sys/net/ipv4/ip_local_port_range:1024\t65000\n/proc/sys/net/ipv4/ip_local_reserved_ports:8080\n', 'g');
    expect(r.ephemeral.map(span)).toEqual([[1024, 65000]]);
    expect(r.reserved.map(span)).toEqual([[8080, 8080]]);
  });
});

describe('format detection', () => {
  it('names the formats it knows when it cannot tell', () => {
    expect(() => parsePortRangeText('hello world\n', 'notes.txt')).toThrow(/netsh int ipv4\|ipv6 show excludedportrange.*sysctl net.inet.ip.portrange/);
  });

  it('detects each fixture folder as its own format', () => {
    expect(parsePortRangeText(fixture('netsh-excludedportrange', 'fr-cmd-prompt-administered.txt'), 'a').format).toBe('netsh-excludedportrange');
    expect(parsePortRangeText(fixture('netsh-dynamicport', 'ja-powershell-default.txt'), 'a').format).toBe('netsh-dynamicport');
    expect(parsePortRangeText(fixture('sysctl-portrange', 'macos-first-last-keys.txt'), 'a').format).toBe('sysctl-portrange');
    expect(parsePortRangeText('32768 60999\n', '/proc/sys/net/ipv4/ip_local_port_range').format).toBe('procfs-ip_local_port_range');
  });
});
