// What `ports` and `doctor` say about ranges, per OS.
import { describe, expect, it } from 'vitest';
import { explainPortRanges } from '../../src/explain/port-ranges.js';
import { parseNetsh } from '../../src/os/parse/netsh.js';
import { emptyPortRanges, ephemeral, type PortRanges } from '../../src/os/port-ranges.js';
import { reservePortsRemedy } from '../../src/os/remedies.js';
import { fixture } from '../helpers/fixtures.js';

const codes = (r: PortRanges) => explainPortRanges(r).map((f) => `${f.severity}:${f.code}`);

function linux(start: number, end: number, reserved: Array<[number, number]> = []): PortRanges {
  const r = emptyPortRanges('linux');
  r.ephemeral.push(ephemeral(start, end, 'test'));
  for (const [s, e] of reserved) r.reserved.push({ protocol: null, family: null, start: s, end: e, administered: true, blocksBind: false, source: 'test' });
  return r;
}

describe('explainPortRanges', () => {
  it('says nothing alarming about the Linux default', () => {
    expect(codes(linux(32768, 60999))).toEqual([]);
  });

  it('warns about a tiny range and gives the sysctl that restores the default', () => {
    const [f] = explainPortRanges(linux(40000, 40100));
    expect(f).toMatchObject({ code: 'ephemeral-range-small', severity: 'warning' });
    expect(f!.message).toMatch(/only 101 ports/);
    expect(f!.remedy[0]).toBe('sudo sysctl -w net.ipv4.ip_local_port_range="32768 60999"');
  });

  it('warns when a range moved below the default covers common server ports, and moves it back', () => {
    const f = explainPortRanges(linux(1024, 65000, [[9000, 9010]])).find((x) => x.code === 'ephemeral-range-covers-common-ports')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/3000 \(Node/);
    expect(f.message).not.toMatch(/9000 \(/); // reserved already: nothing can take it
    expect(f.message).toMatch(/starts below this OS's default 32768-60999/);
    expect(f.remedy).toEqual([
      'sudo sysctl -w net.ipv4.ip_local_port_range="32768 60999"',
      "echo 'net.ipv4.ip_local_port_range = 32768 60999' | sudo tee /etc/sysctl.d/99-tcpdiag-port-range.conf",
    ]);
  });

  it('only informs when the OS default itself covers a common port (FreeBSD 10000-65535 and 27017)', () => {
    const r = emptyPortRanges('freebsd');
    r.ephemeral.push(ephemeral(10000, 65535, 'test'));
    const [f] = explainPortRanges(r);
    expect(f).toMatchObject({ code: 'ephemeral-range-covers-common-ports', severity: 'info', remedy: ['sudo sysctl -w net.inet.ip.portrange.first=27018'] });
  });

  it('reserving ports on Linux keeps the ports already reserved (sysctl -w replaces the list)', () => {
    expect(reservePortsRemedy('linux', [3000], ['9000-9010'])).toEqual([
      'sudo sysctl -w net.ipv4.ip_local_reserved_ports=9000-9010,3000',
      "echo 'net.ipv4.ip_local_reserved_ports = 9000-9010,3000' | sudo tee /etc/sysctl.d/99-tcpdiag-reserved-ports.conf",
    ]);
  });

  it('explains Linux reserved ports: kept from the allocator, explicit binds still work', () => {
    const f = explainPortRanges(linux(32768, 60999, [[8080, 8080]])).find((x) => x.code === 'reserved-ports')!;
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/^port 8080 is reserved .*never hands it out as an ephemeral source port.*does not stop any program from binding it/);
  });

  it('on a Windows paste: excluded ranges over common ports, with the winnat remedy', () => {
    const r = parseNetsh(fixture('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt'), 'ticket').ranges;
    const f = explainPortRanges(r).find((x) => x.code === 'excluded-range-covers-common-ports')!;
    expect(f.severity).toBe('warning');
    // 3288-3387 covers MySQL's 3306; no other common port lies in this sample's ranges.
    expect(f.message).toMatch(/^excluded port ranges cover 3306 \(MySQL\): binding/);
    expect(f.message).toMatch(/EACCES/);
    expect(f.remedy[0]).toBe('net stop winnat');
    expect(f.remedy).toContain('netsh int ipv4 add excludedportrange protocol=tcp startport=3306 numberofports=1 store=persistent');
    expect(f.remedy.at(-1)).toBe('net start winnat');
  });

  it('does not count administered exclusions as refusing binds', () => {
    const r = parseNetsh(fixture('netsh-excludedportrange', 'es-cmd-prompt-many-administered.txt'), 'ticket').ranges;
    const byCode = Object.fromEntries(explainPortRanges(r).map((f) => [f.code, f]));
    // 2964-3063 (set by a service) covers 3000 and 3001; 3306, 5432, 8000, 8080 and
    // 8888 are administered (*): reserved for their servers, not blocked.
    expect(byCode['excluded-range-covers-common-ports']!.message).toMatch(/^excluded port ranges cover 3000 \(.*\), 3001 \(dev servers\): binding/);
    expect(byCode['reserved-ports']!.message).toMatch(/8080.*excluded by an administrator/);
    expect(byCode['excluded-ranges']!.message).toMatch(/^6 ranges with 600 ports excluded by a service/);
  });

  it('on a Windows dynamic range moved down to 1024: warns and moves it back', () => {
    const r = parseNetsh(fixture('netsh-dynamicport', 'en-powershell-tcp-and-udp-win11.txt'), 'ticket').ranges;
    const f = explainPortRanges(r).find((x) => x.code === 'ephemeral-range-covers-common-ports')!;
    expect(f.message).toMatch(/1024-15000 \(tcp\/ipv4\)/);
    expect(f.remedy).toContain('netsh int ipv4 set dynamicport tcp start=49152 num=16384');
    // netsh ... set dynamicport needs an administrator, as the registry fixes say (a user trial: only `reg delete` said so).
    expect(f.message).toMatch(/; run the fix in an elevated prompt$/);
    const small = emptyPortRanges('win32');
    small.ephemeral.push(ephemeral(49152, 49252, 'test'));
    expect(explainPortRanges(small).find((x) => x.code === 'ephemeral-range-small')!.message).toMatch(/WSAENOBUFS \(10055\); run the fix in an elevated prompt$/);
    expect(explainPortRanges(linux(40000, 40100))[0]!.message).not.toMatch(/elevated/);
  });

  it('explains privileged ports, and a limit of 0 as none', () => {
    const r = linux(32768, 60999);
    r.privileged = { below: 1024, source: 'p' };
    expect(explainPortRanges(r)[0]!.message).toMatch(/below 1024 needs privilege/);
    r.privileged = { below: 0, source: 'p' };
    expect(explainPortRanges(r)[0]!.message).toMatch(/any user may bind any port/);
  });
});
