// `bind --from` verdicts a user trial found wrong: an answer the paste could
// not back (a UDP list taken as the TCP answer, an address the captured host
// may not have), a remedy for the wrong owner (HTTP.sys on SMB's port 445),
// and "no process" said of sockets whose table had no PID column. Inputs are
// real captures (test/fixtures/*/SOURCES); where one is changed, the test says how.
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const netstat = fixture('windows-netstat', 'en-ano-win7.txt');
// Both lists hold 5357 (WSD); de: 49851-51104 and 60706-60905 too.
const tcpExcluded = fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
// The same output as netsh prints it for UDP: the protocol token in the command line and the title is the only difference (netsh inserts it untranslated).
const udpExcluded = tcpExcluded.replace('protocol=tcp', 'protocol=udp').replace('"tcp"', '"udp"');
const EXCLUDED_GAP = /^whether a Windows excluded port range covers port/;

describe('bind --from: an excluded list answers only for its own protocol', () => {
  it('a UDP list alone does not say whether TCP port 5357 is excluded: inconclusive, and what to capture (exit 4)', () => {
    expect(udpExcluded).not.toBe(tcpExcluded);
    const { code, rep } = bindFrom(['5357'], `${netstat}${udpExcluded}`);
    expect(code).toBe(4);
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.data.reservedRange).toBeNull();
    expect(rep.notJudged[0]).toBe(
      'whether a Windows excluded port range covers port 5357: the input holds only the UDP list (protocol=udp), which says nothing of TCP ports; add `netsh int ipv4 show excludedportrange protocol=tcp` output',
    );
  });

  it('the TCP list of the same host answers it: 5357 is excluded (exit 1)', () => {
    const { code, rep } = bindFrom(['5357'], `${netstat}${tcpExcluded}`);
    expect(code).toBe(1);
    expect(rep.findings[0]!.code).toBe('port-excluded');
    expect(rep.notJudged.some((s) => EXCLUDED_GAP.test(s))).toBe(false);
  });

  // Windows keeps one list per protocol for IPv4 and IPv6 alike (the reservation API takes no family):
  // `netsh int ipv6 ... protocol=tcp` answers a listen on 0.0.0.0 too.
  it.each([
    ['5357', 1],
    ['3000', 0],
  ])('an IPv6 TCP list answers the IPv4 and IPv6 wildcards: port %s', (port, exit) => {
    const { code, rep } = bindFrom([port], `${netstat}${fixture('netsh-excludedportrange', 'ko-ipv6-powershell-trailing-spaces.txt')}`);
    expect(code).toBe(exit);
    expect(rep.notJudged.some((s) => EXCLUDED_GAP.test(s))).toBe(false);
  });
});

describe('bind --from: a UDP dynamic range is no TCP range', () => {
  // A ticket with the second half of a session that printed both ranges: the UDP one alone (the TCP one is 1024-14999).
  const session = fixture('netsh-dynamicport', 'en-powershell-tcp-and-udp-win11.txt');
  const udpHalf = session.slice(session.indexOf('PS C:\\Users\\Lime> netsh int ipv4 show dynamicportrange udp'));

  it('the TCP range is assumed and said so, as without any range: the same verdict', () => {
    expect(udpHalf).toMatch(/^PS .* udp\n/);
    const { code, rep } = bindFrom(['55000'], `${netstat}${tcpExcluded}${udpHalf}`);
    const without = bindFrom(['55000'], `${netstat}${tcpExcluded}`);
    expect(code).toBe(without.code);
    expect(rep.verdict).toBe(without.rep.verdict);
    expect(rep.notJudged).toEqual(without.rep.notJudged);
    expect(rep.data).toMatchObject({ ephemeralRangeKnown: true, inEphemeralRange: true, ephemeralRange: { start: 49152, end: 65535, source: 'win32 default (assumed)' } });
    expect((rep.data as { notes: string[] }).notes).toContain(
      'the input holds only the UDP dynamic port range (49152-65535), and TCP draws from its own: the win32 default 49152-65535 is assumed for TCP (add `netsh int ipv4 show dynamicport tcp` output)',
    );
  });

  it('with the TCP range beside it, that one is used and nothing is left open (exit 0)', () => {
    const { code, rep } = bindFrom(['55000'], `${netstat}${tcpExcluded}${session}`);
    expect(code).toBe(0);
    expect(rep.data).toMatchObject({ inEphemeralRange: false, ephemeralRange: null });
    expect(rep.notJudged.some((s) => /TCP ephemeral range/.test(s))).toBe(false);
  });
});

describe('bind --from --host: whether the captured host has the address', () => {
  // sshd's connection shows 10.0.2.15 is the host's; nothing shows 10.0.2.16 is.
  const ss = fixture('linux-ss', 'ubuntu-ss-tanp-root.txt');

  it('an address no socket is on: not a bare OK (exit 4), and says how to check', () => {
    const { code, rep } = bindFrom(['3000', '--host', '10.0.2.16'], ss);
    expect(code).toBe(4);
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.notJudged).toContain(
      "whether 10.0.2.16 is an address of the captured host: a socket table does not list the host's addresses, and no socket in this one is on 10.0.2.16; a listen on an address the host does not have fails with EADDRNOTAVAIL (check with `ip -br addr` on that host)",
    );
  });

  it.each(['10.0.2.15', '127.0.0.2', '0.0.0.0', '::'])('%s: the capture shows it, or every Linux host has it (exit 0)', (host) => {
    const { code, rep } = bindFrom(['3000', '--host', host], ss);
    expect(code).toBe(0);
    expect(rep.notJudged.some((s) => /is an address of the captured host/.test(s))).toBe(false);
  });
});

describe('bind --from: pid 4 on a port of a kernel service other than HTTP.sys', () => {
  it('445 is SMB\'s: said, no HTTP.sys commands, no command to free it', () => {
    const { code, rep } = bindFrom(['445'], netstat);
    expect(code).toBe(1);
    // Both listeners, 0.0.0.0:445 and [::]:445, are pid 4's.
    const found = rep.findings.filter((x) => x.code === 'port-in-use');
    expect(found).toHaveLength(2);
    for (const f of found) {
      expect(f.message).toMatch(/; port 445 is SMB's \(file and printer sharing\): the Windows SMB server driver \(srv2\.sys\), run by the Server service \(LanmanServer\), listens on it inside the System process\. That is Windows itself, not a program to end: give your server another port/);
      expect(f.remedy).toEqual([]);
    }
    expect(JSON.stringify(rep)).not.toMatch(/netsh http/);
  });

  it('139 is NetBIOS\'s, bound per adapter address (a customer\'s netstat -abo)', () => {
    const { code, rep } = bindFrom(['139', '--host', '192.168.1.41'], fixture('windows-netstat', 'fr-abo-process-names-no-n.txt'));
    expect(code).toBe(1);
    const blocking = rep.findings.filter((x) => x.code === 'port-in-use' && x.message.includes('keeps a Node listen off'));
    expect(blocking).toHaveLength(1);
    expect(blocking[0]!.message).toMatch(/^pid 4 listens on 192\.168\.1\.41:139: .*; port 139 is the NetBIOS session service's: NetBIOS over TCP\/IP \(netbt\.sys\)/);
    expect(blocking[0]!.remedy).toEqual([]);
  });

  it('any other pid-4 port keeps the HTTP.sys commands (80)', () => {
    const { rep } = bindFrom(['80'], netstat);
    expect(rep.findings[0]!.remedy).toEqual(['netsh http show servicestate', 'netsh http show urlacl']);
  });
});

describe('bind --from a table without a PID column: the owner is not captured, never "no process"', () => {
  it('netstat -an: a listener on 0.0.0.0:135, and the capture that names its owner', () => {
    const { code, rep } = bindFrom(['135'], fixture('windows-netstat', 'de-an-localized-states-cp850-mojibake.txt'));
    expect(code).toBe(1);
    expect(rep.data.holders).toEqual(expect.arrayContaining([expect.objectContaining({ owner: 'not-collected', owners: [] })]));
    expect(rep.findings[0]!.message).toMatch(/^a listener on 0\.0\.0\.0:135 \(its owner is not in the capture: the socket table has no PID column, which `netstat -ano` adds\): it keeps a Node listen off/);
    expect(JSON.stringify(rep.findings)).not.toMatch(/no process/);
  });

  it('netstat -a: a connection on 127.0.0.1:1521', () => {
    const { code, rep } = bindFrom(['1521'], fixture('windows-netstat', 'es-plain-no-n-resolved-names.txt'));
    expect(code).toBe(4);
    expect(rep.findings[0]!.message).toMatch(/^a socket on 127\.0\.0\.1:1521 \(ESTABLISHED, remote DESKTOP-IGG1O7P:50298; its owner is not in the capture: the socket table has no PID column, which `netstat -ano` adds\): whether/);
    expect(JSON.stringify(rep.findings)).not.toMatch(/no process/);
  });
});
