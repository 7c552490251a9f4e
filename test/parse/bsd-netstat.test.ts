// BSD/macOS netstat parser against real captured output
// (test/fixtures/macos-netstat/SOURCES says where each came from).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeBsdNetstat, parseBsdNetstat } from '../../src/os/parse/bsd-netstat.js';
import { ParseError } from '../../src/os/parse/text.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { orParseError } from '../helpers/or-parse-error.js';
import { itReadsEverySample } from '../helpers/sample-tables.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const FOLDER = 'macos-netstat';
/** An endpoint; "name" marks a host name (netstat without -n), "name-cut" one that fills netstat's 16-character host column. */
const ep = (address: string, port: number, kind?: 'name' | 'name-cut') => ({ address, port, ...(kind ? { addressIsName: true as const } : {}), ...(kind === 'name-cut' ? { addressCut: true as const } : {}) });
const v4 = (local: [string, number, ('name' | 'name-cut')?], remote: [string, number, ('name' | 'name-cut')?], state: SocketRow['state'], rest: Partial<SocketRow>): SocketRow => ({
  protocol: 'tcp', family: 'ipv4', local: ep(...local), remote: ep(...remote), state, pid: null, process: null, owner: 'not-collected', ...rest,
});
const found = (pid: number, process: string | null = null) => ({ pid, process, owner: 'found' as const });
const listening = { acceptQueue: { length: 0, max: null } };
const queues = (recvQ: number, sendQ: number) => ({ recvQ, sendQ });

interface Want {
  count: number;
  states: Record<string, number>;
  /** Full rows by index (negative: from the end). */
  rows: Array<[number, SocketRow]>;
  pids: Array<number | null>;
  notes: RegExp[];
}

const WANT: Record<string, Want> = {
  'macos-10.14-nv-tcp.txt': {
    count: 7,
    states: { ESTABLISHED: 5, CLOSE_WAIT: 2 },
    rows: [
      [0, v4(['192.168.1.191', 52044], ['31.13.66.35', 443], 'ESTABLISHED', { ...found(9811), ...queues(0, 0) })],
      [3, v4(['192.168.1.191', 52040], ['140.82.114.4', 443], 'CLOSE_WAIT', { ...found(9811), ...queues(24, 0) })],
      [-1, v4(['192.168.1.191', 52032], ['151.101.201.7', 443], 'ESTABLISHED', { ...found(9811), ...queues(0, 0) })],
    ],
    pids: Array(7).fill(9811),
    notes: [],
  },
  // No header: the pid is the 5th value after the state (rxbytes txbytes rhiwat shiwat pid), not rhiwat.
  'macos-15.1-natvln-rows-no-header.txt': {
    count: 4,
    states: { ESTABLISHED: 4 },
    rows: [
      [0, v4(['192.168.1.233', 52137], ['34.117.41.85', 443], 'ESTABLISHED', { ...found(2903), ...queues(0, 126) })],
      [-1, v4(['192.168.1.233', 52094], ['47.106.66.231', 443], 'ESTABLISHED', { ...found(74164), ...queues(0, 0) })],
    ],
    pids: [2903, 5767, 75236, 74164],
    notes: [],
  },
  'macos-26-anv-process-pid.txt': {
    count: 2,
    states: { ESTABLISHED: 2 },
    rows: [
      [0, v4(['127.0.0.1', 49515], ['127.0.0.1', 49472], 'ESTABLISHED', { ...found(22712, 'Autodesk Fusion'), ...queues(0, 0) })],
      [-1, v4(['127.0.0.1', 49510], ['127.0.0.1', 49513], 'ESTABLISHED', { ...found(22712, 'Autodesk Fusion'), ...queues(0, 0) })],
    ],
    pids: [22712, 22712],
    notes: [],
  },
  'macos-unknown-a-resolved-names.txt': {
    count: 20,
    states: { ESTABLISHED: 9, CLOSE_WAIT: 5, LISTEN: 6 },
    rows: [
      [0, v4(['192.168.217.104', 59253], ['live.github.com', 443, 'name'], 'ESTABLISHED', queues(0, 0))],
      // "n03.mail01.mtsvc.imap": the host fills the 16 characters netstat cuts it to.
      [3, v4(['192.168.217.104', 59010], ['n03.mail01.mtsvc', 143, 'name-cut'], 'ESTABLISHED', queues(0, 0))],
      [8, v4(['192.168.209.227', 59692], ['n03.mail01.mtsvc', 993, 'name-cut'], 'CLOSE_WAIT', queues(143, 0))],
      [10, v4(['0.0.0.0', 7477], ['0.0.0.0', 0], 'LISTEN', listening)],
      [18, v4(['localhost', 631, 'name'], ['0.0.0.0', 0], 'LISTEN', listening)],
      [-1, { ...v4(['localhost', 631, 'name'], ['::', 0], 'LISTEN', listening), family: 'ipv6' }],
    ],
    pids: Array(20).fill(null),
    notes: [/host and service names.*netstat -an -p tcp/, /11 address\(es\) fill the host column.*addressCut/, /without -v shows no owning processes/],
  },
  'macos-unknown-anvp-tcp-listen-old-layout.txt': {
    count: 13,
    states: { LISTEN: 13 },
    rows: [
      [0, { ...v4(['::', 35729], ['::', 0], 'LISTEN', { ...found(33784), ...listening }), family: 'ipv6' }],
      [2, v4(['127.0.0.1', 8000], ['0.0.0.0', 0], 'LISTEN', { ...found(24811), ...listening })],
      [3, { ...v4(['::', 3306], ['::', 0], 'LISTEN', { ...found(1125), ...listening }), family: 'ipv6' }],
      [-1, v4(['127.0.0.1', 4780], ['0.0.0.0', 0], 'LISTEN', { ...found(469), ...listening })],
    ],
    pids: [33784, 33784, 24811, 1125, 1125, 369, 384, 369, 384, 369, 469, 469, 469],
    notes: [],
  },
};


describe('BSD/macOS netstat samples', () => {
  itReadsEverySample(FOLDER, WANT, { looksLike: looksLikeBsdNetstat, parse: parseBsdNetstat }, (table, want) => {
    expect(table.rows.map((r) => r.pid)).toEqual(want.pids);
    expect(table.notes).toHaveLength(want.notes.length);
    want.notes.forEach((re, i) => expect(table.notes[i]).toMatch(re));
  });

  it('gives the same result for CRLF text and a BOM', () => {
    for (const name of fixtureNames(FOLDER)) {
      const text = fixture(FOLDER, name);
      expect(parseBsdNetstat(text.replace(/\n/g, '\r\n'), name)).toEqual(parseBsdNetstat(text, name));
      expect(parseBsdNetstat(`\uFEFF${text}`, name)).toEqual(parseBsdNetstat(text, name));
    }
  });

  it('reads the Tahoe process:pid layout from rows alone (header cut off by grep)', () => {
    const rows = fixture(FOLDER, 'macos-26-anv-process-pid.txt').split('\n').slice(2).join('\n');
    expect(parseBsdNetstat(rows, 'x').rows.map((r) => [r.pid, r.process])).toEqual([[22712, 'Autodesk Fusion'], [22712, 'Autodesk Fusion']]);
  });

  it('reads the old layout from rows alone (pid is the 3rd value, before 0x flags)', () => {
    const rows = fixture(FOLDER, 'macos-10.14-nv-tcp.txt').split('\n').slice(2).join('\n');
    expect(parseBsdNetstat(rows, 'x').rows.map((r) => r.pid)).toEqual(Array(7).fill(9811));
  });

  it('finds the pid by header name wherever the header puts it', () => {
    const text = [
      'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)          rxbytes      txbytes  rhiwat  shiwat    pid   epid state  options',
      'tcp4       0      0  *.22                   *.*                    LISTEN                 0            0  131072  131072      1      0 00002 00000006',
    ].join('\n');
    expect(parseBsdNetstat(text, 'x').rows[0]).toMatchObject({ pid: 1, owner: 'found', acceptQueue: { length: 0, max: null } });
  });

  it('reads IPv6 endpoints, zone ids and a tcp46 socket carrying IPv4', () => {
    const text = [
      'tcp6       0      0  fe80::1%lo0.631        *.*                    LISTEN',
      'tcp6       0     12  ::1.5432               ::1.61000              ESTABLISHED',
      'tcp46      0      0  10.0.0.5.443           10.0.0.9.51000         ESTABLISHED',
    ].join('\n');
    const rows = parseBsdNetstat(text, 'x').rows;
    expect(rows[0]).toMatchObject({ family: 'ipv6', local: ep('fe80::1%lo0', 631), remote: ep('::', 0) });
    expect(rows[1]).toMatchObject({ family: 'ipv6', local: ep('::1', 5432), remote: ep('::1', 61000), recvQ: 0, sendQ: 12 });
    expect(rows[2]).toMatchObject({ family: 'ipv4', local: ep('10.0.0.5', 443) });
  });

  it('skips udp rows and the UNIX-domain section of `netstat -a`', () => {
    const text = [
      'Active Internet connections (including servers)',
      'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)',
      'tcp4       0      0  *.22                   *.*                    LISTEN',
      'udp4       0      0  *.5353                 *.*',
      'Active LOCAL (UNIX) domain sockets',
      'Address          Type   Recv-Q Send-Q            Inode             Conn             Refs          Nextref Addr',
      'c8a4e1b2f0e0c4d1 stream      0      0                0 c8a4e1b2f0e0c3f9                0                0 /var/run/mDNSResponder',
    ].join('\n');
    expect(parseBsdNetstat(text, 'x').rows).toHaveLength(1);
  });

  it('reports rows with service names it does not know as not read, with one note', () => {
    const text = 'tcp4 0 0 mbp.lan.54321 example.org.gopher-x ESTABLISHED\ntcp4 0 0 mbp.lan.54322 example.org.fancy ESTABLISHED\ntcp4 0 0 mbp.lan.54323 example.org.https ESTABLISHED';
    const table = parseBsdNetstat(text, 'x');
    expect(table.rows.map((r) => [r.local, r.remote])).toEqual([[ep('mbp.lan', 54323, 'name'), ep('example.org', 443, 'name')]]);
    expect(table.notes.filter((n) => /service names tcpdiag does not know/.test(n))).toEqual([expect.stringMatching(/2 row\(s\).*gopher-x, fancy.*not read.*netstat -an/)]);
    expect(table.notes.filter((n) => /not read: a service name/.test(n))).toHaveLength(2);
  });

  it('throws a ParseError with the line number for an unknown state', () => {
    const text = 'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\ntcp4       0      0  *.22                   *.*                    LISTENING_HARD';
    expect(() => parseBsdNetstat(text, 'x')).toThrow(ParseError);
    expect(() => parseBsdNetstat(text, 'x')).toThrow(/line 2: unknown TCP state "LISTENING_HARD"/);
  });

  it('throws a ParseError for a value that cannot be true: a broken endpoint, a bad address, a huge queue', () => {
    expect(() => parseBsdNetstat('tcp4 0 0 *.99999 *.* LISTEN', 'x')).toThrow(/line 1/);
    expect(() => parseBsdNetstat('tcp4 0 0 999.999.999.999.22 *.* LISTEN', 'x')).toThrow(/line 1: "999.999.999.999" is not an IPv4 address/);
    expect(() => parseBsdNetstat('tcp4 9007199254740993 0 *.22 *.* LISTEN', 'x')).toThrow(/line 1: Recv-Q 9007199254740993 is too large/);
  });

  it('reports a tcp row without a state as not read, and reads the rest', () => {
    const t = parseBsdNetstat('tcp4 0 0 *.22 *.*\ntcp4 0 0 *.80 *.* LISTEN', 'x');
    expect(t.rows.map((r) => r.local.port)).toEqual([80]);
    expect(t.notes).toContainEqual(expect.stringMatching(/^x line 1: not read: a row cut short/));
  });
});

const OTHER_FOLDERS = ['lsof', 'freebsd-sockstat', 'windows-netstat', 'linux-ss', 'linux-netstat', 'linux-proc-net-tcp', 'windows-get-nettcpconnection', 'netsh-excludedportrange', 'netsh-dynamicport'];

describe('looksLikeBsdNetstat', () => {
  it.each(OTHER_FOLDERS)('is false for every sample in %s', (folder) => {
    for (const name of fixtureNames(folder)) expect([name, looksLikeBsdNetstat(fixture(folder, name))]).toEqual([name, false]);
  });
});

const SAMPLES = fixtureNames(FOLDER).map((n) => fixture(FOLDER, n));

const parseOrParseError = (text: string): unknown => orParseError(() => parseBsdNetstat(text, 'input'));

describe('parseBsdNetstat never crashes', () => {
  it('on random text and on real samples with lines dropped, duplicated, swapped or cut', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => void parseOrParseError(`tcp4 ${s}\n${s}`)), { numRuns: 1000 });
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
