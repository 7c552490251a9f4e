// Decodes the tables GetExtendedTcpTable fills with TCP_TABLE_OWNER_PID_ALL
// (iphlpapi.h / tcpmib.h), the binary rows netstat -ano is printed from:
//   MIB_TCPTABLE_OWNER_PID  { DWORD dwNumEntries; MIB_TCPROW_OWNER_PID table[]; }
//   MIB_TCPROW_OWNER_PID    { DWORD dwState, dwLocalAddr, dwLocalPort,
//                             dwRemoteAddr, dwRemotePort, dwOwningPid; }     24 bytes
//   MIB_TCP6TABLE_OWNER_PID { DWORD dwNumEntries; MIB_TCP6ROW_OWNER_PID table[]; }
//   MIB_TCP6ROW_OWNER_PID   { UCHAR ucLocalAddr[16]; DWORD dwLocalScopeId, dwLocalPort;
//                             UCHAR ucRemoteAddr[16]; DWORD dwRemoteScopeId, dwRemotePort;
//                             DWORD dwState, dwOwningPid; }                  56 bytes
// Addresses are in network byte order as they sit in memory; a port is in
// network byte order in the low 16 bits of its DWORD (so its first two bytes,
// big-endian); the other DWORDs are little-endian (x64 and arm64 Windows).
// States are MIB_TCP_STATE values 1 (CLOSED) to 12 (DELETE_TCB).

import { formatIpv6 } from '../parse/ipv6-format.js';
import type { Family } from '../port-ranges.js';
import type { SocketRow } from '../sockets.js';
import type { TcpState } from '../tcp-states.js';

export const ROW_BYTES: Record<Family, number> = { ipv4: 24, ipv6: 56 };

/** MIB_TCP_STATE_CLOSED = 1 ... MIB_TCP_STATE_DELETE_TCB = 12, in that order. */
const MIB_TCP_STATE: readonly TcpState[] = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
  // DELETE_TCB: the connection is being torn down; netstat shows it as DELETE_TCB.
  'CLOSED',
];

export class TcpTableError extends Error {
  override name = 'TcpTableError';
}

/** The rows of a filled table; the buffer may be longer than the rows it counts. */
export function decodeTcpTable(buf: Buffer, family: Family): SocketRow[] {
  if (buf.length < 4) throw new TcpTableError(`a ${family} TCP table needs at least 4 bytes, got ${buf.length}`);
  const count = buf.readUInt32LE(0);
  const size = ROW_BYTES[family];
  if (4 + count * size > buf.length) throw new TcpTableError(`the ${family} TCP table counts ${count} rows but holds ${Math.floor((buf.length - 4) / size)}`);
  const rows: SocketRow[] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = family === 'ipv4' ? decodeV4(buf, 4 + i * size) : decodeV6(buf, 4 + i * size);
  return rows;
}

function decodeV4(b: Buffer, o: number): SocketRow {
  return row('ipv4', b.readUInt32LE(o), { address: v4(b, o + 4), port: b.readUInt16BE(o + 8) }, { address: v4(b, o + 12), port: b.readUInt16BE(o + 16) }, b.readUInt32LE(o + 20));
}

function decodeV6(b: Buffer, o: number): SocketRow {
  const local = { address: v6(b, o, b.readUInt32LE(o + 16)), port: b.readUInt16BE(o + 20) };
  const remote = { address: v6(b, o + 24, b.readUInt32LE(o + 40)), port: b.readUInt16BE(o + 44) };
  return row('ipv6', b.readUInt32LE(o + 48), local, remote, b.readUInt32LE(o + 52));
}

function row(family: Family, stateCode: number, local: SocketRow['local'], remote: SocketRow['remote'], pid: number): SocketRow {
  const state = MIB_TCP_STATE[stateCode - 1];
  if (!state) throw new TcpTableError(`unknown MIB_TCP_STATE ${stateCode}`);
  // PID 0 (System Idle Process) owns what nobody owns any more: TIME_WAIT rows, as in netstat -ano.
  return { protocol: 'tcp', family, local, remote, state, pid: pid === 0 ? null : pid, process: null, owner: pid === 0 ? 'none' : 'found' };
}

function v4(b: Buffer, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/**
 * RFC 5952 text, with the zone ("fe80::1%12") on link-local addresses, the
 * only ones a zone tells apart (RFC 4007) and the ones netstat prints with one.
 * Other addresses may carry a scope id too (Wine gives ::1 one): not printed.
 */
function v6(b: Buffer, o: number, scope: number): string {
  const text = formatIpv6(b.subarray(o, o + 16));
  const linkLocal = b[o] === 0xfe && (b[o + 1]! & 0xc0) === 0x80;
  return linkLocal && scope !== 0 ? `${text}%${scope}` : text;
}
