// FreeBSD `sockstat [-4] [-6] [-l] [-c] [-P tcp] [-s]`.
//
//   USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS
//   root     sshd       922   4  tcp4   192.168.5.2:22        192.168.5.4:55525
//   www      httpd      917   3  tcp6   *:80                  *:*
//
// Endpoints are "address:port" with IPv6 unbracketed ("::1:25", "fe80::1%em0:22"),
// "*" for an unspecified address or port (sockstat's formataddr). PROTO is
// tcp4/tcp6/tcp46, or toe4/toe6 for a connection handed to a TCP offload engine
// (still TCP). UNIX-domain (stream/dgram/seqpac), udp, sctp and divert lines are
// not TCP and are passed over. Sockets that belong to no open file sockstat can
// see are printed with "?" (older) or "??" (newer) for USER, COMMAND, PID and FD.
//
// Optional columns follow FOREIGN ADDRESS in a fixed order and are named in the
// header (PCB KVA, FIB, SPLICE ADDRESS, ID, ENCAPS, PATH STATE, CONN STATE, STACK,
// CC); only -s's CONN STATE matters here.

import type { Family } from '../port-ranges.js';
import { emptySocketTable, ownerWithoutProcess, type Endpoint, type SocketRow, type SocketTable } from '../sockets.js';
import { canonicalState, type TcpState } from '../tcp-states.js';
import { parseColonEndpoint, resolveWildcard } from './endpoint.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines } from './text.js';
import { checkAddress, readPid } from './values.js';

const FORMAT = 'sockstat';
const HEADER = /^\s*USER\s+COMMAND\s+PID\s+FD\s+PROTO\s+LOCAL ADDRESS\s+FOREIGN ADDRESS(.*)$/;
const HEADER_WORDS = /PCB KVA|SPLICE ADDRESS|PATH STATE|CONN STATE|\S+/g;
const TCP_PROTO = /^(?:tcp|toe)(?:4|6|46)$/;
const UNSEEN = /^\?{1,2}$/;
const PID_OR_FD = /^(?:\d+|\?{1,2})$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

interface Context {
  line: number;
  /** Names of the columns after FOREIGN ADDRESS, from the latest header; null before any header (sockstat -q). */
  extras: string[] | null;
  inferred: number;
  unseen: number;
}

export function looksLikeSockstat(text: string): boolean {
  return splitLines(text).some((l) => HEADER.test(l) || splitRow(l) !== null);
}

export function opensSockstat(line: string): boolean {
  return HEADER.test(line) || splitRow(line) !== null;
}

export function parseSockstat(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createSockstatReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

/** PROTO words of sockstat's other rows (udp, sctp, divert, UNIX-domain): claimed, and passed over. */
const OTHER_PROTO = /^(?:udp|udplite|sctp|divert)(?:4|6|46)?$|^(?:stream|dgram|seqpac)$/;

export function createSockstatReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  const ctx: Context = { line: 0, extras: null, inferred: 0, unseen: 0 };
  return {
    claims: (line) => HEADER.test(line) || line.trim().split(/\s+/).slice(4, 6).some((w) => TCP_PROTO.test(w) || OTHER_PROTO.test(w)),
    line(line, no) {
      ctx.line = no;
      const header = HEADER.exec(line);
      if (header) ctx.extras = header[1]!.match(HEADER_WORDS) ?? [];
      else if (isTcpLine(line)) out.rows.push(parseRow(line, ctx));
    },
    end() {
      out.readFrom.push(source);
      out.notes.push(...notes(ctx));
      return out;
    },
  };
}

/** A row, or a line whose PROTO place (5th word, 6th if COMMAND has a blank) says tcp: broken ones must not pass silently. */
function isTcpLine(line: string): boolean {
  return splitRow(line) !== null || line.trim().split(/\s+/).slice(4, 6).some((w) => TCP_PROTO.test(w));
}

interface RowWords {
  user: string;
  command: string;
  pid: string;
  proto: string;
  local: string;
  remote: string;
  rest: string[];
}

/**
 * USER COMMAND PID FD PROTO LOCAL FOREIGN [more], read as words: COMMAND may
 * hold blanks, so PROTO is the first tcp/toe word from the 5th on that has a
 * PID and an FD before it. (A single pattern with a lazy COMMAND group took
 * cubic time on a long run of blanks, issue #22.)
 */
function splitRow(line: string): RowWords | null {
  const words = line.trim().split(/\s+/);
  for (let k = 4; k + 2 < words.length; k++) {
    if (TCP_PROTO.test(words[k]!) && PID_OR_FD.test(words[k - 2]!) && PID_OR_FD.test(words[k - 1]!)) {
      return { user: words[0]!, command: words.slice(1, k - 2).join(' '), pid: words[k - 2]!, proto: words[k]!, local: words[k + 1]!, remote: words[k + 2]!, rest: words.slice(k + 3) };
    }
  }
  return null;
}

function parseRow(line: string, ctx: Context): SocketRow {
  const m = splitRow(line);
  if (!m) throw unreadable('a tcp row cut short (USER COMMAND PID FD PROTO LOCAL FOREIGN are needed)');
  const { command, pid: pidText, proto, local: localText, remote: remoteText, rest } = m;
  const local = endpoint(localText);
  const remote = endpoint(remoteText);
  const family = rowFamily(proto, local, remote);
  const state = readState(rest, remote, ctx);
  const pid = UNSEEN.test(pidText) ? null : readPid(pidText, 'PID');
  const row: SocketRow = { protocol: 'tcp', family, local: resolveWildcard(local, family), remote: resolveWildcard(remote, family), state, pid, process: UNSEEN.test(command) ? null : command, owner: 'found', ...(UNSEEN.test(m.user) ? {} : { user: m.user }) };
  if (pid !== null) return row;
  // "??": no open file holds the socket, or it belongs to a process sockstat may not
  // see (security.bsd.see_other_uids=0, another jail). A TIME_WAIT socket is no longer
  // owned by anyone.
  ctx.unseen++;
  return { ...row, process: null, owner: ownerWithoutProcess(state, true) };
}

function endpoint(text: string): Endpoint {
  const e = parseColonEndpoint(text);
  if (!e) throw refuse(`"${text}" is not an address:port endpoint`);
  checkAddress(e.address);
  return e;
}

/** tcp4 is IPv4; tcp6 is IPv6; tcp46 (a dual-stack socket) is IPv6 unless an address shows IPv4. */
function rowFamily(proto: string, local: Endpoint, remote: Endpoint): Family {
  if (proto.endsWith('46')) return IPV4.test(local.address) || IPV4.test(remote.address) ? 'ipv4' : 'ipv6';
  return proto.endsWith('4') ? 'ipv4' : 'ipv6';
}

/**
 * With -s the CONN STATE column has the state (FreeBSD's tcpstates names).
 * Without it sockstat prints no state at all. We then infer it from the foreign
 * address: "*:*" is a socket with no peer, which with -l is a listener (it can also
 * be a socket that is bound and not listening, a case sockstat cannot tell apart);
 * a peer means a connection, taken as ESTABLISHED though it may be closing.
 * That keeps listeners findable without -s, and one note says states were guessed.
 */
function readState(values: string[], remote: Endpoint, ctx: Context): TcpState {
  const native = stateValue(values, ctx);
  if (native === null) {
    ctx.inferred++;
    return remote.address === '*' && remote.port === 0 ? 'LISTEN' : 'ESTABLISHED';
  }
  const state = canonicalState(native);
  if (!state) throw refuse(`unknown TCP state "${native}"`);
  return state;
}

/** The CONN STATE value, or null when the output has no state column. */
function stateValue(values: string[], ctx: Context): string | null {
  if (ctx.extras === null) {
    // No header (sockstat -q): take a word that names a state, if any.
    return values.find((v) => canonicalState(v) !== null) ?? null;
  }
  let columns = ctx.extras;
  if (!columns.includes('CONN STATE')) return null;
  // PATH STATE is an SCTP column: current sockstat prints "??" there for TCP rows,
  // a blank cell (as some versions may print) leaves the row one value short.
  if (values.length === columns.length - 1) columns = columns.filter((c) => c !== 'PATH STATE');
  const value = values[columns.indexOf('CONN STATE')];
  if (value === undefined) throw unreadable('the CONN STATE column is empty');
  return value;
}

function notes(ctx: Context): string[] {
  const out: string[] = [];
  if (ctx.inferred) {
    out.push(`sockstat without -s prints no TCP states: ${ctx.inferred} row(s) were given LISTEN when the foreign address is *:* and ESTABLISHED otherwise. \`sockstat -s\` shows the real states.`);
  }
  if (ctx.unseen) out.push(`${ctx.unseen} socket(s) had no visible owner ("??": no open file, or a process sockstat may not see); run sockstat as root to see all owners.`);
  return out;
}
