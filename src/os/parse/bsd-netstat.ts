// macOS and FreeBSD `netstat -an -p tcp`, `netstat -anv -p tcp` and plain `netstat -a`.
//
// Rows are found by their first word (tcp4, tcp6, tcp46), so udp rows and the other
// sections of `netstat -a` ("Active LOCAL (UNIX) domain sockets", kernel control
// sockets, multipath) are passed over. Endpoints are "host.port" (BSD inetprint).
//
// Owners exist only with -v, and the pid column moved across macOS releases
// (OS-FACTS "Socket tables"); the columns after "(state)" have been:
//   10.14 ... 12:  rhiwat shiwat pid epid state options [gencnt flags ...]
//   15.1 sample:   rxbytes txbytes rhiwat shiwat pid epid state options gencnt ...
//   26 (Tahoe):    rxbytes txbytes rhiwat shiwat process:pid state options ...
// where the Tahoe process name may contain spaces ("Autodesk Fusion:22712").
// The header names the columns when it is there; pastes filtered with grep have
// rows only, and then the layout is read from each row (inferOwner).

import type { Family } from '../port-ranges.js';
import { emptySocketTable, queuesOf, type Endpoint, type SocketRow, type SocketTable } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { parseDotEndpoint, resolveWildcard } from './endpoint.js';
import { servicePort } from './service-ports.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines, toInt } from './text.js';
import { checkAddress, readCount } from './values.js';

const FORMAT = 'netstat (BSD/macOS)';
const TCP_ROW = /^\s*tcp(?:4|6|46)\s/;
const HEADER = /^\s*Proto\s+Recv-Q\s+Send-Q\s/;
/** The six fixed columns, then whatever -v adds. */
const COLUMNS = /^\s*(tcp(?:4|6|46))\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s(.*))?$/;
/** What follows an endpoint's last dot: a port, "*" or a service name. */
const PORT_SHAPE = /^(?:\d+|\*|[A-Za-z][\w-]*)$/;
const SERVICE_NAME = /^[A-Za-z][\w-]*$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

type OwnerLayout = { kind: 'none' } | { kind: 'pid'; index: number } | { kind: 'process-pid'; numbersBefore: number };
type Owner = Pick<SocketRow, 'pid' | 'process' | 'owner'>;

interface Context {
  /** From the latest header line; null for rows pasted without one. */
  layout: OwnerLayout | null;
  line: number;
  resolvedNames: boolean;
  unknownServices: Set<string>;
  skipped: number;
  ownerless: number[];
}

export function looksLikeBsdNetstat(text: string): boolean {
  return splitLines(text).some(isRowShape);
}

export const opensBsdNetstat = isRowShape;

/** "tcp4 0 0 host.port host.port ...", read as words (a pattern for it backtracked polynomially over dots). */
function isRowShape(line: string): boolean {
  const [proto, recv, send, local, remote] = line.trim().split(/\s+/);
  return /^tcp(?:4|6|46)$/.test(proto ?? '') && /^\d+$/.test(recv ?? '') && /^\d+$/.test(send ?? '') && isEndpointShape(local) && isEndpointShape(remote);
}

function isEndpointShape(word: string | undefined): boolean {
  const dot = word?.lastIndexOf('.') ?? -1;
  return dot > 0 && PORT_SHAPE.test(word!.slice(dot + 1));
}

export function parseBsdNetstat(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createBsdNetstatReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

export function createBsdNetstatReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  const ctx: Context = { layout: null, line: 0, resolvedNames: false, unknownServices: new Set(), skipped: 0, ownerless: [] };
  return {
    claims: (line) => HEADER.test(line) || /^\s*(?:tcp|udp)(?:4|6|46)\s/.test(line),
    line(line, no) {
      ctx.line = no;
      if (HEADER.test(line)) ctx.layout = headerLayout(line);
      else if (TCP_ROW.test(line)) {
        const row = parseRow(line, ctx);
        if (row) out.rows.push(row);
      }
    },
    end() {
      out.readFrom.push(source);
      out.notes.push(...notes(ctx, out.rows));
      return out;
    },
  };
}

function headerLayout(line: string): OwnerLayout {
  const words = line.trim().split(/\s+/);
  const stateColumn = words.indexOf('(state)');
  if (stateColumn < 0) return { kind: 'none' };
  const extras = words.slice(stateColumn + 1);
  const processPid = extras.indexOf('process:pid');
  if (processPid >= 0) return { kind: 'process-pid', numbersBefore: processPid };
  const pid = extras.indexOf('pid');
  return pid >= 0 ? { kind: 'pid', index: pid } : { kind: 'none' };
}

function parseRow(line: string, ctx: Context): SocketRow | null {
  const m = COLUMNS.exec(line);
  if (!m) throw unreadable('a row cut short (Recv-Q, Send-Q, two addresses and a state are needed)');
  const [, proto, recvText, sendText, localText, remoteText, stateText, rest] = m as unknown as string[];
  const recvQ = readCount(recvText!, 'Recv-Q');
  const sendQ = readCount(sendText!, 'Send-Q');
  const state = canonicalState(stateText!);
  if (!state) throw refuse(`unknown TCP state "${stateText}"`);
  const local = endpoint(localText!, ctx);
  const remote = endpoint(remoteText!, ctx);
  if (!local || !remote) {
    ctx.skipped++;
    throw unreadable(`a service name tcpdiag does not know (${[...ctx.unknownServices].at(-1)}): run netstat with -n`);
  }
  const family = rowFamily(proto!, local, remote);
  // A listener's Recv-Q is reported as its accept-queue length; the limit shows only
  // in `netstat -L`. FreeBSD 12+ fills a listener's socket-buffer counts with zeros
  // (sotoxsocket), so there it reads 0 whatever is queued.
  const queues = queuesOf(state, recvQ, sendQ, null);
  const owner = readOwner(rest ?? '', ctx);
  return { protocol: 'tcp', family, local: resolveWildcard(local, family), remote: resolveWildcard(remote, family), state, ...owner, ...queues };
}

/**
 * "127.0.0.1.8080", "*.*", "fe80::1%lo0.631", and without -n "localhost.ipp"
 * or "live.github.com.https". Null (row skipped, noted) for a service name we
 * do not know; ParseError for anything else that is not an endpoint.
 */
function endpoint(text: string, ctx: Context): Endpoint | null {
  const numeric = parseDotEndpoint(text);
  if (numeric) checkAddress(numeric.address);
  if (numeric) {
    if (numeric.address !== '*' && !IPV4.test(numeric.address) && !numeric.address.includes(':')) ctx.resolvedNames = true;
    return numeric;
  }
  const dot = text.lastIndexOf('.');
  const name = text.slice(dot + 1);
  if (dot <= 0 || !SERVICE_NAME.test(name)) throw refuse(`"${text}" is not an address.port endpoint`);
  checkAddress(text.slice(0, dot));
  ctx.resolvedNames = true;
  const port = servicePort(name);
  if (port === null) ctx.unknownServices.add(name);
  return port === null ? null : { address: text.slice(0, dot), port };
}

/** tcp4 is IPv4; tcp6 is IPv6; tcp46 is a dual-stack IPv6 socket unless an address shows it carries IPv4. */
function rowFamily(proto: string, local: Endpoint, remote: Endpoint): Family {
  if (proto === 'tcp4') return 'ipv4';
  if (proto === 'tcp46' && (IPV4.test(local.address) || IPV4.test(remote.address))) return 'ipv4';
  return 'ipv6';
}

const NOT_COLLECTED: Owner = { pid: null, process: null, owner: 'not-collected' };

function readOwner(rest: string, ctx: Context): Owner {
  const { layout } = ctx;
  if (layout === null) return inferOwner(rest, ctx);
  if (layout.kind === 'none') return NOT_COLLECTED;
  const owner = layout.kind === 'pid' ? pidColumn(rest, layout.index) : processPid(rest, layout.numbersBefore);
  // A header that does not fit its rows (a paste stitched from two releases): read the row itself.
  return owner ?? inferOwner(rest, ctx);
}

/**
 * Headerless rows (grep kept only the tcp lines). The layouts differ in shape:
 *  - Tahoe: four numbers, then "name:pid" (the name may hold spaces);
 *  - 10.14-12: so_state and options are printed "0x0102 0x00000008", so the 5th
 *    value starts with 0x and the pid is the 3rd (rhiwat shiwat pid);
 *  - the 15.1 sample prints so_state as five hex digits without 0x ("00102") in
 *    the 7th place, after rxbytes txbytes rhiwat shiwat pid epid: pid is the 5th.
 * Nothing after the state means no -v: no owners. Anything else is not guessed.
 */
function inferOwner(rest: string, ctx: Context): Owner {
  const cols = rest.trim().split(/\s+/).filter(Boolean);
  if (cols.length === 0) return NOT_COLLECTED;
  const tahoe = processPid(rest, 4);
  if (tahoe) return tahoe;
  if (cols[4]?.startsWith('0x')) return pidColumn(rest, 2) ?? unknownLayout(ctx);
  if (/^[0-9a-f]{5}$/.test(cols[6] ?? '')) return pidColumn(rest, 4) ?? unknownLayout(ctx);
  return unknownLayout(ctx);
}

function unknownLayout(ctx: Context): Owner {
  ctx.ownerless.push(ctx.line);
  return NOT_COLLECTED;
}

function pidColumn(rest: string, index: number): Owner | null {
  const pid = toInt(rest.trim().split(/\s+/)[index]);
  return pid === null ? null : { pid, process: null, owner: 'found' };
}

/** "process:pid" after `numbersBefore` numbers; the name may hold blanks and ends at the first ":digits" word end. */
function processPid(rest: string, numbersBefore: number): Owner | null {
  // Scanned by hand: a pattern for it backtracked quadratically over a run of blanks (recheck).
  let text = rest.trimStart();
  for (let n = 0; n < numbersBefore; n++) {
    const m = /^\d+\s+/.exec(text);
    if (!m) return null;
    text = text.slice(m[0].length);
  }
  for (let colon = text.indexOf(':'); colon >= 0 && colon <= 40; colon = text.indexOf(':', colon + 1)) {
    const end = text.slice(colon + 1).search(/\s|$/);
    const pid = toInt(text.slice(colon + 1, colon + 1 + end));
    if (pid !== null) return { pid, process: text.slice(0, colon).trim() || null, owner: 'found' };
  }
  return null;
}

function notes(ctx: Context, rows: SocketRow[]): string[] {
  const out: string[] = [];
  if (ctx.resolvedNames) {
    const skipped = ctx.skipped ? `; ${ctx.skipped} row(s) with unknown service names (${[...ctx.unknownServices].join(', ')}) were skipped` : '';
    out.push(`netstat printed host and service names (no -n): host names are kept as printed (and may be cut short by netstat's column width), well-known service names were turned into ports${skipped}. Run \`netstat -an -p tcp\` for numbers.`);
  }
  if (ctx.ownerless.length) out.push(`could not tell which \`netstat -v\` column holds the pid on line(s) ${ctx.ownerless.join(', ')}; owners were not read there.`);
  if (rows.length > 0 && ctx.ownerless.length === 0 && rows.every((r) => r.owner === 'not-collected')) {
    out.push('netstat without -v shows no owning processes; `netstat -anv -p tcp` (macOS) or `sockstat` (FreeBSD) does.');
  }
  return out;
}
