// Windows netstat parser against real captured output in seven languages
// (test/fixtures/windows-netstat/SOURCES says where each came from). Every
// expectation below was read off the sample by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnerStatus, SocketRow } from '../../src/os/sockets.js';
import type { TcpState } from '../../src/os/tcp-states.js';
import { looksLikeGetNetTcpConnection } from '../../src/os/parse/get-nettcpconnection.js';
import { ParseError } from '../../src/os/parse/text.js';
import { looksLikeWindowsNetstat, parseWindowsNetstat } from '../../src/os/parse/windows-netstat.js';
import { orParseError } from '../helpers/or-parse-error.js';
import { itReadsEverySample } from '../helpers/sample-tables.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const FOLDER = 'windows-netstat';

/** A host name as netstat printed it (no -n): the row keeps it as the address and marks it. */
const host = (name: string) => ({ host: name });
type Address = string | { host: string };
const endpoint = (a: Address, port: number) => (typeof a === 'string' ? { address: a, port } : { address: a.host, port, addressIsName: true as const });

function row(local: Address, localPort: number, remote: Address, remotePort: number, state: TcpState, pid: number | null, owner: OwnerStatus, process: string | null = null): SocketRow {
  return {
    protocol: 'tcp',
    family: typeof local === 'string' && local.includes(':') ? 'ipv6' : 'ipv4',
    local: endpoint(local, localPort),
    remote: endpoint(remote, remotePort),
    state,
    pid,
    process,
    owner,
  };
}

const RESOLVED_NOTE = 'netstat printed host and service names instead of numbers (run without -n): host names are kept as the address (addressIsName) and service names mapped to their ports; `netstat -ano` prints numbers and PIDs';
const udpNote = (n: number) => `${n} UDP row(s) skipped: only TCP is read`;

interface Want {
  count: number;
  states: Partial<Record<TcpState, number>>;
  /** Rows by their index in the result. */
  rows: Record<number, SocketRow>;
  notes: string[];
  /** How many rows a -b bracket line named. */
  withProcess?: number;
}

const NA = 'not-collected';

const WANT: Record<string, Want> = {
  'en-ano-win7.txt': {
    count: 23,
    states: { LISTEN: 22, ESTABLISHED: 1 },
    rows: {
      0: row('0.0.0.0', 21, '0.0.0.0', 0, 'LISTEN', 1128, 'found'),
      11: row('10.10.10.98', 23, '10.10.14.14', 54200, 'ESTABLISHED', 1244, 'found'),
      12: row('::', 21, '::', 0, 'LISTEN', 1128, 'found'),
      22: row('::', 49156, '::', 0, 'LISTEN', 484, 'found'),
    },
    notes: [udpNote(8)],
  },
  'de-an-localized-states-cp850-mojibake.txt': {
    count: 92,
    states: { LISTEN: 20, ESTABLISHED: 56, FIN_WAIT_2: 4, CLOSE_WAIT: 7, TIME_WAIT: 5 },
    rows: {
      // "ABH™REN": ABHÖREN in CP850 read as Windows-1252.
      0: row('0.0.0.0', 102, '0.0.0.0', 0, 'LISTEN', null, NA),
      // Row after the first "    ..." cut.
      6: row('127.0.0.1', 44080, '127.0.0.1', 49918, 'ESTABLISHED', null, NA),
      9: row('127.0.0.1', 44080, '127.0.0.1', 51244, 'FIN_WAIT_2', null, NA),
      // WARTEND, the first row after the second cut.
      47: row('127.0.0.1', 51231, '127.0.0.1', 44080, 'TIME_WAIT', null, NA),
      51: row('127.0.0.1', 51244, '127.0.0.1', 44080, 'CLOSE_WAIT', null, NA),
      74: row('::', 135, '::', 0, 'LISTEN', null, NA),
      91: row('::1', 49370, '::1', 22350, 'ESTABLISHED', null, NA),
    },
    notes: [udpNote(6), 'the text has 4 cut mark(s) ("..."): rows may be missing there'],
  },
  'zh-cn-ano.txt': {
    count: 45,
    states: { LISTEN: 26, ESTABLISHED: 9, FIN_WAIT_1: 2, LAST_ACK: 6, CLOSE_WAIT: 1, TIME_WAIT: 1 },
    rows: {
      0: row('0.0.0.0', 135, '0.0.0.0', 0, 'LISTEN', 1028, 'found'),
      23: row('192.168.31.208', 4571, '111.231.211.246', 443, 'FIN_WAIT_1', 9324, 'found'),
      27: row('192.168.31.208', 4596, '223.85.58.79', 443, 'CLOSE_WAIT', 9324, 'found'),
      // TIME_WAIT under PID 0 (System Idle): no owner.
      34: row('192.168.31.208', 4617, '140.205.33.7', 443, 'TIME_WAIT', null, 'none'),
      44: row('::', 49667, '::', 0, 'LISTEN', 1316, 'found'),
    },
    // The [fe80::...%16] rows of this sample are UDP.
    notes: [udpNote(41)],
  },
  'ja-ano.txt': {
    count: 5,
    states: { LISTEN: 5 },
    rows: {
      0: row('0.0.0.0', 21, '0.0.0.0', 0, 'LISTEN', 12636, 'found'),
      4: row('0.0.0.0', 1433, '0.0.0.0', 0, 'LISTEN', 4268, 'found'),
    },
    notes: [],
  },
  'ko-na.txt': {
    count: 114,
    states: { LISTEN: 30, ESTABLISHED: 50, CLOSE_WAIT: 33, TIME_WAIT: 1 },
    rows: {
      0: row('0.0.0.0', 135, '0.0.0.0', 0, 'LISTEN', null, NA),
      10: row('127.0.0.1', 5939, '127.0.0.1', 49957, 'ESTABLISHED', null, NA),
      99: row('192.168.10.98', 51542, '125.209.226.239', 443, 'TIME_WAIT', null, NA),
      // IPv6 link-local with zone id 11.
      113: row('fe80::eda1:c483:93c5:7f53%11', 2030, '::', 0, 'LISTEN', null, NA),
    },
    notes: [udpNote(29)],
  },
  'es-plain-no-n-resolved-names.txt': {
    count: 7,
    states: { ESTABLISHED: 4, TIME_WAIT: 3 },
    rows: {
      0: row('127.0.0.1', 1521, host('DESKTOP-IGG1O7P'), 50298, 'ESTABLISHED', null, NA),
      2: row('192.168.0.55', 49694, '40.67.254.36', 443, 'ESTABLISHED', null, NA),
      3: row('192.168.0.55', 50289, host('MINI-PC'), 139, 'TIME_WAIT', null, NA),
      // Family from the local address: the remote is a host name.
      5: row('fe80::c9ee:eb4d:5f0b:a64f%4', 1521, host('DESKTOP-IGG1O7P'), 50297, 'TIME_WAIT', null, NA),
      6: row('fe80::c9ee:eb4d:5f0b:a64f%4', 50297, host('DESKTOP-IGG1O7P'), 1521, 'TIME_WAIT', null, NA),
    },
    notes: [RESOLVED_NOTE],
  },
  'fr-abo-process-names-no-n.txt': {
    count: 70,
    states: { LISTEN: 37, ESTABLISHED: 32, CLOSE_WAIT: 1 },
    withProcess: 53,
    rows: {
      // Followed by "Impossible d’obtenir les informations de propriétaire".
      0: row('0.0.0.0', 80, host('LAPTOP-DPNRPKUF'), 0, 'LISTEN', 4, 'found'),
      // "RpcSs" (component) then "[svchost.exe]".
      1: row('0.0.0.0', 135, host('LAPTOP-DPNRPKUF'), 0, 'LISTEN', 104, 'found', 'svchost.exe'),
      26: row('127.0.0.1', 15292, host('LAPTOP-DPNRPKUF'), 0, 'LISTEN', 20180, 'found', 'Adobe Desktop Service.exe'),
      39: row('192.168.1.41', 25523, host('a23-54-61-109'), 443, 'CLOSE_WAIT', 16948, 'found', 'Microsoft.Msn.News.exe'),
      // "47:https": netstat without -f prints the first DNS label only.
      43: row('192.168.1.41', 27523, host('47'), 443, 'ESTABLISHED', 11660, 'found', 'Discord.exe'),
      48: row('192.168.1.41', 29114, '52.97.233.34', 993, 'ESTABLISHED', 10172, 'found', 'svchost.exe'),
      51: row('192.168.1.41', 29336, host('58'), 4070, 'ESTABLISHED', 20048, 'found', 'Spotify.exe'),
      69: row('192.168.1.41', 29452, '151.101.122.248', 443, 'ESTABLISHED', 9832, 'found'),
    },
    notes: [RESOLVED_NOTE],
  },
  'fr-anb-process-names.txt': {
    count: 179,
    states: { LISTEN: 35, ESTABLISHED: 29, LAST_ACK: 3, SYN_SENT: 1, TIME_WAIT: 111 },
    withProcess: 52,
    rows: {
      0: row('0.0.0.0', 135, '0.0.0.0', 0, 'LISTEN', null, NA, 'svchost.exe'),
      1: row('0.0.0.0', 445, '0.0.0.0', 0, 'LISTEN', null, NA),
      // Two TIME_WAIT rows (no -b block), then a row whose block names msedge.exe.
      24: row('10.33.51.143', 60742, '204.79.197.239', 443, 'TIME_WAIT', null, NA),
      25: row('10.33.51.143', 60743, '204.79.197.239', 443, 'TIME_WAIT', null, NA),
      26: row('10.33.51.143', 60746, '20.199.120.182', 443, 'ESTABLISHED', null, NA, 'msedge.exe'),
      157: row('10.33.51.143', 60939, '52.97.135.50', 443, 'SYN_SENT', null, NA, 'SearchHost.exe'),
      166: row('::', 135, '::', 0, 'LISTEN', null, NA, 'svchost.exe'),
      178: row('::1', 49670, '::', 0, 'LISTEN', null, NA, 'jhi_service.exe'),
    },
    notes: [udpNote(3)],
  },
};


describe('windows netstat', () => {
  itReadsEverySample(FOLDER, WANT, { looksLike: looksLikeWindowsNetstat, parse: parseWindowsNetstat }, (table, want) => {
    expect(table.rows.filter((r) => r.process !== null)).toHaveLength(want.withProcess ?? 0);
    expect(table.notes).toEqual(want.notes);
  });

  it('never names the owner of a TIME_WAIT row from a -b block', () => {
    const rows = parseWindowsNetstat(fixture(FOLDER, 'fr-anb-process-names.txt'), 'x').rows;
    expect(rows.filter((r) => r.state === 'TIME_WAIT' && r.process !== null)).toEqual([]);
  });

  it('gives the same result for CRLF text and a BOM (as saved on Windows)', () => {
    for (const name of fixtureNames(FOLDER)) {
      const text = fixture(FOLDER, name);
      const lf = parseWindowsNetstat(text, name);
      expect(parseWindowsNetstat(text.replace(/\n/g, '\r\n'), name)).toEqual(lf);
      expect(parseWindowsNetstat(`\uFEFF${text}`, name)).toEqual(lf);
    }
  });

  it('turns a *:* remote into the wildcard of the family', () => {
    const rows = parseWindowsNetstat('  TCP    [::1]:80    *:*    LISTENING    7\n  TCP    127.0.0.1:80    *:*    LISTENING    7', 'x').rows;
    expect(rows.map((r) => r.remote)).toEqual([{ address: '::', port: 0 }, { address: '0.0.0.0', port: 0 }]);
  });

  it('refuses a state it does not know, naming the line', () => {
    const text = 'Active Connections\n\n  Proto  Local Address  Foreign Address  State  PID\n  TCP    0.0.0.0:135    0.0.0.0:0        NASLUCHIWANIE  696\n';
    expect(() => parseWindowsNetstat(text, 'x')).toThrow(ParseError);
    expect(() => parseWindowsNetstat(text, 'x')).toThrow('windows netstat: line 4: unknown state "NASLUCHIWANIE"');
  });

  it('refuses a TCP row with a value that cannot be true: broken endpoint, bad address, PID not a decimal number', () => {
    for (const line of ['TCP 0.0.0.0 0.0.0.0:0 LISTENING 4', 'TCP 0.0.0.0:135 0.0.0.0:0 LISTENING x4', 'TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 0x10', 'TCP 999.999.999.999:135 0.0.0.0:0 LISTENING 4', 'TCP [gggg::1]:135 [::]:0 LISTENING 4', 'TCP []:50000 [::]:0 LISTENING 4', 'TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 99999999999999999999']) {
      expect(() => parseWindowsNetstat(line, 'x'), line).toThrow(ParseError);
    }
  });

  it('reports a row cut short or with a field too many as not read, and reads the rest', () => {
    const table = parseWindowsNetstat('  TCP    0.0.0.0:135    0.0.0.0:0\n  TCP    0.0.0.0:445    0.0.0.0:0    LISTENING    extra    4\n  TCP    0.0.0.0:80    0.0.0.0:0    LISTENING    4', 'x');
    expect(table.rows.map((r) => r.local.port)).toEqual([80]);
    expect(table.notes).toEqual([expect.stringMatching(/^x line 1: not read: a TCP row cut short/), expect.stringMatching(/^x line 2: not read: 6 fields/)]);
  });

  describe('rows a narrow console or a mail client wrapped (built from real samples)', () => {
    const ano = fixture(FOLDER, 'en-ano-win7.txt');
    const abo = fixture(FOLDER, 'fr-abo-process-names-no-n.txt');
    /** Every TCP row's last `n` words moved onto a line of their own, as a wrap leaves them. */
    const wrapEvery = (text: string, n: number, between = '') =>
      text.replace(new RegExp(`^(\\s*TCP\\s.*?)((?:\\s+\\S+){${n}})$`, 'gm'), (_, head: string, tail: string) => `${head}\n${between}${tail.trimStart()}`);

    it('a PID alone on the next line is the row\'s PID (the trial: 0.0.0.0:135 lost pid 696)', () => {
      // The eighth line, "TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 696", with its PID wrapped.
      const lines = ano.split('\n');
      expect(lines[7]).toMatch(/0\.0\.0\.0:135 .* 696$/);
      lines.splice(7, 1, lines[7]!.slice(0, lines[7]!.lastIndexOf('LISTENING') + 'LISTENING'.length), '696');
      const table = parseWindowsNetstat(lines.join('\n'), 'x');
      expect(table).toEqual(parseWindowsNetstat(ano, 'x'));
      expect(table.rows.find((r) => r.local.port === 135 && r.family === 'ipv4')).toMatchObject({ pid: 696, owner: 'found' });
    });

    it.each([
      ['every PID wrapped', 1, ''],
      ['every state and PID wrapped', 2, ''],
      ['everything after the local address wrapped', 3, ''],
      ['every PID wrapped, with a blank line between', 1, '\n'],
    ])('%s: the same table as unwrapped, nothing unread', (_, n, between) => {
      const wrapped = wrapEvery(ano, n, between);
      expect(wrapped.split('\n').length).toBeGreaterThan(ano.split('\n').length + 20);
      expect(parseWindowsNetstat(wrapped, 'x')).toEqual(parseWindowsNetstat(ano, 'x'));
    });

    it('-abo: a wrapped PID is joined, and the -b lines under the row still name its process', () => {
      const table = parseWindowsNetstat(wrapEvery(abo, 1), 'x');
      expect(table).toEqual(parseWindowsNetstat(abo, 'x'));
      expect(table.rows.find((r) => r.local.port === 135)).toMatchObject({ pid: 104, process: 'svchost.exe' });
    });

    it('-anb (no PID column): a -b component line is not taken for a wrapped end', () => {
      const anb = fixture(FOLDER, 'fr-anb-process-names.txt');
      const table = parseWindowsNetstat(anb, 'x');
      expect(table.rows.filter((r) => r.process !== null).length).toBeGreaterThan(0);
      expect(table.rows.every((r) => r.pid === null && r.owner === NA)).toBe(true);
      expect(table.notes.filter((n) => /not read/.test(n))).toEqual([]);
    });

    it('a PID with no row before it that lacks one is reported as not read, and the rest is read', () => {
      const lines = ano.split('\n');
      lines.splice(8, 0, '696');
      const table = parseWindowsNetstat(lines.join('\n'), 'x');
      expect(table.rows).toEqual(parseWindowsNetstat(ano, 'x').rows);
      expect(table.notes.filter((n) => /not read/.test(n))).toEqual(['x line 9: not read: the end of a row (its PID) a wrap moved onto its own line, without a row before it that lacks it: "696"']);
    });

    it('a state and PID after a row that has both is reported as not read', () => {
      const lines = ano.split('\n');
      lines.splice(8, 0, '    LISTENING       696');
      expect(parseWindowsNetstat(lines.join('\n'), 'x').notes.filter((n) => /not read/.test(n))).toEqual([expect.stringMatching(/^x line 9: not read: the end of a row \(its PID\)/)]);
    });

    it('a row cut short whose end never comes is reported as not read at its own line, also as the last line', () => {
      const lines = ano.trimEnd().split('\n');
      const cut = (l: string) => l.slice(0, l.indexOf('LISTENING')).trimEnd();
      // Line 8 (0.0.0.0:135) cut before its state, and a copy of line 9 (0.0.0.0:445) cut the same way as the input's last line.
      const text = [...lines.slice(0, 7), cut(lines[7]!), ...lines.slice(8), cut(lines[8]!)].join('\n');
      const table = parseWindowsNetstat(text, 'x');
      expect(table.rows).toEqual(parseWindowsNetstat(ano, 'x').rows.filter((r) => !(r.family === 'ipv4' && r.local.port === 135)));
      expect(table.notes.filter((n) => /not read/.test(n))).toEqual([`x line 8: not read: a TCP row cut short (3 of "TCP local remote state [pid]")`, `x line ${lines.length + 1}: not read: a TCP row cut short (3 of "TCP local remote state [pid]")`]);
    });
  });

  it('reads what -b printed when a paste joined it onto the row: the image in brackets is the process', () => {
    const table = parseWindowsNetstat('  TCP    127.0.0.1:5354    XPSDESKTOP:0    LISTENING    5788 [mDNSResponder.exe]\n  TCP    127.0.0.1:12025    XPSDESKTOP:0    LISTENING    4512 Can not obtain ownership information', 'x');
    expect(table.rows.map((r) => [r.pid, r.process])).toEqual([[5788, 'mDNSResponder.exe'], [4512, null]]);
  });

  it('reports a row whose port is a service name it does not know as not read, with one note', () => {
    const table = parseWindowsNetstat('  TCP    10.0.0.2:50000    host:rdp-alt    ESTABLISHED\n  TCP    10.0.0.2:50001    host:http    ESTABLISHED', 'x');
    expect(table.rows.map((r) => r.remote)).toEqual([{ address: 'host', port: 80, addressIsName: true }]);
    expect(table.notes).toEqual([RESOLVED_NOTE.replace('; `netstat', '; 1 row(s) with service names tcpdiag does not know were not read; `netstat'), 'x line 1: not read: a service name tcpdiag does not know ("rdp-alt"): run netstat with -n: "TCP    10.0.0.2:50000    host:rdp-alt    ESTABLISHED"']);
  });

  it('ignores a bracket line that follows a UDP row', () => {
    const rows = parseWindowsNetstat('  TCP    0.0.0.0:1    0.0.0.0:0    LISTENING\n [a.exe]\n  UDP    0.0.0.0:2    *:*\n [b.exe]', 'x').rows;
    expect(rows.map((r) => r.process)).toEqual(['a.exe']);
  });

  it('does not take other formats for netstat', () => {
    for (const folder of ['windows-get-nettcpconnection', 'linux-ss', 'linux-netstat', 'linux-proc-net-tcp', 'lsof', 'macos-netstat', 'freebsd-sockstat', 'netsh-excludedportrange', 'netsh-dynamicport']) {
      for (const name of fixtureNames(folder)) expect(looksLikeWindowsNetstat(fixture(folder, name)), `${folder}/${name}`).toBe(false);
    }
    for (const name of fixtureNames(FOLDER)) expect(looksLikeGetNetTcpConnection(fixture(FOLDER, name)), name).toBe(false);
  });
});

const SAMPLES = fixtureNames(FOLDER).map((n) => fixture(FOLDER, n));

const parseOrParseError = (text: string): unknown => orParseError(() => parseWindowsNetstat(text, 'input'));

describe('windows netstat never crashes', () => {
  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => void parseOrParseError(s)), { numRuns: 1000 });
  });

  it('on text built from the pieces real outputs are made of', () => {
    const piece = fc.constantFrom('  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    696', '  TCP    [fe80::1%16]:139  [::]:0  ABH™REN', '  TCP  a:https  b:constructor  WARTEND  0', '  UDP    0.0.0.0:123    *:*    924', ' [chrome.exe]', '  RpcSs', '    ...', 'TCP', 'tcp [', 'TCP ]: [:]:99999 LISTENING', 'TCP *:* *:* CLOSED 99999999999', '[]', '');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => void parseOrParseError(lines.join(eol))), { numRuns: 1000 });
  });

  it('on real samples with lines dropped, duplicated, cut short or with a field changed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 8 })), { maxLength: 6 }), (text, edits) => {
        const lines = text.split('\n');
        for (const [at, kind, s] of edits) {
          const i = at % lines.length;
          const line = lines[i] ?? '';
          if (kind === 0) lines.splice(i, 1);
          else if (kind === 1) lines.splice(i, 0, line);
          else if (kind === 2) lines[i] = line.slice(0, at % (line.length + 1));
          else lines[i] = line.split(/(\s+)/).map((f, k) => (k === (at % 9) ? s : f)).join('');
        }
        void parseOrParseError(lines.join('\n'));
      }),
      { numRuns: 1500 },
    );
  });
});
