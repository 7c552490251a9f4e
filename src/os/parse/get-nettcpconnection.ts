// PowerShell `Get-NetTCPConnection` in its default table view:
//
//   LocalAddress   LocalPort RemoteAddress   RemotePort State       AppliedSetting OwningProcess
//   ------------   --------- -------------   ---------- -----       -------------- -------------
//   ::             22        ::              0          Listen                     1444
//   10.10.178.209  22        10.14.87.60     53523      Established Internet       1444
//
// Unlike netstat, the column titles are the property names of the CIM class
// MSFT_NetTCPConnection, which PowerShell never translates, so a title
// ("LocalAddress") may anchor detection. The states are the enum names of
// that class (Listen, TimeWait, Bound, DeleteTCB ...), equally untranslated.
//
// Rows are split on whitespace: no value contains a blank (addresses, ports,
// state names, the AppliedSetting template names Internet/Datacenter/Compat,
// PIDs). AppliedSetting is blank for listeners and loopback, so a row one
// value short of its header lacks exactly that column. Values are matched to
// columns by title, so a table with columns reordered, added or one removed
// (Select-Object, or PowerShell dropping a column that does not fit the
// console) still reads as long as the address, port and State columns are there.

import type { OwnerStatus, SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { familyOfAddress } from './endpoint.js';
import { ParseError, isPort, splitLines, toInt } from './text.js';

const FORMAT = 'Get-NetTCPConnection';
const REQUIRED = ['LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State'] as const;
const BLANKABLE = 'AppliedSetting';
const DASH_GROUP = /^-+$/;
/** A human cut in a paste ("[...]", "..."). */
const CUT_MARK = /^\[?(?:\.{3,}|…)\]?$/;
/** PowerShell cuts a value too wide for its column with "..." (5.1) or "…" (7). */
const TRUNCATED = /\.\.\.|…/;
/** The prompt of the next command ends a table pasted without its trailing blank lines. */
const PROMPT = /^PS\s.*>/;

export function looksLikeGetNetTcpConnection(text: string): boolean {
  const lines = splitLines(text);
  return lines.some((_, i) => headerAt(lines, i) !== null);
}

export function parseGetNetTcpConnection(text: string, source: string): SocketTable {
  const lines = splitLines(text);
  const table = emptySocketTable();
  let columns: string[] | null = null;
  let cuts = 0;
  let truncated = 0;

  for (let i = 0; i < lines.length; i++) {
    const header = headerAt(lines, i);
    const line = lines[i]!.trim();
    if (header) {
      columns = checkColumns(header, i + 1);
      i++; // the dash rule
    } else if (line === '' || PROMPT.test(line)) {
      columns = null; // PowerShell ends a table with blank lines
    } else if (columns && CUT_MARK.test(line)) {
      cuts++;
    } else if (columns) {
      const row = readRow(columns, tokens(line), i + 1);
      if (TRUNCATED.test(row.local.address) || TRUNCATED.test(row.remote.address)) truncated++;
      table.rows.push(row);
    }
  }

  table.readFrom.push(source);
  if (truncated > 0) {
    table.notes.push(`${truncated} row(s) have an address cut short by the column width; \`Get-NetTCPConnection | Format-Table -AutoSize\` prints them whole`);
  }
  if (cuts > 0) table.notes.push(`the text has ${cuts} cut mark(s) ("..."): rows may be missing there`);
  return table;
}

/**
 * The column titles when line i is a header whose next line is its dash rule
 * (one dash group per title, at least six: the default view has seven), else null.
 */
function headerAt(lines: string[], i: number): string[] | null {
  const titles = tokens(lines[i] ?? '');
  if (!titles.includes('LocalAddress')) return null;
  const rule = tokens(lines[i + 1] ?? '');
  const isRule = rule.length >= 6 && rule.length === titles.length && rule.every((g) => DASH_GROUP.test(g));
  return isRule ? titles : null;
}

function checkColumns(titles: string[], lineNo: number): string[] {
  const missing = REQUIRED.filter((c) => !titles.includes(c));
  if (missing.length > 0) throw new ParseError(FORMAT, `line ${lineNo}: the table has no ${missing.join(', ')} column`);
  return titles;
}

function readRow(columns: string[], values: string[], lineNo: number): SocketRow {
  const get = fieldsOf(columns, values, lineNo);
  const stateText = get('State')!;
  const state = canonicalState(stateText);
  if (!state) throw new ParseError(FORMAT, `line ${lineNo}: unknown state "${stateText}"`);
  const localAddress = get('LocalAddress')!;
  return {
    protocol: 'tcp',
    family: familyOfAddress(localAddress),
    local: { address: localAddress, port: portOf(get('LocalPort')!, lineNo) },
    remote: { address: get('RemoteAddress')!, port: portOf(get('RemotePort')!, lineNo) },
    state,
    ...ownerOf(get('OwningProcess'), lineNo),
    process: null,
  };
}

/** Looks values up by column title, allowing for a blank AppliedSetting. */
function fieldsOf(columns: string[], values: string[], lineNo: number): (title: string) => string | undefined {
  const titles = values.length === columns.length - 1 && columns.includes(BLANKABLE) ? columns.filter((c) => c !== BLANKABLE) : columns;
  if (values.length !== titles.length) {
    throw new ParseError(FORMAT, `line ${lineNo}: ${values.length} values under ${columns.length} columns`);
  }
  return (title) => {
    const k = titles.indexOf(title);
    return k < 0 ? undefined : values[k];
  };
}

function portOf(text: string, lineNo: number): number {
  const port = toInt(text);
  if (!isPort(port)) throw new ParseError(FORMAT, `line ${lineNo}: "${text}" is not a port`);
  return port;
}

function ownerOf(pidText: string | undefined, lineNo: number): { pid: number | null; owner: OwnerStatus } {
  if (pidText === undefined) return { pid: null, owner: 'not-collected' };
  const pid = toInt(pidText);
  if (pid === null) throw new ParseError(FORMAT, `line ${lineNo}: OwningProcess "${pidText}" is not a number`);
  // OwningProcess 0 is the System Idle Process, under which Windows files
  // sockets nobody owns any more (TimeWait): no owner.
  return pid === 0 ? { pid: null, owner: 'none' } : { pid, owner: 'found' };
}

function tokens(line: string): string[] {
  return line.trim().split(/\s+/).filter((s) => s !== '');
}
