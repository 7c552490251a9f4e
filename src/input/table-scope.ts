// What a pasted socket table cannot show, read off the command line that
// printed it (and, for /proc/net/tcp, its header): `ss -tlnp` lists
// listeners only, `netstat -ano -p tcp` on Windows IPv4 only, `cat
// /proc/net/tcp` has no IPv6 sockets, `| findstr LISTENING` drops every
// other row. A verdict drawn from such a table must not say "nothing holds
// the port" about sockets the table could never show (a user trial found
// `bind --from` answering OK from `ss -tlnp` while a client socket held the
// port): the commands that judge rows name the gap instead (table-gaps.ts). So
// does a table the poster cut themselves ("..." in place of rows,
// TableScope.omitted, found by read-sections.ts).
//
// What each option leaves out rests on the tools' own documentation: ss(8)
// (-l listening only, -a all, -4/-6, -f, state, filter expressions),
// net-tools netstat(8) (-l, -a, -4/-6, -A), Microsoft's netstat page ("-p
// Protocol: TCP, UDP, TCPv6, or UDPv6": TCP alone is IPv4), FreeBSD and macOS
// netstat(1) (-p tcp lists tcp4, tcp6 and tcp46 rows; -f picks the family),
// lsof(8) (-i4/-i6, -i :port, -sTCP:LISTEN and ^ to exclude), FreeBSD
// sockstat(1) (-l, -c, -4, -6) and Get-NetTCPConnection's parameters. The
// Linux cases are also run for real (test/live/bind-from-partial-capture-linux.test.ts).

import type { Family } from '../os/port-ranges.js';
import type { TableScope } from '../os/sockets.js';
import { procHeaderKind } from '../os/parse/procfs-tcp.js';
import { TCP_STATES, type TcpState } from '../os/tcp-states.js';
import { commandOf } from './command-lines.js';

export type { TableScope };

/** The tools whose tables tcpdiag reads, by their command name. */
const TOOLS = new Set(['ss', 'netstat', 'lsof', 'sockstat', 'get-nettcpconnection']);
const FILTER_TOOLS = /^(?:grep|egrep|fgrep|findstr|find|select-string|sls|where-object|where|\?|head|tail|select-object|select)$/i;
const SS_STATES: Record<string, TcpState> = { established: 'ESTABLISHED', listening: 'LISTEN', 'syn-sent': 'SYN_SENT', 'syn-recv': 'SYN_RECEIVED', 'fin-wait-1': 'FIN_WAIT_1', 'fin-wait-2': 'FIN_WAIT_2', 'time-wait': 'TIME_WAIT', 'close-wait': 'CLOSE_WAIT', 'last-ack': 'LAST_ACK', closing: 'CLOSING' };
/**
 * What netstat prints without -a: every state but the listeners (net-tools
 * says so in its heading, "(w/o servers)"; Windows' netstat page: -a
 * "Displays all active connections and the TCP and UDP ports on which the
 * computer is listening"; BSD netstat(1): "sockets used by server processes
 * are not shown" without -a).
 */
const NOT_LISTENING: TcpState[] = TCP_STATES.filter((s) => s !== 'LISTEN' && s !== 'BOUND');
/** What ss prints without -a or -l: ss(8)'s "established" default, every state but listening, SYN-RECV, TIME-WAIT and closed (ss.c's SS_CONN). */
export const SS_CONNECTED: TcpState[] = ['ESTABLISHED', 'SYN_SENT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING'];
const PS_STATES: Record<string, TcpState> = { listen: 'LISTEN', established: 'ESTABLISHED', timewait: 'TIME_WAIT', closewait: 'CLOSE_WAIT', synsent: 'SYN_SENT', synreceived: 'SYN_RECEIVED', finwait1: 'FIN_WAIT_1', finwait2: 'FIN_WAIT_2', lastack: 'LAST_ACK', closing: 'CLOSING', bound: 'BOUND' };

/** The rest of a table section after its heading: its lines and the rows read from them. */
export interface TableBody {
  lines: readonly string[];
  rows: ReadonlyArray<{ family: Family; state: TcpState }>;
}

/** The scope of a table section of `format` from its lines before the first row (command line, header) and, where a format says more further down (/proc/net), its body; null when nothing says anything. */
export function scopeOfTable(format: string, heading: readonly string[], body: TableBody = { lines: [], rows: [] }): TableScope | null {
  const line = heading.filter((l) => commandOf(l) !== null).at(-1);
  const command = line === undefined ? undefined : commandOf(line)!;
  const scope: TableScope = { command: command ?? '' };
  // sudo, doas, or a root prompt ("root@host:~# ", "[root@host ~]# ", "# "): lsof then lists every user's sockets.
  if (line !== undefined && command !== undefined && (/^(?:sudo|doas)\s/.test(command) || line.trim().slice(0, -command.length).trim().endsWith('#'))) scope.asRoot = true;
  if (format === 'proc-net-tcp') {
    const families = procFamilies(command ?? '', [...heading, ...body.lines], body.rows);
    if (families) scope.families = families;
  }
  if (command && readCommand(format, command, scope)) scope.commandRead = true;
  // Without the tool's command line (none, or `cat saved.txt`), net-tools and BSD netstat say in their heading whether listeners are in the table.
  const heading0 = heading.find((l) => /^Active Internet connections\b/.test(l.trim()))?.trim();
  if (!scope.commandRead && heading0 && (format === 'linux-netstat' || format === 'bsd-netstat')) {
    if (/\(w\/o servers\)$/.test(heading0) || (format === 'bsd-netstat' && heading0 === 'Active Internet connections')) scope.states = NOT_LISTENING;
    if (/\(only servers\)$/.test(heading0)) scope.states = ['LISTEN'];
  }
  // Rows in a state the command line was read to leave out: an option tcpdiag does not know lists them; nothing is inferred.
  const states = scope.states;
  if (states && body.rows.some((r) => !states.includes(r.state))) delete scope.states;
  // A command line is kept even when it leaves nothing out: it says the table's listeners are all there (capturedTableGaps).
  return command || scope.families || scope.states || scope.filters ? scope : null;
}

/**
 * The families a /proc/net section shows: the TCP files its command line
 * names and every TCP header in it. `cat /proc/net/tcp /proc/net/tcp6`
 * prints two headers with no line between them, so a section may hold both
 * files (a user trial: such a paste was said to hold IPv4 sockets only). Rows
 * count for their family too (8 or 32 hex digits), for a paste that lost the
 * second header. null: both families, or nothing says which file (rows of a
 * grep); []: /proc/net/udp and udp6 only, no TCP socket at all.
 */
function procFamilies(command: string, lines: readonly string[], rows: TableBody['rows']): Family[] | null {
  const named = namedProcFiles(command);
  const shown = new Set<Family>(named.tcp);
  let udp = named.udp;
  for (const line of lines) {
    const kind = procHeaderKind(line);
    if (kind === 'udp') udp = true;
    else if (kind) shown.add(kind);
  }
  if (shown.size === 0 && !udp) return null;
  for (const row of rows) {
    if (shown.size === 2) break;
    shown.add(row.family);
  }
  return shown.size === 2 ? null : [...shown];
}

/** The /proc/net files a command line names, as the shell expands them: `tcp{,6}`, `{tcp,tcp6}` and `tcp*` name tcp and tcp6. */
function namedProcFiles(command: string): { tcp: Family[]; udp: boolean } {
  const tcp = new Set<Family>();
  let udp = false;
  // Quotes, pipes and redirections are no part of a path.
  for (const word of command.split(/[\s|;&<>()"']+/).flatMap(expandBraces)) {
    const m = /\/proc\/(?:[\w-]+\/)?net\/(tcp|udp)(6|\*|\?|\[6\])?$/.exec(word);
    if (!m) continue;
    if (m[1] === 'udp') {
      udp = true;
      continue;
    }
    if (m[2] !== '6' && m[2] !== '?' && m[2] !== '[6]') tcp.add('ipv4');
    if (m[2] !== undefined) tcp.add('ipv6');
  }
  return { tcp: [...tcp], udp };
}

/** One brace group of a word, expanded ("a{,6}" -> "a", "a6"). */
function expandBraces(word: string): string[] {
  const m = /\{([^{}]*)\}/.exec(word);
  if (!m || !m[1]!.includes(',')) return [word];
  const [before, after] = [word.slice(0, m.index), word.slice(m.index + m[0].length)];
  return m[1]!.split(',').map((alt) => `${before}${alt}${after}`);
}

/** Reads what the table's command line leaves out into `scope`; true when it names the tool that printed the table. */
function readCommand(format: string, command: string, scope: TableScope): boolean {
  // A shell loop's tail ("; sleep 1; done") is not part of the filter.
  const [main = '', ...piped] = splitPipeline(command.split(/;\s*(?:sleep|done)\b/)[0]!);
  const words = main.split(/\s+/);
  // netstat.exe is netstat.
  const tool = (words[words[0] === 'sudo' || words[0] === 'doas' ? 1 : 0]?.toLowerCase() ?? '').replace(/\.exe$/, '');
  // Windows' netstat also takes its options after a slash (`netstat /a /n /o`).
  const optionStart = format === 'windows-netstat' ? /^[-/][A-Za-z0-9]+$/ : /^-[A-Za-z0-9]+$/;
  const flags = words.filter((w) => optionStart.test(w)).map((w) => w.slice(1));
  const short = (ch: string) => flags.some((f) => f.length <= 8 && f.includes(ch));
  const after = (opt: RegExp) => {
    const at = words.findIndex((w) => opt.test(w));
    return at < 0 ? undefined : words[at + 1]?.toLowerCase();
  };
  const family = (f: Family) => (scope.families = [f]);
  if (tool === 'ss') {
    // -l and -a each set the state filter: the later one counts (`ss -tlna` lists every state).
    const order = flags.join('');
    if ((order.lastIndexOf('l') > order.lastIndexOf('a') && short('l')) || words.includes('--listening')) scope.states = ['LISTEN'];
    else if (!short('a') && !words.includes('--all')) scope.states = SS_CONNECTED;
    if (short('4') || words.includes('--ipv4') || after(/^(?:-f|--family)$/) === 'inet') family('ipv4');
    if (short('6') || words.includes('--ipv6') || after(/^(?:-f|--family)$/) === 'inet6') family('ipv6');
    const state = after(/^state$/);
    if (state && state !== 'all') scope.states = SS_STATES[state] ? [SS_STATES[state]] : scope.states;
    if (state && state !== 'all' && !SS_STATES[state]) addFilter(scope, `state ${state}`);
    const expression = /\b(?:sport|dport|src|dst)\b.*$/.exec(main);
    if (expression) addFilter(scope, expression[0]);
  } else if (tool === 'netstat' && format === 'windows-netstat') {
    // -q lists listeners too (and bound ports that do not listen).
    if (!short('a') && !short('q')) scope.states = NOT_LISTENING;
    const proto = after(/^[-/]p$/i);
    if (proto === 'tcp') family('ipv4');
    if (proto === 'tcpv6') family('ipv6');
  } else if (tool === 'netstat') {
    // With -a as well, netstat lists every state (`netstat -tulpena`).
    const all = short('a') || words.includes('--all');
    if (((format === 'linux-netstat' && short('l')) || words.includes('--listening')) && !all) scope.states = ['LISTEN'];
    // Without -a (or -l) neither net-tools nor BSD netstat prints listeners (BSD's -L prints listen queues, no table read here).
    else if (!all) scope.states = NOT_LISTENING;
    if ((format === 'linux-netstat' && short('4')) || after(/^-f$/) === 'inet' || after(/^-A$/) === 'inet') family('ipv4');
    if ((format === 'linux-netstat' && short('6')) || after(/^-f$/) === 'inet6' || after(/^-A$/) === 'inet6') family('ipv6');
  } else if (tool === 'lsof') {
    if (words.some((w) => /^-i4/.test(w))) family('ipv4');
    if (words.some((w) => /^-i6/.test(w))) family('ipv6');
    if (words.some((w) => /^-sTCP:LISTEN$/i.test(w))) scope.states = ['LISTEN'];
    const excluded = words.find((w) => /^-sTCP:\^/i.test(w));
    if (excluded) addFilter(scope, excluded);
    const port = words.map((w) => /^-i(?:4|6)?(?:TCP)?(?:@[^:]*)?:(\d{1,5})$/i.exec(w)?.[1]).find(Boolean);
    if (port) addFilter(scope, `-i :${port}`, Number(port));
  } else if (tool === 'sockstat') {
    if (short('l') && !short('c')) scope.states = ['LISTEN'];
    if (short('c') && !short('l')) addFilter(scope, '-c (connected sockets only)');
    if (short('4') && !short('6')) family('ipv4');
    if (short('6') && !short('4')) family('ipv6');
  } else if (tool === 'get-nettcpconnection') {
    const state = after(/^-State$/i);
    if (state && !state.includes(',')) scope.states = PS_STATES[state] ? [PS_STATES[state]] : scope.states;
    const local = after(/^-LocalPort$/i);
    if (local) addFilter(scope, `-LocalPort ${local}`, /^\d{1,5}$/.test(local) ? Number(local) : null);
    for (const p of ['-RemotePort', '-RemoteAddress', '-LocalAddress', '-OwningProcess']) {
      const v = after(new RegExp(`^${p}$`, 'i'));
      if (v) addFilter(scope, `${p} ${v}`);
    }
  }
  for (const segment of piped) {
    const [name = '', ...rest] = segment.split(/\s+/);
    if (!FILTER_TOOLS.test(name)) continue;
    // Select-Object picks columns unless told to keep only some rows.
    if (/^select(?:-object)?$/i.test(name) && !rest.some((w) => /^-(?:First|Last|Skip|Index)$/i.test(w))) continue;
    // A port the filter names (`findstr :8080`, `grep 8080`): the rows of that port are all there.
    const pattern = rest.filter((w) => !w.startsWith('-') && !w.startsWith('/')).join(' ').replace(/^["']|["']$/g, '');
    // Only a text match names a port: `head -5` and `Select-Object -First 5` keep rows by count.
    const port = /^(?:select|head|tail)/i.test(name) ? undefined : /^:?(\d{1,5})$/.exec(pattern)?.[1];
    const inverted = rest.some((w) => /^(?:-v|--invert-match|\/v|-NotMatch)$/i.test(w));
    addFilter(scope, segment, port && !inverted ? Number(port) : null);
  }
  return TOOLS.has(tool) || (format === 'proc-net-tcp' && namedProcFiles(main).tcp.length > 0);
}

/** The commands of a pipeline; a "|" inside quotes (`grep -E 'State|5432'`) is the pattern's. */
function splitPipeline(command: string): string[] {
  const out = [''];
  let quote: string | null = null;
  for (const ch of command) {
    if (quote) quote = ch === quote ? null : quote;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '|') {
      out.push('');
      continue;
    }
    out[out.length - 1] += ch;
  }
  return out.map((s) => s.trim());
}

function addFilter(scope: TableScope, text: string, port: number | null = null): void {
  (scope.filters ??= []).push({ text, port });
}
