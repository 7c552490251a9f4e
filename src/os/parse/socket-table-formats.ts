// Which socket-table format a captured text is, decided from the text. The
// live backends use the same parsers, so --from reads text as a live run does.
// Order matters only where formats resemble each other: procfs and ss have
// unmistakable headers; Linux netstat (tcp/tcp6, "host:port") is tried before
// BSD netstat (tcp4/tcp46, "host.port").

import type { SocketTable } from '../sockets.js';
import { looksLikeBsdNetstat, parseBsdNetstat } from './bsd-netstat.js';
import { looksLikeGetNetTcpConnection, parseGetNetTcpConnection } from './get-nettcpconnection.js';
import { looksLikeLinuxNetstat, parseLinuxNetstat } from './linux-netstat.js';
import { looksLikeSs, parseSs } from './linux-ss.js';
import { looksLikeLsof, parseLsof } from './lsof.js';
import { looksLikeProcNetTcp, parseProcNetTcp } from './procfs-tcp.js';
import { looksLikeSockstat, parseSockstat } from './sockstat.js';
import { ParseError } from './text.js';
import { looksLikeWindowsNetstat, parseWindowsNetstat } from './windows-netstat.js';
import { emptySocketTable } from '../sockets.js';
import type { OsName } from '../port-ranges.js';

interface Format {
  id: string;
  os: OsName | null;
  describe: string;
  looksLike: (text: string) => boolean;
  parse: (text: string, source: string) => SocketTable;
}

const FORMATS: Format[] = [
  {
    id: 'proc-net-tcp',
    os: 'linux',
    describe: '/proc/net/tcp and /proc/net/tcp6 (Linux)',
    looksLike: looksLikeProcNetTcp,
    parse: (text, source) => {
      const t = emptySocketTable();
      parseProcNetTcp(text, source, t);
      return t;
    },
  },
  { id: 'ss', os: 'linux', describe: 'ss -tan / -tanp (Linux)', looksLike: looksLikeSs, parse: parseSs },
  { id: 'linux-netstat', os: 'linux', describe: 'netstat -tan / -tanp (Linux)', looksLike: looksLikeLinuxNetstat, parse: parseLinuxNetstat },
  { id: 'windows-netstat', os: 'win32', describe: 'netstat -ano / -an (Windows, any language)', looksLike: looksLikeWindowsNetstat, parse: parseWindowsNetstat },
  { id: 'get-nettcpconnection', os: 'win32', describe: 'Get-NetTCPConnection (PowerShell)', looksLike: looksLikeGetNetTcpConnection, parse: parseGetNetTcpConnection },
  { id: 'bsd-netstat', os: 'darwin', describe: 'netstat -an / -anv -p tcp (macOS, FreeBSD)', looksLike: looksLikeBsdNetstat, parse: parseBsdNetstat },
  { id: 'lsof', os: null, describe: 'lsof -nP -iTCP (macOS, Linux)', looksLike: looksLikeLsof, parse: parseLsof },
  { id: 'sockstat', os: 'freebsd', describe: 'sockstat -4 -6 -P tcp (FreeBSD)', looksLike: looksLikeSockstat, parse: parseSockstat },
];

export const KNOWN_SOCKET_TABLE_FORMATS = FORMATS.map((f) => f.describe);

export interface DetectedSocketTable {
  format: string;
  /** The OS whose tool printed it, when the format tells. */
  os: OsName | null;
  table: SocketTable;
}

export function parseSocketTableText(text: string, source: string): DetectedSocketTable {
  const format = FORMATS.find((f) => f.looksLike(text));
  if (!format) throw new ParseError('unknown format', `not a socket table tcpdiag knows; it reads: ${KNOWN_SOCKET_TABLE_FORMATS.join('; ')}`);
  return { format: format.id, os: format.os, table: format.parse(text, source) };
}
