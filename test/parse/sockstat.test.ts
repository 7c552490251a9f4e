// FreeBSD sockstat parser against real captured output
// (test/fixtures/freebsd-sockstat/SOURCES says where each came from).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeSockstat, parseSockstat } from '../../src/os/parse/sockstat.js';
import { ParseError } from '../../src/os/parse/text.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { orParseError } from '../helpers/or-parse-error.js';
import { itReadsEverySample } from '../helpers/sample-tables.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const FOLDER = 'freebsd-sockstat';
const ep = (address: string, port: number) => ({ address, port });

function row(process: string, pid: number, family: 'ipv4' | 'ipv6', local: [string, number], remote: [string, number], state: SocketRow['state'], user: string): SocketRow {
  return { protocol: 'tcp', family, local: ep(...local), remote: ep(...remote), state, pid, process, owner: 'found', user };
}

interface Want {
  count: number;
  states: Record<string, number>;
  rows: Array<[number, SocketRow]>;
}

// None of the samples has -s: every state is inferred (*:* -> LISTEN, a peer -> ESTABLISHED).
const WANT: Record<string, Want> = {
  'freebsd-sockstat-4l.txt': {
    count: 4,
    states: { LISTEN: 4 },
    rows: [
      [0, row('ruby', 36249, 'ipv4', ['127.0.0.1', 8080], ['0.0.0.0', 0], 'LISTEN', 'git')],
      [-1, row('postgres', 11726, 'ipv4', ['127.0.0.1', 5432], ['0.0.0.0', 0], 'LISTEN', 'pgsql')],
    ],
  },
  'freebsd-sockstat-P-tcp.txt': {
    count: 11,
    states: { ESTABLISHED: 1, LISTEN: 10 },
    rows: [
      [0, row('sshd', 922, 'ipv4', ['192.168.5.2', 22], ['192.168.5.4', 55525], 'ESTABLISHED', 'root')],
      [1, row('httpd', 917, 'ipv6', ['::', 80], ['::', 0], 'LISTEN', 'www')],
      [2, row('httpd', 917, 'ipv4', ['0.0.0.0', 80], ['0.0.0.0', 0], 'LISTEN', 'www')],
      [-1, row('httpd', 894, 'ipv4', ['0.0.0.0', 80], ['0.0.0.0', 0], 'LISTEN', 'root')],
    ],
  },
  // 14 rows: 7 tcp, 5 udp, 2 UNIX-domain stream sockets.
  'freebsd-sockstat-all-with-unix.txt': {
    count: 7,
    states: { ESTABLISHED: 1, LISTEN: 6 },
    rows: [
      [0, row('sshd', 45933, 'ipv4', ['192.168.5.2', 22], ['192.168.5.4', 59217], 'ESTABLISHED', 'root')],
      [1, row('sshd', 815, 'ipv6', ['::', 22], ['::', 0], 'LISTEN', 'root')],
      [4, row('unbound', 760, 'ipv4', ['192.168.5.2', 853], ['0.0.0.0', 0], 'LISTEN', 'unbound')],
      [-1, row('slapd', 542, 'ipv4', ['0.0.0.0', 389], ['0.0.0.0', 0], 'LISTEN', 'ldap')],
    ],
  },
};


describe('sockstat samples', () => {
  itReadsEverySample(FOLDER, WANT, { looksLike: looksLikeSockstat, parse: parseSockstat }, (table, want) => {
    expect(table.notes).toEqual([expect.stringMatching(new RegExp(`without -s prints no TCP states: ${want.count} row.*sockstat -s`))]);
  });

  it('gives the same result for CRLF text and a BOM', () => {
    for (const name of fixtureNames(FOLDER)) {
      const text = fixture(FOLDER, name);
      expect(parseSockstat(text.replace(/\n/g, '\r\n'), name)).toEqual(parseSockstat(text, name));
      expect(parseSockstat(`\uFEFF${text}`, name)).toEqual(parseSockstat(text, name));
    }
  });

  it('reads rows printed without a header (sockstat -q)', () => {
    const text = fixture(FOLDER, 'freebsd-sockstat-P-tcp.txt').split('\n').slice(1).join('\n');
    expect(parseSockstat(text, 'x').rows).toHaveLength(11);
  });
});

describe('sockstat -s and other layouts', () => {
  const HEADER_S = 'USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS       PATH STATE   CONN STATE';

  it('takes states from CONN STATE (newer sockstat prints ?? for the SCTP-only PATH STATE)', () => {
    const text = [
      HEADER_S,
      'root     sshd       922   4  tcp4   192.168.5.2:22        192.168.5.4:55525     ??           ESTABLISHED',
      'root     sshd       815   3  tcp6   *:22                  *:*                   ??           LISTEN',
      'root     sendmail   700   5  tcp6   ::1:25                ::1:61000             ??           CLOSE_WAIT',
      '??       ??         ??    ?? tcp4   10.0.0.1:5000         10.0.0.2:443          ??           TIME_WAIT',
    ].join('\n');
    const table = parseSockstat(text, 'x');
    expect(table.rows.map((r) => r.state)).toEqual(['ESTABLISHED', 'LISTEN', 'CLOSE_WAIT', 'TIME_WAIT']);
    expect(table.rows[2]).toEqual(row('sendmail', 700, 'ipv6', ['::1', 25], ['::1', 61000], 'CLOSE_WAIT', 'root'));
    expect(table.rows[3]).toMatchObject({ pid: null, process: null, owner: 'none' });
    expect(table.notes).toEqual([expect.stringMatching(/1 socket\(s\) had no visible owner/)]);
  });

  it('reads the older -s layout that leaves PATH STATE blank for TCP', () => {
    const text = `${HEADER_S}\nroot     sshd       922   4  tcp4   192.168.5.2:22        192.168.5.4:55525                  FIN_WAIT_2`;
    expect(parseSockstat(text, 'x').rows[0]).toMatchObject({ state: 'FIN_WAIT_2', pid: 922 });
  });

  it('marks "?" owners hidden, reads tcp46 as IPv6 and toe4 (TCP offload) as TCP', () => {
    const text = [
      'USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS',
      '?        ?          ?     ?  tcp4   10.0.0.1:2049         10.0.0.7:800',
      'www      nginx      1200  6  tcp46  *:443                 *:*',
      'www      nginx      1200  7  toe4   10.0.0.1:443          10.0.0.9:51515',
    ].join('\n');
    const rows = parseSockstat(text, 'x').rows;
    expect(rows[0]).toMatchObject({ pid: null, process: null, owner: 'hidden', state: 'ESTABLISHED' });
    expect(rows[1]).toEqual(row('nginx', 1200, 'ipv6', ['::', 443], ['::', 0], 'LISTEN', 'www'));
    expect(rows[2]).toMatchObject({ family: 'ipv4', remote: ep('10.0.0.9', 51515) });
  });

  it('throws a ParseError with the line number for an unknown state', () => {
    const text = `${HEADER_S}\nroot     sshd       922   4  tcp4   192.168.5.2:22        192.168.5.4:55525     ??           SORTA_OPEN`;
    expect(() => parseSockstat(text, 'x')).toThrow(ParseError);
    expect(() => parseSockstat(text, 'x')).toThrow(/line 2: unknown TCP state "SORTA_OPEN"/);
  });

  it('throws a ParseError for a tcp row with a broken endpoint', () => {
    expect(() => parseSockstat('root sshd 922 4 tcp4 192.168.5.2 *:*', 'x')).toThrow(ParseError);
  });
});

const OTHER_FOLDERS = ['macos-netstat', 'lsof', 'windows-netstat', 'linux-ss', 'linux-netstat', 'linux-proc-net-tcp', 'windows-get-nettcpconnection', 'netsh-excludedportrange', 'netsh-dynamicport'];

describe('looksLikeSockstat', () => {
  it.each(OTHER_FOLDERS)('is false for every sample in %s', (folder) => {
    for (const name of fixtureNames(folder)) expect([name, looksLikeSockstat(fixture(folder, name))]).toEqual([name, false]);
  });
});

const SAMPLES = fixtureNames(FOLDER).map((n) => fixture(FOLDER, n));

const parseOrParseError = (text: string): unknown => orParseError(() => parseSockstat(text, 'input'));

describe('parseSockstat never crashes', () => {
  it('on random text and on real samples with lines dropped, duplicated, swapped or cut', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => void parseOrParseError(`root sshd 1 2 tcp4 ${s}\n${s}`)), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 8 })), { maxLength: 6 }), (text, edits) => {
        const lines = text.split('\n');
        for (const [a, b, junk] of edits) {
          const i = a % lines.length;
          const line = lines[i]!;
          const cut = b % (line.length + 1);
          lines[i] = b % 3 === 0 ? line.slice(0, cut) : b % 3 === 1 ? `${line.slice(0, cut)}${junk}${line.slice(cut)}` : lines[b % lines.length]!;
        }
        void parseOrParseError(lines.join('\n'));
      }),
      { numRuns: 1500 },
    );
  });
});
