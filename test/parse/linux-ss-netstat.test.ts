// `ss` and net-tools `netstat` on real captures (test/fixtures/linux-ss and
// linux-netstat, SOURCES in each).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeLinuxNetstat, parseLinuxNetstat } from '../../src/os/parse/linux-netstat.js';
import { looksLikeSs, parseSs } from '../../src/os/parse/linux-ss.js';
import { ParseError } from '../../src/os/parse/text.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const brief = (r: SocketRow) => `${r.state} ${r.family} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port} ${r.pid ?? '-'}/${r.process ?? '-'} ${r.owner}`;

describe('ss', () => {
  it('reads ss -tanp as root: every owner of a shared socket, and the accept-queue limit', () => {
    const { rows } = parseSs(fixture('linux-ss', 'ubuntu-ss-tanp-root.txt'), 'f');
    expect(rows.map(brief)).toEqual([
      'LISTEN ipv4 0.0.0.0:111 0.0.0.0:0 565/rpcbind found',
      'LISTEN ipv4 0.0.0.0:80 0.0.0.0:0 7167/nginx found',
      'LISTEN ipv4 127.0.0.53%lo:53 0.0.0.0:0 566/systemd-resolve found',
      'LISTEN ipv4 0.0.0.0:22 0.0.0.0:0 795/sshd found',
      'ESTABLISHED ipv4 10.0.2.15:22 10.0.2.2:50913 22068/sshd found',
      'LISTEN ipv6 :::111 :::0 565/rpcbind found',
      'LISTEN ipv6 :::80 :::0 7167/nginx found',
      'LISTEN ipv6 :::22 :::0 795/sshd found',
    ]);
    expect(rows[1]!.otherOwners).toEqual([{ pid: 7166, process: 'nginx' }, { pid: 7165, process: 'nginx' }]);
    expect(rows[1]!.acceptQueue).toEqual({ length: 0, max: 511 });
    expect(rows[4]).toMatchObject({ recvQ: 0, sendQ: 0 });
  });

  it('cannot tell ss -tanp as a non-root user from ss -tan: owners not collected, said in a note', () => {
    // iproute2 prints the Process header either way; with no "users:((" anywhere the text does not say which.
    const { rows, notes } = parseSs(fixture('linux-ss', 'ubuntu-22.04-ss-tanp-nonroot-no-process.txt'), 'f');
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(['not-collected']));
    expect(notes).toEqual(['f: no process column data: captured without -p, or by a user who could not see any owner']);
    expect(rows[4]!.remote).toEqual({ address: '172.16.0.7', port: 34284 });
  });

  it('reads the same sockets again with sudo, including a row printed as "users ((" ', () => {
    const { rows } = parseSs(fixture('linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt'), 'f');
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({ pid: 2844, process: 'slapd', owner: 'found', acceptQueue: { length: 0, max: 2048 } });
    expect(rows.every((r) => r.owner === 'found')).toBe(true);
  });

  it('reads ss -lpnt', () => {
    const { rows } = parseSs(fixture('linux-ss', 'ubuntu-20.04-ss-lpnt.txt'), 'f');
    expect(rows.map((r) => `${r.local.address}:${r.local.port}`)).toEqual(['0.0.0.0:80', '127.0.0.53%lo:53', '0.0.0.0:22', '0.0.0.0:23', ':::22']);
  });

  it('reads ss -an with a Netid column, keeping tcp rows only, and "*" as dual-stack wildcard', () => {
    const text = 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nudp   UNCONN 0      0            0.0.0.0:68        0.0.0.0:*\ntcp   LISTEN 0      4096               *:22              *:*\ntcp   ESTAB  0      36     [::ffff:10.1.1.2]:22 [::ffff:10.1.1.9]:5000\n';
    expect(parseSs(text, 'f').rows.map(brief)).toEqual(['LISTEN ipv6 :::22 :::0 -/- not-collected', 'ESTABLISHED ipv6 ::ffff:10.1.1.2:22 ::ffff:10.1.1.9:5000 -/- not-collected']);
  });

  it('has an expectation for every sample, and tells ss from netstat', () => {
    expect(fixtureNames('linux-ss')).toEqual(['ubuntu-20.04-ss-lpnt.txt', 'ubuntu-22.04-ss-tanp-nonroot-no-process.txt', 'ubuntu-22.04-sudo-ss-tanp.txt', 'ubuntu-ss-tanp-root.txt']);
    for (const n of fixtureNames('linux-ss')) {
      expect(looksLikeSs(fixture('linux-ss', n))).toBe(true);
      expect(looksLikeLinuxNetstat(fixture('linux-ss', n))).toBe(false);
    }
  });
});

describe('Linux netstat', () => {
  it('reads netstat -ltupan: tcp rows only, program names with spaces', () => {
    const { rows } = parseLinuxNetstat(fixture('linux-netstat', 'rhel-family-netstat-ltupan.txt'), 'f');
    expect(rows.map(brief)).toEqual([
      'LISTEN ipv4 0.0.0.0:22 0.0.0.0:0 969/sshd: /usr/sbin found',
      'LISTEN ipv4 127.0.0.1:25 0.0.0.0:0 1247/master found',
      'ESTABLISHED ipv4 192.168.0.18:22 192.168.0.12:50998 1335/sshd: mgb [pri found',
      'ESTABLISHED ipv4 192.168.0.18:22 192.168.0.12:50994 1331/sshd: mgb [pri found',
      'LISTEN ipv6 :::10050 :::0 977/zabbix_agent2 found',
      'LISTEN ipv6 :::22 :::0 969/sshd: /usr/sbin found',
    ]);
    expect(rows[3]).toMatchObject({ recvQ: 0, sendQ: 144 });
  });

  it('reads a SYN_RECV row whose owner is "-"', () => {
    const { rows } = parseLinuxNetstat(fixture('linux-netstat', 'linux-netstat-anp-tcp-with-programs.txt'), 'f');
    expect(rows).toHaveLength(8);
    expect(brief(rows[6]!)).toBe('SYN_RECEIVED ipv4 62.42.41.223:9002 218.19.136.78:27844 -/- hidden');
  });

  it('reads netstat -tln without programs', () => {
    const { rows } = parseLinuxNetstat(fixture('linux-netstat', 'centos-8-netstat-tln.txt'), 'f');
    expect(rows.map((r) => `${r.family} ${r.local.address}:${r.local.port} ${r.owner}`)).toEqual(
      expect.arrayContaining(['ipv4 0.0.0.0:111 not-collected', 'ipv6 :::111 not-collected', 'ipv6 :::1521 not-collected']),
    );
  });

  it('reads every sample and is not mistaken for ss', () => {
    for (const n of fixtureNames('linux-netstat')) {
      const text = fixture('linux-netstat', n);
      expect(looksLikeLinuxNetstat(text)).toBe(true);
      expect(looksLikeSs(text)).toBe(false);
      expect(parseLinuxNetstat(text, n).rows.length).toBeGreaterThan(3);
      expect(parseLinuxNetstat(text.replace(/\n/g, '\r\n'), n)).toEqual(parseLinuxNetstat(text, n));
    }
  });

  it('refuses a value that cannot be true, naming the line', () => {
    expect(() => parseLinuxNetstat('tcp 0 0 0.0.0.0:22 0.0.0.0:* BOGUS 1/x\n', 'f')).toThrow(/line 1: unknown TCP state "BOGUS"/);
    expect(() => parseLinuxNetstat('tcp 0 0 1.2.3:22 0.0.0.0:* LISTEN 1/x\n', 'f')).toThrow(/line 1: "1.2.3" is not an IPv4 address/);
    expect(() => parseLinuxNetstat('tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 0x10/x\n', 'f')).toThrow(/line 1: pid "0x10" is not a whole decimal number/);
  });

  it('notes a row cut short and reads the rest', () => {
    const t = parseLinuxNetstat('tcp 0 0 0.0.0.0:22\ntcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN -\n', 'f');
    expect(t.rows.map((r) => r.local.port)).toEqual([80]);
    expect(t.notes).toEqual([expect.stringMatching(/^f line 1: not read: a row cut short/)]);
  });
});

describe('ss and netstat parsers never crash', () => {
  const samples = [...fixtureNames('linux-ss').map((n) => fixture('linux-ss', n)), ...fixtureNames('linux-netstat').map((n) => fixture('linux-netstat', n))];
  it('on mutated real samples', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.string({ maxLength: 12 }), (text, at, junk) => {
        const i = at % text.length;
        const mutated = text.slice(0, i) + junk + text.slice(i);
        for (const parse of [parseSs, parseLinuxNetstat]) {
          try {
            parse(mutated, 'f');
          } catch (err) {
            if (!(err instanceof ParseError)) throw err;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
