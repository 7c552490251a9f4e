// GetExtendedTcpTable's binary rows decoded (test/fixtures/windows-tcp-table/
// SOURCES: real buffers Wine filled from a namespace's sockets, with `ss -tan`
// of the same moment as the oracle). The layout is Microsoft's; the sockets
// are Linux's, so this checks our decoding, not Windows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSs } from '../../src/os/parse/linux-ss.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { decodeTcpTable, ROW_BYTES, TcpTableError } from '../../src/os/windows/tcp-table.js';
import { FIXTURES } from '../helpers/fixtures.js';

const bin = (name: string) => readFileSync(join(FIXTURES, 'windows-tcp-table', name));
const key = (r: SocketRow) => `${r.family} ${r.state} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`;

describe('GetExtendedTcpTable rows (TCP_TABLE_OWNER_PID_ALL)', () => {
  it('decode to the rows ss -tan printed at the same moment, both families', () => {
    const rows = [...decodeTcpTable(bin('wine-8.0-netns-ipv4.bin'), 'ipv4'), ...decodeTcpTable(bin('wine-8.0-netns-ipv6.bin'), 'ipv6')];
    const ss = parseSs(readFileSync(join(FIXTURES, 'windows-tcp-table', 'wine-8.0-netns-ss-tan.txt'), 'utf8'), 'ss');
    expect(rows.map(key).sort()).toEqual(ss.rows.map(key).sort());
    expect(rows.map(key)).toContain('ipv6 LISTEN ::1:7002 :::0');
    expect(rows.map(key)).toContain('ipv4 TIME_WAIT 127.0.0.1:7001 127.0.0.1:35841');
  });

  it('reads ports big-endian from the low 16 bits of their DWORD, and pid 0 as no owner', () => {
    const rows = decodeTcpTable(bin('wine-8.0-netns-ipv4.bin'), 'ipv4');
    expect(rows.map((r) => r.local.port)).toContain(7001);
    const timeWait = rows.find((r) => r.state === 'TIME_WAIT')!;
    expect(timeWait).toMatchObject({ pid: null, owner: 'none' });
    // Wine named the win32 Node's own client socket's pid: an owner found.
    expect(rows.find((r) => r.pid !== null)).toMatchObject({ owner: 'found', local: { address: '127.0.0.1' } });
  });

  it('prints a zone only on link-local IPv6 addresses', () => {
    const b = Buffer.alloc(4 + ROW_BYTES.ipv6);
    b.writeUInt32LE(1, 0);
    Buffer.from('fe800000000000000000000000000001', 'hex').copy(b, 4);
    b.writeUInt32LE(12, 4 + 16); // local scope id
    b.writeUInt16BE(135, 4 + 20);
    b.writeUInt32LE(2, 4 + 48); // MIB_TCP_STATE_LISTEN
    b.writeUInt32LE(1234, 4 + 52);
    expect(decodeTcpTable(b, 'ipv6')[0]).toMatchObject({ local: { address: 'fe80::1%12', port: 135 }, remote: { address: '::', port: 0 }, state: 'LISTEN', pid: 1234 });
  });

  it('maps every MIB_TCP_STATE (1 CLOSED ... 12 DELETE_TCB) and refuses others and short tables', () => {
    const one = (state: number) => {
      const b = Buffer.alloc(4 + ROW_BYTES.ipv4);
      b.writeUInt32LE(1, 0);
      b.writeUInt32LE(state, 4);
      return decodeTcpTable(b, 'ipv4')[0]!.state;
    };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(one)).toEqual(['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'CLOSED']);
    expect(() => one(13)).toThrow(TcpTableError);
    expect(() => decodeTcpTable(Buffer.from([5, 0, 0, 0]), 'ipv4')).toThrow(/counts 5 rows but holds 0/);
  });
});
