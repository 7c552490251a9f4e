// What a capture cannot tell bind, per OS (src/os/capture-gaps.ts): the
// sentences a user trial found missing, each checked for when it is said and
// when it is not.
import { describe, expect, it } from 'vitest';
import { explainHolders } from '../../src/explain/bind-holder-findings.js';
import type { Holder } from '../../src/explain/bind-holders.js';
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import { excludedRangeGap, hostAddressGap, ownerNotCapturedWords, udpOnlyRangeNote } from '../../src/os/capture-gaps.js';
import { ephemeral, type OsName } from '../../src/os/port-ranges.js';
import { probeBind } from '../../src/probes/bind.js';
import { fixture } from '../helpers/fixtures.js';

/** `bind <port> --from` on one pasted text, in process. */
async function bindFromPaste(port: number, text: string) {
  const captured = await parseCapturedInputs({ texts: [{ file: 'ticket.txt', text }], duplicates: [] });
  return probeBind({ port, addresses: ['0.0.0.0', '::'], captured, backend: () => { throw new Error('--from reads no live backend'); }, isRoot: false });
}

const excluded = (protocol: 'tcp' | 'udp' | null, family: 'ipv4' | 'ipv6' | null = 'ipv4') => ({ kind: 'netsh-excludedportrange' as const, protocol, family });

describe('excludedRangeGap: only a TCP excluded list answers for a TCP port', () => {
  it('no list at all: the TCP list is asked for', () => {
    expect(excludedRangeGap(5357, [])).toMatch(/^whether a Windows excluded port range covers port 5357: the input holds no `netsh int ipv4 show excludedportrange protocol=tcp` output$/);
  });

  it('a UDP list alone: not judged, and says why', () => {
    expect(excludedRangeGap(5357, [excluded('udp')])).toMatch(/covers port 5357: the input holds only the UDP list \(protocol=udp\), which says nothing of TCP ports; add `netsh .* protocol=tcp` output$/);
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
    const note = udpOnlyRangeNote('win32', udp, ephemeral(49152, 65535, 'win32 default (assumed)'));
    // One range for both families, said once.
    expect(note).toMatch(/only the UDP dynamic port range \(1025-65534\), .* the win32 default 49152-65535 is assumed for TCP/);
    expect(note).toMatch(/\(add `netsh int ipv4 show dynamicport tcp` output\)$/);
  });

  // When bind says it: a real Windows session's ranges (its TCP range is 1024-14999, its UDP one 49152-65535), beside a real
  // netstat and excluded list; the UDP half alone is what a ticket holding the session's second half shows.
  const netstat = fixture('windows-netstat', 'en-ano-win7.txt') + fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
  const session = fixture('netsh-dynamicport', 'en-powershell-tcp-and-udp-win11.txt');
  const udpHalf = session.slice(session.indexOf('PS C:\\Users\\Lime> netsh int ipv4 show dynamicportrange udp'));
  const udpNote = (notes: readonly string[] = []) => notes.filter((s) => /holds only the UDP dynamic port range/.test(s));

  it('a UDP range alone: said in the notes, the verdict as with no range at all (the TCP default assumed either way)', async () => {
    expect(udpHalf).toMatch(/^PS .* udp\n/);
    const r = await bindFromPaste(55000, netstat + udpHalf);
    const none = await bindFromPaste(55000, netstat);
    expect(udpNote(r.data.notes)).toHaveLength(1);
    expect(r.data.holders).toEqual([]);
    expect(r.verdict).toBe(none.verdict);
    expect(r.notJudged).toEqual(none.notJudged);
  });

  it('the TCP range beside it: not said, and OK (exit 0)', async () => {
    const r = await bindFromPaste(55000, netstat + session);
    expect(udpNote(r.data.notes)).toEqual([]);
    expect(r.verdict).toBe('ok');
  });

  it('no range at all: not said; the assumed default is its own note', async () => {
    const r = await bindFromPaste(55000, netstat);
    expect(udpNote(r.data.notes)).toEqual([]);
    expect(r.data.notes).toContainEqual(expect.stringMatching(/holds no ephemeral port range .*: the win32 default 49152-65535 is assumed/));
  });
});

describe('hostAddressGap: an address asked about that the capture does not show to be the host\'s', () => {
  it('a specific address: not judged, with the command that lists the host\'s addresses', () => {
    const gap = hostAddressGap('linux', '10.99.99.99', '10.99.99.99');
    expect(gap).toMatch(/^whether 10\.99\.99\.99 is an address of the captured host: .* no socket in this one is on 10\.99\.99\.99; .* fails with EADDRNOTAVAIL/);
    expect(gap).toMatch(/\(check with `ip -br addr` on that host\)$/);
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
    ['freebsd', '`sockstat -46 -P tcp`'],
    [null, '`netstat -ano`, `sudo ss -tanp` or `sudo lsof -nP -iTCP`'],
  ] as const)('%s: names the capture that has owners', (os, command) => {
    expect(ownerNotCapturedWords(os)).toMatch(/^its owner is not in the capture: /);
    expect(ownerNotCapturedWords(os).endsWith(`${command} adds`)).toBe(true);
  });

  // When bind says it: only of a captured socket whose table had no PID column.
  const listener = (over: Partial<Holder>): Holder => ({
    protocol: 'tcp', family: 'ipv4', local: { address: '0.0.0.0', port: 135 }, remote: { address: '0.0.0.0', port: 0 }, state: 'LISTEN',
    pid: null, process: null, owner: 'not-collected', role: 'listener', owners: [], timeWaitRemainingMs: null, blocks: 'yes', because: 'the rule', dependsOn: [], ...over,
  });
  const said = (h: Holder, live = false, os: OsName = 'win32') => {
    const [f] = explainHolders({ port: 135, os, holders: [h], reserveFirst: [], canClose: null, live }).findings;
    return { said: f!.message.includes(ownerNotCapturedWords(os)), severity: f!.severity, remedy: f!.remedy };
  };

  it('a table without a PID column: said, and the socket still blocks (error: exit 1), with nothing to end', () => {
    expect(said(listener({}))).toEqual({ said: true, severity: 'error', remedy: [] });
    expect(said(listener({ blocks: 'depends', dependsOn: ['x'] }))).toMatchObject({ said: true, severity: 'warning' });
  });

  it('not said of an owner the table names, one it could not see, nobody, or a live row', () => {
    expect(said(listener({ pid: 696, process: 'svchost.exe', owner: 'found', owners: [{ pid: 696, process: 'svchost.exe' }] })).said).toBe(false);
    expect(said(listener({ owner: 'hidden' })).said).toBe(false);
    expect(said(listener({ owner: 'none' })).said).toBe(false);
    expect(said(listener({}), true).said).toBe(false);
  });
});
