// Windows `netstat -ano`, `-an`, `-anob`/`-abo` and plain `netstat`.
//
// The output is localized: the title ("Active Connections", "Aktive
// Verbindungen", "アクティブな接続", "活动连接") and the column titles follow the
// display language, and German Windows translates the state names too
// (ABHÖREN, HERGESTELLT, WARTEND ...; saved from cmd.exe the Ö may arrive as
// "ABH™REN"). So this parser reads structure only, never English words:
//  - a row starts with the protocol token, which netstat never translates;
//    TCP rows are "TCP local remote state [pid]" (PID with -o), UDP rows are
//    skipped with a note (tcpdiag reports TCP);
//  - the state is any spelling canonicalState knows; an unknown one is an
//    error rather than a silently dropped row;
//  - with -b, netstat prints under each row that has an owner the components
//    it went through (service names such as "RpcSs") and last the image name
//    in brackets ("[svchost.exe]"), or a localized "Can not obtain ownership
//    information". Rows without an owner (TIME_WAIT, filed under PID 0) get no
//    such lines, so a bracket line names only the row right above its block,
//    never the owner-less rows before that row;
//  - a narrow console or a mail client wraps a long row: the PID (or the
//    state and PID, or more) lands on the next line. A TCP row that may lack
//    its end is held until the next line shows whether that line is its end
//    (a lone PID after "... LISTENING", "LISTENING 696" after the remote
//    address); a blank line between them does not part them. A row it cannot
//    complete is read as it is when it has its four fields (`netstat -an` has
//    no PID), reported as not read otherwise; a row's end with no row before it
//    that lacks it is reported as not read, never dropped;
//  - every other line (titles, column titles, -b component names, prompts,
//    "    ..." cuts in a paste) is ignored; cuts are mentioned in a note.

import type { Endpoint, OwnerStatus, SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { addressFlags, familyOfAddress, parseColonEndpoint, resolveWildcard } from './endpoint.js';
import { readAllLines, refuse, RowError, unreadable, unreadNotes, type LineReader, type UnreadLine } from './line-reader.js';
import { servicePort } from './service-ports.js';
import { splitLines } from './text.js';
import { checkAddress, readPid } from './values.js';

const FORMAT = 'windows netstat';

// Without -n, ports are service names ("40.67.254.36:https"): see service-ports.ts.
const SERVICE_NAME = /^[a-z][a-z0-9-]*$/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** A human cut in a paste: "...", "…", "[...]". */
const CUT_MARK = /^\[?(?:\.{3,}|…)\]?$/;

interface Seen {
  udp: number;
  cuts: number;
  /** Host or service names instead of numbers (netstat without -n). */
  names: boolean;
  unknownService: number;
}

type ReadEndpoint = Endpoint | 'unknown-service' | null;

export function looksLikeWindowsNetstat(text: string): boolean {
  return splitLines(text).some((line) => {
    const t = tokens(line);
    const proto = t[0]?.toUpperCase();
    return (proto === 'TCP' || proto === 'UDP') && t.length >= 3 && readEndpoint(t[1]!) !== null && readEndpoint(t[2]!) !== null;
  });
}

export function parseWindowsNetstat(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createWindowsNetstatReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

export function createWindowsNetstatReader(source: string): LineReader<SocketTable> {
  const table = emptySocketTable();
  const seen: Seen = { udp: 0, cuts: 0, names: false, unknownService: 0 };
  // The row a following -b block describes; null once its block has named it.
  let lastRow: SocketRow | null = null;
  // A TCP row without its PID (or shorter): a wrap may have moved its end onto the next line.
  let held: { t: string[]; no: number } | null = null;
  const late: UnreadLine[] = [];
  const push = (t: string[]) => {
    lastRow = readRow(t, seen);
    table.rows.push(lastRow);
  };
  // The held row as it is: a row of `netstat -an` with four fields, or a row cut short.
  const flushHeld = () => {
    if (!held) return;
    const h = held;
    held = null;
    try {
      push(h.t);
    } catch (err) {
      if (!(err instanceof RowError && err.kind === 'unread')) throw err;
      late.push({ line: h.no, reason: err.message });
    }
  };
  return {
    claims(line) {
      const trimmed = line.trim();
      const proto = trimmed.split(/\s/, 1)[0];
      return proto === 'TCP' || proto === 'UDP' || isBracketLine(trimmed) || CUT_MARK.test(trimmed) || (held !== null && endsRow(held.t, tokens(line))) || isOrphanEnd(tokens(line));
    },
    line(line, no) {
      const t = tokens(line);
      const proto = t[0]?.toUpperCase();
      const trimmed = line.trim();
      // A blank line a paste put inside a wrapped row does not part it.
      if (held && t.length === 0) return;
      if (held && endsRow(held.t, t)) {
        const joined = [...held.t, ...t];
        held = null;
        push(joined);
        return;
      }
      flushHeld();
      if (proto === 'TCP') {
        lastRow = null;
        if (t.length < 5) {
          // Four fields are a whole row of `netstat -an`: values that cannot be true are refused here, at their own line.
          if (t.length === 4) readRow(t, seen);
          held = { t, no };
          return;
        }
        push(t);
      } else if (isOrphanEnd(t)) {
        throw unreadable('the end of a row (its PID) a wrap moved onto its own line, without a row before it that lacks it');
      } else if (proto === 'UDP') {
        seen.udp++;
        lastRow = null;
      } else if (CUT_MARK.test(trimmed)) {
        seen.cuts++;
      } else if (isBracketLine(trimmed)) {
        const name = trimmed.slice(1, -1).trim();
        if (lastRow && name !== '') lastRow.process = name;
        lastRow = null;
      }
    },
    end() {
      flushHeld();
      table.readFrom.push(source);
      table.notes.push(...notesFor(seen));
      return table;
    },
    lateUnread: () => late,
  };
}

/**
 * Whether line words `t` are the end of the held row `held` that a wrap moved: together they
 * are "TCP local remote state [pid]", `t` supplying at least the field the row lacks first,
 * and anything past the PID only what a paste may join there ("696 [svchost.exe]").
 */
function endsRow(held: string[], t: string[]): boolean {
  if (t.length === 0 || held.length + t.length < 4) return false;
  const j = [...held, ...t];
  if (readEndpoint(j[1]!) === null || readEndpoint(j[2]!) === null || canonicalState(j[3]!) === null) return false;
  if (j.length === 4) return true;
  return /^\d+$/.test(j[4]!) && (j.length === 5 || isBracketLine(j.slice(5).join(' ')));
}

/** A row's end alone: a PID ("696"), or a state and PID ("LISTENING 696"). */
function isOrphanEnd(t: string[]): boolean {
  return (t.length === 1 && /^\d+$/.test(t[0]!)) || (t.length === 2 && canonicalState(t[0]!) !== null && /^\d+$/.test(t[1]!));
}

function isBracketLine(trimmed: string): boolean {
  return trimmed.startsWith('[') && trimmed.endsWith(']');
}

function readRow(t: string[], seen: Seen): SocketRow {
  if (t.length < 4) throw unreadable(`a TCP row cut short (${t.length} of "TCP local remote state [pid]")`);
  // After the PID a paste may carry what -b printed under the row, joined onto it ("5788 [mDNSResponder.exe]").
  if (t.length > 5 && !/^\d+$/.test(t[4]!)) throw unreadable(`${t.length} fields where "TCP local remote state [pid]" has at most 5`);
  const [, localText, remoteText, stateText, pidText] = t as [string, string, string, string, string | undefined];
  const state = canonicalState(stateText);
  if (!state) throw refuse(`unknown state "${stateText}"`);
  const owner = ownerOf(pidText);
  const local = endpointAt(localText, seen);
  const remote = endpointAt(remoteText, seen);
  if (local === 'unknown-service' || remote === 'unknown-service') {
    seen.unknownService++;
    const names = [localText, remoteText].filter((t) => readEndpoint(t) === 'unknown-service').map((t) => `"${t.slice(t.lastIndexOf(':') + 1)}"`);
    throw unreadable(`a service name tcpdiag does not know (${names.join(', ')}): run netstat with -n`);
  }
  const family = local.addressIsName && !remote.addressIsName && remote.address !== '*' ? familyOfAddress(remote.address) : familyOfAddress(local.address);
  const image = t.slice(5).find((w) => isBracketLine(w));
  return {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    ...owner,
    process: image ? image.slice(1, -1) : null,
  };
}

function endpointAt(text: string, seen: Seen): Endpoint | 'unknown-service' {
  const e = readEndpoint(text);
  if (e === null) throw refuse(`"${text}" is not an address:port`);
  if (e === 'unknown-service' || isResolvedName(text, e)) seen.names = true;
  if (e === 'unknown-service') return e;
  checkAddress(e.address);
  // Windows netstat without -n prints a host's name (without -f only its first label, "82" for 82.x.example.net), never cut.
  return { address: e.address, port: e.port, ...addressFlags(e.address, false) };
}

/** "0.0.0.0:135", "[fe80::1%16]:139", "*:*", "DESKTOP-1:54321", "40.67.254.36:https". */
function readEndpoint(s: string): ReadEndpoint {
  const numeric = parseColonEndpoint(s);
  if (numeric) return numeric;
  const colon = s.lastIndexOf(':');
  const name = s.slice(colon + 1);
  if (colon <= 0 || !SERVICE_NAME.test(name)) return null;
  const port = servicePort(name);
  return port === null ? 'unknown-service' : parseColonEndpoint(`${s.slice(0, colon + 1)}${port}`);
}

/**
 * A host name ("LAPTOP-DPNRPKUF", or "47": netstat without -f prints only the
 * first DNS label) or a service-name port. Kept as printed, but worth a note.
 */
function isResolvedName(text: string, e: Endpoint): boolean {
  const numericAddress = e.address === '*' || e.address.includes(':') || IPV4.test(e.address);
  return !numericAddress || parseColonEndpoint(text) === null;
}

function ownerOf(pidText: string | undefined): { pid: number | null; owner: OwnerStatus } {
  // `netstat -an` has no PID column: owners were not asked for.
  if (pidText === undefined) return { pid: null, owner: 'not-collected' };
  // PID 0 is the System Idle Process: Windows files sockets nobody owns any
  // more (TIME_WAIT) under it, so it names no owner.
  if (pidText === '0') return { pid: null, owner: 'none' };
  return { pid: readPid(pidText, 'PID'), owner: 'found' };
}

function notesFor(seen: Seen): string[] {
  const notes: string[] = [];
  if (seen.names) {
    const skipped = seen.unknownService > 0 ? `; ${seen.unknownService} row(s) with service names tcpdiag does not know were not read` : '';
    notes.push(`netstat printed host and service names instead of numbers (run without -n): host names are kept as the address (addressIsName) and service names mapped to their ports${skipped}; \`netstat -ano\` prints numbers and PIDs`);
  }
  if (seen.udp > 0) notes.push(`${seen.udp} UDP row(s) skipped: only TCP is read`);
  if (seen.cuts > 0) notes.push(`the text has ${seen.cuts} cut mark(s) ("..."): rows may be missing there`);
  return notes;
}

function tokens(line: string): string[] {
  return line.trim().split(/\s+/).filter((s) => s !== '');
}
