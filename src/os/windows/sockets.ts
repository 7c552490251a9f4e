// The Windows socket table and its owners' names: the IP Helper API through
// koffi first (no spawn, no localized text, a pid on every row), `netstat
// -ano` and `tasklist` where koffi or the API is missing. The table says
// which one it read and, for the fallback, why.

import { liveParse } from '../live-parse.js';
import { parseTasklistCsv } from '../parse/tasklist-csv.js';
import { parseWindowsNetstat } from '../parse/windows-netstat.js';
import type { ToolRunner } from '../run-tool.js';
import type { SocketRow, SocketTable } from '../sockets.js';
import type { IpHelperLoad } from './ip-helper.js';
import { decodeTcpTable } from './tcp-table.js';

export const IP_HELPER_SOURCE = 'GetExtendedTcpTable (IP Helper API, TCP_TABLE_OWNER_PID_ALL)';
export const TOOLHELP_SOURCE = 'CreateToolhelp32Snapshot';

export async function readWindowsSocketTable(run: ToolRunner, ipHelper: () => IpHelperLoad): Promise<SocketTable> {
  const load = ipHelper();
  let why: string;
  if ('helper' in load) {
    try {
      const rows = [...decodeTcpTable(load.helper.tcpTable('ipv4'), 'ipv4'), ...decodeTcpTable(load.helper.tcpTable('ipv6'), 'ipv6')];
      return { rows, readFrom: [IP_HELPER_SOURCE], notes: [] };
    } catch (err) {
      why = (err as Error).message;
    }
  } else {
    why = load.unavailable;
  }
  const text = await run('netstat', ['-ano']);
  const table = liveParse('netstat -ano', () => parseWindowsNetstat(text, 'netstat -ano'));
  table.notes.push(`read netstat -ano instead of the IP Helper API: ${why}`);
  return table;
}

/** Fills process names of rows that carry a pid (every Windows row does). */
export async function resolveWindowsOwners(rows: SocketRow[], run: ToolRunner, ipHelper: () => IpHelperLoad): Promise<string[]> {
  let names: Map<number, string> | null = null;
  const notes: string[] = [];
  const load = ipHelper();
  if ('helper' in load) {
    try {
      names = load.helper.processNames();
    } catch (err) {
      notes.push(`process names from tasklist instead of ${TOOLHELP_SOURCE}: ${(err as Error).message}`);
    }
  }
  names ??= parseTasklistCsv(await run('tasklist', ['/fo', 'csv', '/nh']));
  for (const r of rows) if (r.pid !== null) r.process ??= names.get(r.pid) ?? null;
  return notes;
}
