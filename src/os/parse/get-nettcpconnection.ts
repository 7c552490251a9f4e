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
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines } from './text.js';
import { checkAddress, readPid, readPort } from './values.js';

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

export function opensGetNetTcpConnection(lines: readonly string[], i: number): boolean {
  return headerAt(lines, i) !== null;
}

export function parseGetNetTcpConnection(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createGetNetTcpConnectionReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

export function createGetNetTcpConnectionReader(source: string): LineReader<SocketTable> {
  const table = emptySocketTable();
  let columns: string[] | null = null;
  // The columns of a table a blank line ended: a row under them right after (a paste with a blank line inside a table) is still theirs.
  let dormant: string[] | null = null;
  // Titles seen on the line before; they are the header if this line is their dash rule.
  let titles: string[] | null = null;
  let cuts = 0;
  let truncated = 0;
  return {
    // Inside a table every line is the table's (a blank one or a prompt ends it); outside, its header and rule.
    claims: (line) => columns !== null || (titles !== null && line.trim() === '') || (dormant !== null && fits(dormant, line)) || tokens(line).includes('LocalAddress') || (titles !== null && isRule(tokens(line), titles)),
    line(text) {
      const line = text.trim();
      const before = titles;
      // A blank line a paste put between the titles and their rule does not part them.
      if (line === '' && titles) return;
      titles = null;
      if (dormant && line !== '') {
        if (fits(dormant, line)) columns = dormant;
        dormant = null;
      }
      if (before && isRule(tokens(line), before)) {
        columns = checkColumns(before);
      } else if (tokens(line).includes('LocalAddress')) {
        titles = tokens(line);
        columns = null;
      } else if (line === '' || PROMPT.test(line)) {
        // PowerShell ends a table with blank lines; a row right after one still belongs to it.
        if (line === '' && columns) dormant = columns;
        columns = null;
      } else if (columns && CUT_MARK.test(line)) {
        cuts++;
      } else if (columns) {
        const row = readRow(columns, tokens(line));
        if (TRUNCATED.test(row.local.address) || TRUNCATED.test(row.remote.address)) truncated++;
        table.rows.push(row);
      }
    },
    end() {
      table.readFrom.push(source);
      if (truncated > 0) {
        table.notes.push(`${truncated} row(s) have an address cut short by the column width; \`Get-NetTCPConnection | Format-Table -AutoSize\` prints them whole`);
      }
      if (cuts > 0) table.notes.push(`the text has ${cuts} cut mark(s) ("..."): rows may be missing there`);
      return table;
    },
  };
}

/**
 * The column titles when line i is a header whose next line is its dash rule
 * (one dash group per title, at least six: the default view has seven), else null.
 */
function headerAt(lines: readonly string[], i: number): string[] | null {
  const titles = tokens(lines[i] ?? '');
  if (!titles.includes('LocalAddress')) return null;
  let next = i + 1;
  while (next < lines.length && next <= i + 3 && lines[next]!.trim() === '') next++;
  return isRule(tokens(lines[next] ?? ''), titles) ? titles : null;
}

/** The dash rule under a header: one dash group per title, at least six (the default view has seven). */
function isRule(rule: string[], titles: string[]): boolean {
  return rule.length >= 6 && rule.length === titles.length && rule.every((g) => DASH_GROUP.test(g));
}

/** A line with the values of a row under these columns: their number (AppliedSetting may be blank) and a state. */
function fits(columns: string[], line: string): boolean {
  const t = tokens(line);
  return (t.length === columns.length || t.length === columns.length - 1) && t.some((w) => canonicalState(w) !== null) && !PROMPT.test(line.trim());
}

function checkColumns(titles: string[]): string[] {
  const missing = REQUIRED.filter((c) => !titles.includes(c));
  if (missing.length > 0) throw refuse(`the table has no ${missing.join(', ')} column`);
  return titles;
}

function readRow(columns: string[], values: string[]): SocketRow {
  const get = fieldsOf(columns, values);
  const stateText = get('State')!;
  const state = canonicalState(stateText);
  if (!state) throw refuse(`unknown state "${stateText}"`);
  const localAddress = address(get('LocalAddress')!);
  return {
    protocol: 'tcp',
    family: familyOfAddress(localAddress),
    local: { address: localAddress, port: readPort(get('LocalPort')!, 'LocalPort') },
    remote: { address: address(get('RemoteAddress')!), port: readPort(get('RemotePort')!, 'RemotePort') },
    state,
    ...ownerOf(get('OwningProcess')),
    process: null,
  };
}

/** An address as printed; one cut short by the column width ("fe80::1c2e:…") is kept and noted. */
function address(text: string): string {
  return TRUNCATED.test(text) ? text : checkAddress(text);
}

/** Looks values up by column title, allowing for a blank AppliedSetting. */
function fieldsOf(columns: string[], values: string[]): (title: string) => string | undefined {
  const titles = values.length === columns.length - 1 && columns.includes(BLANKABLE) ? columns.filter((c) => c !== BLANKABLE) : columns;
  if (values.length !== titles.length) throw unreadable(`${values.length} values under ${columns.length} columns`);
  return (title) => {
    const k = titles.indexOf(title);
    return k < 0 ? undefined : values[k];
  };
}

function ownerOf(pidText: string | undefined): { pid: number | null; owner: OwnerStatus } {
  if (pidText === undefined) return { pid: null, owner: 'not-collected' };
  // OwningProcess 0 is the System Idle Process, under which Windows files
  // sockets nobody owns any more (TimeWait): no owner.
  if (pidText === '0') return { pid: null, owner: 'none' };
  return { pid: readPid(pidText, 'OwningProcess'), owner: 'found' };
}

function tokens(line: string): string[] {
  return line.trim().split(/\s+/).filter((s) => s !== '');
}
