// PowerShell `Get-NetTCPConnection` tables of any shape (issue #15):
//
//   LocalAddress   LocalPort RemoteAddress   RemotePort State       AppliedSetting OwningProcess
//   ------------   --------- -------------   ---------- -----       -------------- -------------
//   ::             22        ::              0          Listen                     1444
//
// and the same piped through Select-Object / Format-Table -AutoSize: columns
// in another order, some dropped (Select-Object, or a narrow console), others
// added by calculated properties ("ProcessName", "PID", "Name"). The column
// titles are the property names of the CIM class MSFT_NetTCPConnection, which
// PowerShell never translates, so "LocalAddress" or "LocalPort" anchors
// detection in any display language; the states are that class's enum names
// (Listen, TimeWait, Bound ...), equally untranslated.
//
// Values are split on blanks when their count fits the columns (a blank
// AppliedSetting leaves a listener one value short); a value with blanks in it
// ("Adobe Desktop Service") is cut at the columns the dash rule marks. A row
// is only read with its local address, port and state: a table without a
// State column takes the state from the command line's -State, when the paste
// shows it; one without remote columns is read for listeners only.

import type { Family } from '../port-ranges.js';
import type { OwnerStatus, SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable } from '../sockets.js';
import { canonicalState, type TcpState } from '../tcp-states.js';
import { addressFlags, familyOfAddress, wildcardAddress } from './endpoint.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines } from './text.js';
import { checkAddress, readPid, readPort } from './values.js';

const FORMAT = 'Get-NetTCPConnection';
const BLANKABLE = 'AppliedSetting';
const ANCHORS = ['LocalAddress', 'LocalPort'];
/** Calculated columns people add for the owner: their titles, mapped onto the row's fields. */
const PID_TITLES = new Set(['OwningProcess', 'PID', 'ProcessId', 'Id', 'OwningPid']);
const PROCESS_TITLES = new Set(['ProcessName', 'Process', 'Name', 'Image', 'ImageName', 'Proc', 'ProcName']);
const DASH_GROUP = /^-+$/;
/** A human cut in a paste ("[...]", "...", "(...)"). */
const CUT_MARK = /^[[(]?(?:\.{3,}|…)[\])]?$/;
/** PowerShell cuts a value too wide for its column with "..." (5.1) or "…" (7). */
const TRUNCATED = /\.\.\.$|…$/;
/** The prompt of the next command ends a table pasted without its trailing blank lines. */
const PROMPT = /^PS[\s>]/;
/** `Get-NetTCPConnection ... -State Listen`: the one state the rows have when the table shows no State column. */
const STATE_PARAMETER = /Get-NetTCPConnection\b.*?-State\s+([A-Za-z]+)\s*(,?)/i;

interface Columns {
  titles: string[];
  /** Start of each column in the lines, from the dash rule; null when the rule was not at the titles' offsets. */
  starts: number[];
}

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
  let columns: Columns | null = null;
  // The columns of a table a blank line ended: a row under them right after (a paste with a blank line inside a table) is still theirs.
  let dormant: Columns | null = null;
  // Titles seen on the line before; they are the header if this line is their dash rule.
  let titles: string[] | null = null;
  let commandState: TcpState | null = null;
  let cuts = 0;
  let truncated = 0;
  return {
    // Inside a table every line is the table's (a blank one or a prompt ends it); outside, its header and rule.
    claims: (line) => columns !== null || (titles !== null && line.trim() === '') || (dormant !== null && fits(dormant, line)) || isTitles(tokens(line)) || (titles !== null && isRule(tokens(line), titles)),
    line(text) {
      const line = text.trim();
      const command = STATE_PARAMETER.exec(line);
      if (command) commandState = command[2] ? null : canonicalState(command[1]!);
      else if (/Get-NetTCPConnection\b/i.test(line)) commandState = null;
      const before = titles;
      // A blank line a paste put between the titles and their rule does not part them.
      if (line === '' && titles) return;
      titles = null;
      if (dormant && line !== '') {
        if (fits(dormant, text)) columns = dormant;
        dormant = null;
      }
      if (before && isRule(tokens(line), before)) {
        columns = { titles: before, starts: ruleStarts(text, before.length) };
      } else if (isTitles(tokens(line))) {
        titles = tokens(line);
        columns = null;
      } else if (line === '' || PROMPT.test(line)) {
        // PowerShell ends a table with blank lines; a row right after one still belongs to it.
        if (line === '' && columns) dormant = columns;
        columns = null;
      } else if (columns && CUT_MARK.test(line)) {
        cuts++;
      } else if (columns) {
        const row = readRow(columns, text, commandState);
        if (row.local.addressCut || row.remote.addressCut) truncated++;
        table.rows.push(row);
      }
    },
    end() {
      table.readFrom.push(source);
      if (truncated > 0) {
        table.notes.push(`${truncated} row(s) have an address cut short by the column width (marked addressCut); \`Get-NetTCPConnection | Format-Table -AutoSize\` prints them whole`);
      }
      if (cuts > 0) table.notes.push(`the text has ${cuts} cut mark(s) ("..."): rows may be missing there`);
      return table;
    },
  };
}

function isTitles(t: string[]): boolean {
  return t.length >= 2 && ANCHORS.some((a) => t.includes(a));
}

/**
 * The column titles when line i is a header whose next line (blank lines
 * aside) is its dash rule, one dash group per title, else null.
 */
function headerAt(lines: readonly string[], i: number): string[] | null {
  const titles = tokens(lines[i] ?? '');
  if (!isTitles(titles)) return null;
  let next = i + 1;
  while (next < lines.length && next <= i + 3 && lines[next]!.trim() === '') next++;
  return isRule(tokens(lines[next] ?? ''), titles) ? titles : null;
}

function isRule(rule: string[], titles: string[]): boolean {
  return rule.length >= 2 && rule.length === titles.length && rule.every((g) => DASH_GROUP.test(g));
}

/** Where each dash group of the rule starts. */
function ruleStarts(rule: string, count: number): number[] {
  const starts: number[] = [];
  for (let i = 0; i < rule.length && starts.length < count; i++) if (rule[i] === '-' && (i === 0 || rule[i - 1] !== '-')) starts.push(i);
  return starts;
}

/**
 * A line with the values of a row under these columns: their number
 * (AppliedSetting may be blank), and a state, or (a table without a State
 * column) a number under LocalPort.
 */
function fits(columns: Columns, line: string): boolean {
  if (PROMPT.test(line.trim())) return false;
  // The same cut as a row's (by words, else at the rule's columns), so a row whose
  // owner name has blanks ("Adobe Desktop Service") fits as it would read.
  let get: (title: string) => string | undefined;
  try {
    get = fieldsOf(columns, line);
  } catch {
    return false;
  }
  const state = get('State');
  if (state !== undefined) return canonicalState(state) !== null;
  return /^\d{1,5}$/.test(get('LocalPort') ?? '');
}

function readRow(columns: Columns, line: string, commandState: TcpState | null): SocketRow {
  const get = fieldsOf(columns, line);
  const stateText = get('State');
  const state = stateText === undefined ? commandState : canonicalState(stateText);
  if (stateText !== undefined && !state) throw refuse(`unknown state "${stateText}"`);
  if (!state) throw unreadable('the table has no State column and the paste does not show a Get-NetTCPConnection -State that names one state');
  const localText = get('LocalAddress');
  if (localText === undefined) throw unreadable('the table has no LocalAddress column: which address the port is on is not in the paste');
  const portText = get('LocalPort');
  if (portText === undefined) throw unreadable('the table has no LocalPort column');
  const local = endpoint(localText, portText, 'LocalPort');
  const family: Family = familyOfAddress(local.address);
  const remoteText = get('RemoteAddress');
  const remotePort = get('RemotePort');
  let remote;
  if (remoteText !== undefined && remotePort !== undefined) remote = endpoint(remoteText, remotePort, 'RemotePort');
  else if (state === 'LISTEN' || state === 'BOUND') remote = { address: wildcardAddress(family), port: 0 };
  else throw unreadable('the table has no RemoteAddress or RemotePort column, and the row is a connection');
  const processText = columns.titles.find((t) => PROCESS_TITLES.has(t));
  const process = processText === undefined ? null : (get(processText) ?? null) || null;
  return { protocol: 'tcp', family, local, remote, state, ...ownerOf(columns.titles.find((t) => PID_TITLES.has(t)), get), process };
}

/** An address and port as printed; an address PowerShell cut short ("fe80::1c2e:…") is kept and marked. */
function endpoint(address: string, port: string, what: string): SocketRow['local'] {
  const cut = TRUNCATED.test(address);
  if (!cut) checkAddress(address);
  return { address, port: readPort(port, what), ...addressFlags(address.replace(TRUNCATED, ''), cut) };
}

/** Looks values up by column title: by blank-separated words when their count fits, else cut at the rule's columns. */
function fieldsOf(columns: Columns, line: string): (title: string) => string | undefined {
  const values = tokens(line);
  const all = columns.titles;
  const titles = values.length === all.length - 1 && all.includes(BLANKABLE) ? all.filter((c) => c !== BLANKABLE) : all;
  if (values.length === titles.length) {
    return (title) => {
      const k = titles.indexOf(title);
      return k < 0 ? undefined : values[k];
    };
  }
  const starts = columns.starts;
  // A word across a column boundary would be cut in two: then the columns do not hold for this line.
  const aligned = starts.length === all.length && line.length > starts[all.length - 1]! && starts.every((at, k) => k === 0 || /\s/.test(line[at - 1] ?? ' ') || /\s/.test(line[at] ?? ' '));
  if (aligned) {
    const cells = all.map((_, k) => line.slice(starts[k], starts[k + 1]).trim());
    return (title) => {
      const k = all.indexOf(title);
      return k < 0 ? undefined : cells[k];
    };
  }
  throw unreadable(`${values.length} values under ${all.length} columns`);
}

function ownerOf(title: string | undefined, get: (title: string) => string | undefined): { pid: number | null; owner: OwnerStatus } {
  const pidText = title === undefined ? undefined : get(title);
  if (pidText === undefined) return { pid: null, owner: 'not-collected' };
  // OwningProcess 0 is the System Idle Process, under which Windows files
  // sockets nobody owns any more (TimeWait): no owner.
  if (pidText === '0') return { pid: null, owner: 'none' };
  return { pid: readPid(pidText, title), owner: 'found' };
}

function tokens(line: string): string[] {
  return line.trim().split(/\s+/).filter((s) => s !== '');
}
