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
//
// -A puts the PCB address first ("Socket Flowhash" on macOS, "Tcpcb" on
// FreeBSD). Without -W netstat cuts each endpoint to its column (22
// characters, 18 with -A) after cutting the host to 16 (12 with -A when ports
// are names): "lhr25s09-in-f10..https", "2001:f40:925:dc8.61797", and with -A
// "192.168.1.221.5486" whose port lost a digit. Host names and cut hosts are
// kept and marked; a port that may have been cut is not guessed (the row is
// reported as not read).

import type { Family } from '../port-ranges.js';
import { emptySocketTable, queuesOf, type Endpoint, type SocketRow, type SocketTable } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { addressFlags, readPortText, resolveWildcard, splitDotEndpoint } from './endpoint.js';
import { servicePort } from './service-ports.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines, toInt } from './text.js';
import { checkAddress, readCount } from './values.js';

const FORMAT = 'netstat (BSD/macOS)';
/** -A puts the PCB address first: "Socket Flowhash" (macOS) or "Tcpcb" (FreeBSD), in hex. */
const HEADER = /^\s*(?:(?:Socket|Tcpcb|Address)\s+)?(?:Flowhash\s+)?Proto\s+Recv-Q\s+Send-Q\s/;
/** Another layout's header ("Proto Rexmit OOORcv 0-win ..." of -T, "... R-HIWA S-HIWA ..." of -x): its rows have other columns. */
const OTHER_HEADER = /^\s*(?:(?:Socket|Tcpcb)\s+)?(?:Flowhash\s+)?Proto\s+(?!Recv-Q)\S/;
/** Every protocol word of netstat's rows, so the udp and icmp ("icm4") rows of `netstat -a` are passed over. */
const PROTO = /^(?:tcp|udp|icm)(?:4|6|46)$/;
const TCP_PROTO = /^tcp(?:4|6|46)$/;
const HEX = /^[\da-f]{1,16}$/i;
/** What follows an endpoint's last dot: a port, "*" or a service name. */
const PORT_SHAPE = /^(?:\d+|\*|[A-Za-z][\w-]*)$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/**
 * netstat's inetprint: the host is cut to 16 characters (12 with -A when
 * ports are names), then ".port", and the whole endpoint to 22 characters
 * (18 with -A) unless -W; -l widens IPv6 columns.
 */
const HOST_WIDTH = 16;
const HOST_WIDTH_A = 12;

type OwnerLayout = { kind: 'none' } | { kind: 'pid'; index: number } | { kind: 'process-pid'; numbersBefore: number };
type Owner = Pick<SocketRow, 'pid' | 'process' | 'owner'>;

interface Context {
  /** From the latest header line; null for rows pasted without one. */
  layout: OwnerLayout | null;
  /** The endpoint column width: from the header, else netstat's default; null once an endpoint is wider (-W, -l: nothing cut). */
  width: number | null;
  /** The latest header was another layout's (-T, -x): its rows are not read. */
  otherLayout: string | null;
  line: number;
  resolvedNames: boolean;
  cut: number;
  unknownServices: Set<string>;
  skipped: number;
  ownerless: number[];
}

interface RowWords {
  /** -A: the row starts with the PCB address. */
  pcb: boolean;
  proto: string;
  words: string[];
  /** The text after the state column. */
  rest: string;
}

export function looksLikeBsdNetstat(text: string): boolean {
  return splitLines(text).some(isRowShape);
}

export const opensBsdNetstat = isRowShape;

/** [pcb [flowhash]] tcp4 0 0 host.port host.port ..., read as words (a pattern for it backtracked polynomially over dots). */
function isRowShape(line: string): boolean {
  const r = splitRow(line);
  if (!r) return false;
  const [recv, send, local, remote] = r.words;
  return /^\d+$/.test(recv ?? '') && /^\d+$/.test(send ?? '') && isEndpointShape(local) && isEndpointShape(remote);
}

/** The words of a row after its protocol, with -A's leading hex columns told apart. */
function splitRow(line: string): RowWords | null {
  const words = line.trim().split(/\s+/);
  for (let k = 0; k <= 2 && k < words.length; k++) {
    if (PROTO.test(words[k]!)) return { pcb: k > 0, proto: words[k]!, words: words.slice(k + 1), rest: afterWords(line, k + 6) };
    if (!HEX.test(words[k]!)) return null;
  }
  return null;
}

/** The text after the first n words of a line (scanned by hand: a pattern for it backtracked over blanks). */
function afterWords(line: string, n: number): string {
  let i = 0;
  for (let w = 0; w < n; w++) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    while (i < line.length && !/\s/.test(line[i]!)) i++;
  }
  return line.slice(i);
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
  const ctx: Context = { layout: null, width: 22, otherLayout: null, line: 0, resolvedNames: false, cut: 0, unknownServices: new Set(), skipped: 0, ownerless: [] };
  let headerWidth = false;
  return {
    claims: (line) => HEADER.test(line) || OTHER_HEADER.test(line) || splitRow(line) !== null || isCutPcbRow(line),
    line(line, no) {
      ctx.line = no;
      if (isCutPcbRow(line)) throw unreadable('a row cut short after its PCB column (-A): the protocol, queues, addresses and state are missing');
      if (OTHER_HEADER.test(line)) {
        ctx.otherLayout = line.trim().split(/\s+/).slice(0, 4).join(' ');
        return;
      }
      if (HEADER.test(line)) {
        ctx.otherLayout = null;
        ctx.layout = headerLayout(line);
        const width = columnWidth(line);
        headerWidth = width !== null;
        ctx.width = width ?? 22;
        return;
      }
      const r = splitRow(line);
      if (!r || !TCP_PROTO.test(r.proto)) return;
      if (ctx.otherLayout) throw unreadable(`a row under "${ctx.otherLayout} ...", a layout without Recv-Q, Send-Q and a state (netstat -T or -x): run netstat -an`);
      // Rows without a header: -A's columns shorten the endpoint column to 18.
      if (!headerWidth && ctx.width !== null) ctx.width = r.pcb ? 18 : 22;
      out.rows.push(parseRow(r, ctx));
    },
    end() {
      out.readFrom.push(source);
      out.notes.push(...notes(ctx));
      const owners = ownersNote(ctx, out.rows);
      if (owners) out.notes.push((out.ownersNote = owners));
      return out;
    },
  };
}

/** -A's PCB address (and macOS's flow hash) with nothing after them: a row the paste cut short, not another section's line. */
function isCutPcbRow(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words.length <= 2 && /^[\da-f]{8,16}$/i.test(words[0] ?? '') && words.every((w) => HEX.test(w));
}

/** The endpoint column's width from the header: "Local Address" and "Foreign Address" are one column and a blank apart. */
function columnWidth(header: string): number | null {
  const local = header.indexOf('Local Address');
  const foreign = header.indexOf('Foreign Address');
  return local >= 0 && foreign > local ? foreign - local - 1 : null;
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

function parseRow(r: RowWords, ctx: Context): SocketRow {
  const [recvText, sendText, localText, remoteText, stateText] = r.words;
  if (stateText === undefined) throw unreadable('a row cut short (Recv-Q, Send-Q, two addresses and a state are needed)');
  const recvQ = readCount(recvText!, 'Recv-Q');
  const sendQ = readCount(sendText!, 'Send-Q');
  const state = canonicalState(stateText);
  // An endpoint where the state belongs: the row has other columns than this header's (a header lost in the paste).
  if (!state && isEndpointShape(stateText)) throw unreadable(`"${stateText}" where the state belongs: a row of another layout (netstat -T or -x?)`);
  if (!state) throw refuse(`unknown TCP state "${stateText}"`);
  // Wider than the column: netstat ran with -W or -l, and nothing in this table is cut.
  if (ctx.width !== null && (localText!.length > ctx.width || remoteText!.length > ctx.width)) ctx.width = null;
  const local = endpoint(localText!, r.pcb, ctx);
  const remote = endpoint(remoteText!, r.pcb, ctx);
  const family = rowFamily(r.proto, local, remote);
  // A listener's Recv-Q is reported as its accept-queue length; the limit shows
  // only in `netstat -L`. FreeBSD 12+ fills a listener's socket-buffer counts
  // with zeros (sotoxsocket), so there it reads 0 whatever is queued.
  const queues = queuesOf(state, recvQ, sendQ, null);
  const owner = readOwner(r.rest, ctx);
  return { protocol: 'tcp', family, local: resolveWildcard(local, family), remote: resolveWildcard(remote, family), state, ...owner, ...queues };
}

/**
 * "127.0.0.1.8080", "*.*", "fe80::1%lo0.631", and without -n "localhost.ipp",
 * "live.github.com.https" or, cut to the column, "lhr25s09-in-f10..https".
 * A row whose port netstat may have cut, or whose service name tcpdiag does
 * not know, is not read (reported); an address that fills the host width is
 * kept and marked addressCut.
 */
function endpoint(text: string, pcb: boolean, ctx: Context): Endpoint {
  const e = splitDotEndpoint(text);
  if (!e || !PORT_SHAPE.test(e.port)) throw refuse(`"${text}" is not an address.port endpoint`);
  const fills = ctx.width !== null && text.length === ctx.width;
  const port = readPortText(e.port, servicePort);
  if (port === null) throw refuse(`"${text}" is not an address.port endpoint`);
  if ('unknownService' in port) {
    ctx.unknownServices.add(port.unknownService);
    ctx.skipped++;
    ctx.resolvedNames = true;
    throw unreadable(fills ? `netstat cut this endpoint to its ${ctx.width}-character column, and "${port.unknownService}" is no service name tcpdiag knows: run netstat with -n (and -W)` : `a service name tcpdiag does not know ("${port.unknownService}"): run netstat with -n`);
  }
  // With -A the column is 18 wide, too narrow for a 16-character host and a 5-digit port: a number there may be cut
  // (with names, hosts are cut to 12 first, and an endpoint fits).
  if (fills && pcb && !port.named && !ctx.resolvedNames) throw unreadable(`netstat cut this endpoint ("${text}") to its ${ctx.width}-character column (-A without -W): its port may be cut short`);
  if (port.named) ctx.resolvedNames = true;
  const hostWidth = pcb && (port.named || ctx.resolvedNames) ? HOST_WIDTH_A : HOST_WIDTH;
  const cut = ctx.width !== null && e.address !== '*' && (e.address.length === hostWidth || e.address.length === HOST_WIDTH || e.address.endsWith('.'));
  checkAddress(e.address, { mayBeCut: cut });
  const flags = addressFlags(e.address, cut);
  if (flags.addressIsName) ctx.resolvedNames = true;
  if (cut) ctx.cut++;
  return { address: e.address, port: port.port, ...flags };
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

function notes(ctx: Context): string[] {
  const out: string[] = [];
  if (ctx.resolvedNames) {
    const skipped = ctx.skipped ? `; ${ctx.skipped} row(s) with service names tcpdiag does not know (${[...ctx.unknownServices].join(', ')}) were not read` : '';
    out.push(`netstat printed host and service names (no -n): host names are kept as the address (addressIsName), service names were turned into ports${skipped}. Run \`netstat -an -p tcp\` for numbers.`);
  }
  if (ctx.cut) out.push(`${ctx.cut} address(es) fill the host column netstat cuts to (16 characters, 12 with -A) and may be cut short: kept as printed and marked addressCut; \`netstat -W\` (and -l for IPv6) prints them whole.`);
  if (ctx.ownerless.length) out.push(`could not tell which \`netstat -v\` column holds the pid on line(s) ${ctx.ownerless.join(', ')}; owners were not read there.`);
  return out;
}

/** Why no row has an owner: netstat ran without -v. */
function ownersNote(ctx: Context, rows: SocketRow[]): string | null {
  if (rows.length === 0 || ctx.ownerless.length > 0 || !rows.every((r) => r.owner === 'not-collected')) return null;
  return 'netstat without -v shows no owning processes; `netstat -anv -p tcp` (macOS) or `sockstat` (FreeBSD) does.';
}
