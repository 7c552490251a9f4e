// lsof parser against real captured output (test/fixtures/lsof/SOURCES says where each came from).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeLsof, parseLsof } from '../../src/os/parse/lsof.js';
import { ParseError } from '../../src/os/parse/text.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { orParseError } from '../helpers/or-parse-error.js';
import { itReadsEverySample } from '../helpers/sample-tables.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const FOLDER = 'lsof';
/** An endpoint; "name" marks a host name (lsof without -n). */
const ep = (address: string, port: number, kind?: 'name') => ({ address, port, ...(kind ? { addressIsName: true as const } : {}) });

/** A row as lsof gives it: always an owner and its user, never queues (without -T q). */
function row(process: string, pid: number, family: 'ipv4' | 'ipv6', local: [string, number, 'name'?], remote: [string, number, 'name'?], state: SocketRow['state'], user: string): SocketRow {
  return { protocol: 'tcp', family, local: ep(...local), remote: ep(...remote), state, pid, process, owner: 'found', user };
}

interface Want {
  count: number;
  states: Record<string, number>;
  rows: Array<[number, SocketRow]>;
  notes: RegExp[];
}

const WANT: Record<string, Want> = {
  'linux-gentoo-lsof-nP-iTCP-sTCP-LISTEN.txt': {
    count: 7,
    states: { LISTEN: 7 },
    rows: [
      [0, row('systemd', 1, 'ipv6', ['::', 16509], ['::', 0], 'LISTEN', 'root')],
      [1, row('systemd-r', 1063, 'ipv4', ['0.0.0.0', 5355], ['0.0.0.0', 0], 'LISTEN', 'systemd-resolve')],
      [3, row('systemd-r', 1063, 'ipv4', ['127.0.0.53', 53], ['0.0.0.0', 0], 'LISTEN', 'systemd-resolve')],
      [-1, row('sshd', 1096, 'ipv6', ['::', 50022], ['::', 0], 'LISTEN', 'root')],
    ],
    notes: [],
  },
  'linux-lsof-E-ipv6-loopback-with-warning.txt': {
    count: 1,
    states: { ESTABLISHED: 1 },
    rows: [[0, row('ssh', 1070, 'ipv6', ['::1', 53442], ['::1', 22], 'ESTABLISHED', 'yamato')]],
    notes: [/lsof printed warnings.*incomplete/],
  },
  // 31 rows, 3 of them UDP. sshd 1915 and 2017 share one socket (DEVICE 14683): both stay.
  'linux-ubuntu-24.04-lsof-i-P-n.txt': {
    count: 28,
    states: { LISTEN: 22, ESTABLISHED: 6 },
    rows: [
      [0, row('systemd', 1, 'ipv4', ['0.0.0.0', 22], ['0.0.0.0', 0], 'LISTEN', 'root')],
      [3, row('node_expo', 716, 'ipv6', ['::', 9100], ['::', 0], 'LISTEN', 'node_exporter')],
      // An IPv6 socket carrying IPv4: lsof prints plain IPv4 addresses, which decide the family.
      [4, row('node_expo', 716, 'ipv4', ['127.0.0.1', 9100], ['127.0.0.1', 52354], 'ESTABLISHED', 'node_exporter')],
      [7, row('prometheu', 724, 'ipv4', ['127.0.0.1', 52354], ['127.0.0.1', 9100], 'ESTABLISHED', 'prometheus')],
      [11, row('java', 815, 'ipv6', ['::', 8080], ['::', 0], 'LISTEN', 'tomcat')],
      [-2, row('sshd', 1915, 'ipv4', ['10.24.82.214', 22], ['10.24.82.23', 52755], 'ESTABLISHED', 'root')],
      [-1, row('sshd', 2017, 'ipv4', ['10.24.82.214', 22], ['10.24.82.23', 52755], 'ESTABLISHED', 'senac')],
    ],
    notes: [],
  },
  // No -n: "localhost" instead of 127.0.0.1/::1 (kept as printed); -P kept the ports numeric.
  'macos-lsof-PiTCP-sTCP-LISTEN-no-n.txt': {
    count: 13,
    states: { LISTEN: 13 },
    rows: [
      [0, row('idea', 369, 'ipv6', ['localhost', 50807, 'name'], ['::', 0], 'LISTEN', 'ouyang')],
      [5, row('clashr-da', 469, 'ipv4', ['localhost', 4780, 'name'], ['0.0.0.0', 0], 'LISTEN', 'ouyang')],
      [8, row('com.docke', 1125, 'ipv6', ['::', 6379], ['::', 0], 'LISTEN', 'ouyang')],
      [-1, row('node', 33784, 'ipv6', ['::', 35729], ['::', 0], 'LISTEN', 'ouyang')],
    ],
    notes: [/host or service names.*lsof -nP -iTCP/],
  },
  // 10 rows, 4 of them UDP.
  'macos-lsof-Pn-i4.txt': {
    count: 6,
    states: { CLOSE_WAIT: 6 },
    rows: [
      [0, row('Google', 715, 'ipv4', ['127.0.0.1', 62722], ['127.0.0.1', 4780], 'CLOSE_WAIT', 'ouyang')],
      [-1, row('Google', 715, 'ipv4', ['127.0.0.1', 62748], ['127.0.0.1', 4780], 'CLOSE_WAIT', 'ouyang')],
    ],
    notes: [],
  },
};


describe('lsof samples', () => {
  itReadsEverySample(FOLDER, WANT, { looksLike: looksLikeLsof, parse: parseLsof }, (table, want) => {
    expect(table.rows.every((r) => r.owner === 'found' && r.pid !== null)).toBe(true);
    expect(table.notes).toHaveLength(want.notes.length);
    want.notes.forEach((re, i) => expect(table.notes[i]).toMatch(re));
  });

  it('keeps one row per process for the apache2 listeners that share sockets', () => {
    const rows = parseLsof(fixture(FOLDER, 'linux-ubuntu-24.04-lsof-i-P-n.txt'), 'x').rows;
    expect(rows.filter((r) => r.local.port === 80).map((r) => r.pid)).toEqual([756, 947, 948, 949, 953, 954]);
  });

  it('gives the same result for CRLF text and a BOM', () => {
    for (const name of fixtureNames(FOLDER)) {
      const text = fixture(FOLDER, name);
      expect(parseLsof(text.replace(/\n/g, '\r\n'), name)).toEqual(parseLsof(text, name));
      expect(parseLsof(`\uFEFF${text}`, name)).toEqual(parseLsof(text, name));
    }
  });

  it('unescapes COMMAND and reads bracketed IPv6 with zone ids', () => {
    const text = [
      'COMMAND     PID USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME',
      'Google\\x20Ch  715 me   37u  IPv6 0x9cef8317977c12a5      0t0  TCP [fe80::1%lo0]:631->[fe80::2%lo0]:52000 (ESTABLISHED)',
      'postgres    901 me    7u  IPv6 0x9cef8317977c12a6      0t0  TCP [::1]:5432 (LISTEN)',
    ].join('\n');
    const rows = parseLsof(text, 'x').rows;
    expect(rows[0]).toEqual(row('Google Ch', 715, 'ipv6', ['fe80::1%lo0', 631], ['fe80::2%lo0', 52000], 'ESTABLISHED', 'me'));
    expect(rows[1]).toEqual(row('postgres', 901, 'ipv6', ['::1', 5432], ['::', 0], 'LISTEN', 'me'));
  });

  it('reads Linux rows with TID/TASKCMD columns and -T state items', () => {
    const text = [
      'COMMAND    PID   TID TASKCMD USER   FD   TYPE DEVICE SIZE/OFF NODE NAME',
      'node      4242             me     21u  IPv4  99001      0t0  TCP *:3000 (LISTEN QR=3 QS=0)',
      'node      4242             me     22u  IPv4  99002      0t0  TCP 127.0.0.1:3000->127.0.0.1:40000 (ST=ESTABLISHED QR=10 QS=20)',
    ].join('\n');
    const rows = parseLsof(text, 'x').rows;
    expect(rows[0]).toMatchObject({ state: 'LISTEN', pid: 4242, acceptQueue: { length: 3, max: null } });
    expect(rows[1]).toMatchObject({ state: 'ESTABLISHED', recvQ: 10, sendQ: 20 });
  });

  it('maps well-known service names; a row with an unknown one is not read, and noted', () => {
    const text = [
      'COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME',
      'node    100 me   3u IPv6 0x1    0t0      TCP  *:hbci (LISTEN)',
      'curl    101 me   4u IPv4 0x2    0t0      TCP  mbp.lan:54321->lb-140-82-112-25-iad.github.com:https (ESTABLISHED)',
      'odd     102 me   5u IPv4 0x3    0t0      TCP  *:no-such-service (LISTEN)',
    ].join('\n');
    const table = parseLsof(text, 'x');
    expect(table.rows.map((r) => [r.local, r.remote])).toEqual([
      [ep('::', 3000), ep('::', 0)],
      [ep('mbp.lan', 54321, 'name'), ep('lb-140-82-112-25-iad.github.com', 443, 'name')],
    ]);
    expect(table.notes).toEqual([expect.stringMatching(/1 row\(s\) with unknown service names \(no-such-service\)/), expect.stringMatching(/^x line 4: not read: a service name tcpdiag does not know/)]);
  });

  it('refuses a bad pid, and reports rows cut short instead of dropping them', () => {
    const head = 'COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\n';
    expect(() => parseLsof(`${head}node 0x10 me 3u IPv4 0x1 0t0 TCP *:80 (LISTEN)`, 'x')).toThrow(/line 2: PID "0x10" is not a whole decimal number/);
    const t = parseLsof(`${head}node 1 me 3u IPv4 0x1 0t0 TCP *:80 (LISTEN)\nnode 2 me 4u IPv4 0x2\nnode 3 me 5u\nnode 4 me 6u IPv4 0x3 0t0 TCP *:81`, 'x');
    expect(t.rows.map((r) => r.pid)).toEqual([1]);
    expect(t.notes.filter((n) => n.includes('not read')).map((n) => n.replace(/: ".*/, ''))).toEqual([
      'x line 3: not read: a row cut short before its NODE (TCP, UDP) column',
      'x line 4: not read: a row cut short before its TYPE (IPv4/IPv6) column',
      'x line 5: not read: a TCP row without its state in parentheses (cut short, or lsof -T without "s")',
    ]);
  });

  it('throws a ParseError with the line number for an unknown state', () => {
    const text = 'COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nnode 1 me 3u IPv4 0x1 0t0 TCP *:80 (HALF_OPEN)';
    expect(() => parseLsof(text, 'x')).toThrow(ParseError);
    expect(() => parseLsof(text, 'x')).toThrow(/line 2: unknown TCP state "HALF_OPEN"/);
  });
});

const OTHER_FOLDERS = ['macos-netstat', 'freebsd-sockstat', 'windows-netstat', 'linux-ss', 'linux-netstat', 'linux-proc-net-tcp', 'windows-get-nettcpconnection', 'netsh-excludedportrange', 'netsh-dynamicport'];

describe('looksLikeLsof', () => {
  it.each(OTHER_FOLDERS)('is false for every sample in %s', (folder) => {
    for (const name of fixtureNames(folder)) expect([name, looksLikeLsof(fixture(folder, name))]).toEqual([name, false]);
  });
});

const SAMPLES = fixtureNames(FOLDER).map((n) => fixture(FOLDER, n));

const parseOrParseError = (text: string): unknown => orParseError(() => parseLsof(text, 'input'));

describe('parseLsof never crashes', () => {
  it('on random text and on real samples with lines dropped, duplicated, swapped or cut', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => void parseOrParseError(`node 1 me 3u IPv4 0x1 0t0 TCP ${s}\n${s}`)), { numRuns: 1000 });
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
