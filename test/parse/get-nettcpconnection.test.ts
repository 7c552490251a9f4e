// Get-NetTCPConnection parser against real captured tables
// (test/fixtures/windows-get-nettcpconnection/SOURCES says where each came
// from). Every expectation below was read off the sample by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnerStatus, SocketRow } from '../../src/os/sockets.js';
import type { TcpState } from '../../src/os/tcp-states.js';
import { looksLikeGetNetTcpConnection, parseGetNetTcpConnection } from '../../src/os/parse/get-nettcpconnection.js';
import { ParseError } from '../../src/os/parse/text.js';
import { looksLikeWindowsNetstat } from '../../src/os/parse/windows-netstat.js';
import { itReadsEverySample } from '../helpers/sample-tables.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const FOLDER = 'windows-get-nettcpconnection';

function row(local: string, localPort: number, remote: string, remotePort: number, state: TcpState, pid: number | null, owner: OwnerStatus = pid === null ? 'none' : 'found'): SocketRow {
  return {
    protocol: 'tcp',
    family: local.includes(':') ? 'ipv6' : 'ipv4',
    local: { address: local, port: localPort },
    remote: { address: remote, port: remotePort },
    state,
    pid,
    process: null,
    owner,
  };
}

const WANT: Record<string, { count: number; states: Partial<Record<TcpState, number>>; rows: Record<number, SocketRow> }> = {
  'en-default-mixed-states-narrow.txt': {
    count: 12,
    states: { LISTEN: 10, TIME_WAIT: 1, ESTABLISHED: 1 },
    rows: {
      // Trailing blanks after the PID are in the source.
      0: row('::', 22, '::', 0, 'LISTEN', 1444),
      // TimeWait under OwningProcess 0: no owner.
      1: row('10.10.178.209', 49695, '199.232.26.172', 80, 'TIME_WAIT', null, 'none'),
      6: row('0.0.0.0', 49664, '0.0.0.0', 0, 'LISTEN', 672),
      // The only row with an AppliedSetting ("Internet").
      10: row('10.10.178.209', 22, '10.14.87.60', 53523, 'ESTABLISHED', 1444),
      11: row('0.0.0.0', 22, '0.0.0.0', 0, 'LISTEN', 1444),
    },
  },
  'en-listen-filtered-wide.txt': {
    count: 20,
    states: { LISTEN: 20 },
    rows: {
      0: row('::', 49676, '::', 0, 'LISTEN', 728),
      10: row('::', 135, '::', 0, 'LISTEN', 852),
      11: row('0.0.0.0', 49676, '0.0.0.0', 0, 'LISTEN', 728),
      18: row('10.10.68.87', 139, '0.0.0.0', 0, 'LISTEN', 4),
      19: row('0.0.0.0', 135, '0.0.0.0', 0, 'LISTEN', 852),
    },
  },
};


const HEADER = 'LocalAddress LocalPort RemoteAddress RemotePort State AppliedSetting OwningProcess\n------------ --------- ------------- ---------- ----- -------------- -------------\n';

describe('Get-NetTCPConnection', () => {
  itReadsEverySample(FOLDER, WANT, { looksLike: looksLikeGetNetTcpConnection, parse: parseGetNetTcpConnection }, (table) => {
    expect(table.notes).toEqual([]);
  });

  it('gives the same result for CRLF text and a BOM', () => {
    for (const name of fixtureNames(FOLDER)) {
      const text = fixture(FOLDER, name);
      const lf = parseGetNetTcpConnection(text, name);
      expect(parseGetNetTcpConnection(text.replace(/\n/g, '\r\n'), name)).toEqual(lf);
      expect(parseGetNetTcpConnection(`\uFEFF${text}`, name)).toEqual(lf);
    }
  });

  it('reads the states no sample shows (Bound stays BOUND) and keeps zone ids', () => {
    const text = `${HEADER}fe80::1c2d:3e4f:5a6b:7c8d%16 139 :: 0 Bound 4\n127.0.0.1 5000 127.0.0.1 6000 CloseWait 77\n10.0.0.1 80 10.0.0.2 5555 DeleteTCB Internet 0\n`;
    expect(parseGetNetTcpConnection(text, 'x').rows).toEqual([
      row('fe80::1c2d:3e4f:5a6b:7c8d%16', 139, '::', 0, 'BOUND', 4),
      row('127.0.0.1', 5000, '127.0.0.1', 6000, 'CLOSE_WAIT', 77),
      row('10.0.0.1', 80, '10.0.0.2', 5555, 'CLOSED', null, 'none'),
    ]);
  });

  it('reads a table whose OwningProcess column was dropped, and ends a table at the next prompt', () => {
    const text = 'LocalAddress LocalPort RemoteAddress RemotePort State AppliedSetting\n------------ --------- ------------- ---------- ----- --------------\n0.0.0.0 135 0.0.0.0 0 Listen\nPS C:\\> Get-Date\n';
    expect(parseGetNetTcpConnection(text, 'x').rows).toEqual([row('0.0.0.0', 135, '0.0.0.0', 0, 'LISTEN', null, 'not-collected')]);
  });

  it('keeps a table going across a blank line when the next row fits its columns, also a row only the rule\'s columns cut', () => {
    // The shape of pastes-powershell/en-blog-select-localport-owningprocess-name-indented.txt
    // (a Select-Object table whose Name values have blanks), with a blank line a mail client put inside.
    const text = [
      'PS C:\\> Get-NetTCPConnection -State Listen | Select-Object -Property LocalPort, OwningProcess, $Process',
      '',
      'LocalPort OwningProcess Name',
      '--------- ------------- ----',
      '      139             4 System',
      '',
      '    15292          7364 Adobe Desktop Service',
      '    27015          2456 AppleMobileDeviceService',
      '',
      'That is all.',
    ].join('\n');
    const t = parseGetNetTcpConnection(text, 'x');
    // No LocalAddress column: none of the rows can be read, and each says so; the two after the blank line are not lost.
    expect(t.rows).toEqual([]);
    expect(t.notes.map((n) => /^x line (\d+): not read: the table has no LocalAddress column/.exec(n)?.[1])).toEqual(['5', '7', '8']);
    // The same with the address in the table, laid out as Format-Table does (numbers right-aligned under their rule): the rows are read.
    const cells = (a: string, port: string, pid: string, name: string) => `${a.padEnd(12)} ${port.padStart(9)} ${pid.padStart(13)} ${name}`;
    const withAddress = [
      'PS C:\\> Get-NetTCPConnection -State Listen | Select-Object LocalAddress, LocalPort, OwningProcess, $Process',
      '',
      'LocalAddress LocalPort OwningProcess Name',
      '------------ --------- ------------- ----',
      cells('0.0.0.0', '139', '4', 'System'),
      '',
      cells('0.0.0.0', '15292', '7364', 'Adobe Desktop Service'),
      cells('::', '27015', '2456', 'AppleMobileDeviceService'),
    ].join('\n');
    expect(parseGetNetTcpConnection(withAddress, 'x').rows.map((r) => [r.local.port, r.pid])).toEqual([
      [139, 4],
      [15292, 7364],
      [27015, 2456],
    ]);
  });

  it('keeps rows with an address cut by the column width, with a note, and counts cut marks', () => {
    const table = parseGetNetTcpConnection(`${HEADER}[...]\nfe80::1c2d:3e4f:5a6b:... 139 :: 0 Listen 4\n`, 'x');
    expect(table.rows).toHaveLength(1);
    expect(table.notes).toHaveLength(2);
  });

  it('refuses an unknown state, a bad port, a bad address and a bad OwningProcess', () => {
    expect(() => parseGetNetTcpConnection(`${HEADER}0.0.0.0 135 0.0.0.0 0 Lauschen 4\n`, 'x')).toThrow('Get-NetTCPConnection: line 3: unknown state "Lauschen"');
    expect(() => parseGetNetTcpConnection(`${HEADER}0.0.0.0 70000 0.0.0.0 0 Listen 4\n`, 'x')).toThrow(ParseError);
    expect(() => parseGetNetTcpConnection(`${HEADER}gggg::1 135 :: 0 Listen 4\n`, 'x')).toThrow(/line 3: "gggg::1" is not an IPv6 address/);
    expect(() => parseGetNetTcpConnection(`${HEADER}0.0.0.0 135 0.0.0.0 0 Listen Internet x\n`, 'x')).toThrow(ParseError);
  });

  it('reports a row that does not fit its columns as not read', () => {
    const t = parseGetNetTcpConnection(`${HEADER}0.0.0.0 135 Listen 4\n0.0.0.0 445 0.0.0.0 0 Listen 4\n`, 'x');
    expect(t.rows.map((r) => r.local.port)).toEqual([445]);
    expect(t.notes).toEqual([expect.stringMatching(/^x line 3: not read: 4 values under 7 columns/)]);
  });

  it('does not take other formats for Get-NetTCPConnection', () => {
    for (const folder of ['windows-netstat', 'linux-ss', 'linux-netstat', 'lsof', 'macos-netstat', 'freebsd-sockstat', 'netsh-excludedportrange', 'netsh-dynamicport']) {
      for (const name of fixtureNames(folder)) expect(looksLikeGetNetTcpConnection(fixture(folder, name)), `${folder}/${name}`).toBe(false);
    }
    for (const name of fixtureNames(FOLDER)) expect(looksLikeWindowsNetstat(fixture(FOLDER, name)), name).toBe(false);
  });

  it('never throws anything but ParseError on mutated samples', () => {
    const samples = fixtureNames(FOLDER).map((n) => fixture(FOLDER, n));
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 12 })), { maxLength: 4 }), (text, edits) => {
        const lines = text.split('\n');
        for (const [at, s] of edits) lines[at % lines.length] = at % 2 ? s : (lines[at % lines.length] ?? '').slice(0, at % 40);
        try {
          parseGetNetTcpConnection(lines.join('\n'), 'x');
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
