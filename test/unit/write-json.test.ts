// The JSON writer builds socket rows from bytes (report/socket-rows-json.ts):
// the document must mean exactly what JSON.stringify of the report means, for
// every row of every captured table, whatever chunk boundaries fall where.
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/cli/output.js';
import { parseSocketTableText } from '../../src/os/parse/socket-table-formats.js';
import type { SocketRow } from '../../src/os/sockets.js';
import type { Report } from '../../src/report/types.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const TABLE_FOLDERS = ['freebsd-sockstat', 'linux-netstat', 'linux-proc-net-tcp', 'linux-ss', 'lsof', 'macos-netstat', 'windows-get-nettcpconnection', 'windows-netstat'];

function report(rows: SocketRow[] | null): Report<unknown> {
  return {
    tool: 'tcpdiag', version: '0', command: 'sockets', platform: { os: 'linux', release: 'r', node: 'v' },
    startedAt: 't', durationMs: 1, verdict: 'ok', summary: 's "quoted"', findings: [], notJudged: [],
    data: rows === null ? { other: 1 } : { rows, after: { n: rows.length } },
  };
}

/** The document as written; `reuse` says whether the writer may reuse a chunk's memory once taken. */
function written(r: Report<unknown>, reuse = true): string {
  const chunks: Buffer[] = [];
  writeJson(r, (c) => (chunks.push(Buffer.from(c)), reuse));
  return Buffer.concat(chunks).toString('utf8');
}

/** What JSON.stringify makes of the report (undefined fields dropped). */
const meaning = (r: Report<unknown>) => JSON.parse(JSON.stringify(r));

const sampleRows = TABLE_FOLDERS.flatMap((folder) => fixtureNames(folder).flatMap((name) => parseSocketTableText(fixture(folder, name), name).table.rows));

describe('writeJson', () => {
  it('writes every row of every captured table as JSON.stringify would', () => {
    expect(sampleRows.length).toBeGreaterThan(500);
    const r = report(sampleRows);
    expect(JSON.parse(written(r))).toEqual(meaning(r));
  });

  it('writes every field a row can have, and strings that need escaping', () => {
    const row: SocketRow = {
      protocol: 'tcp', family: 'ipv6', local: { address: 'fe80::1%eth"0', port: 65535 }, remote: { address: '::ffff:10.0.0.1', port: 0 },
      state: 'ESTABLISHED', pid: 4294967295, process: 'nämé "with" \\ and \n and \u0001', owner: 'found',
      otherOwners: [{ pid: 2, process: null }], recvQ: 0, sendQ: 123456, inAcceptQueue: true, inode: 4294967295, uid: 0, retransmits: 9,
    };
    const listener: SocketRow = { ...row, state: 'LISTEN', pid: null, process: null, owner: 'hidden', otherOwners: undefined, recvQ: undefined, sendQ: undefined, inAcceptQueue: undefined, acceptQueue: { length: 10, max: null } };
    const odd: SocketRow = { ...row, recvQ: 1.5, sendQ: -1, inode: 2 ** 40, inAcceptQueue: false };
    const r = report([row, listener, odd]);
    expect(JSON.parse(written(r))).toEqual(meaning(r));
  });

  it.each([0, 1, 4000, 25000])('round-trips %i rows across chunk boundaries, with chunks reused or kept', (n) => {
    const rows = Array.from({ length: n }, (_, i) => sampleRows[i % sampleRows.length]!);
    const r = report(rows);
    const text = written(r);
    expect(JSON.parse(text)).toEqual(meaning(r));
    expect(written(r, false)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    // One row per line: grep and head work on rows.
    expect(text.split('\n').filter((l) => l.startsWith('      {"protocol"'))).toHaveLength(n);
  });

  it('pretty-prints reports without rows', () => {
    const r = report(null);
    expect(written(r)).toBe(`${JSON.stringify(r, null, 2)}\n`);
  });
});
