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
import { canonicalState, TCP_STATES, type TcpState } from '../os/tcp-states.js';
import { commandOf } from './command-lines.js';
import { readSsFilter, SS_ALL } from '../os/parse/ss-filter.js';

export type { TableScope };

/** The tools whose tables tcpdiag reads, by their command name. */
const TOOLS = new Set(['ss', 'netstat', 'lsof', 'sockstat', 'get-nettcpconnection']);
/** The pipe stages whose text match may name a port (`grep 8080`, `findstr :8080`). */
const GREP_TOOLS = /^(?:grep|egrep|fgrep|rg|ag|findstr|find|select-string|sls)$/i;
/**
 * The pipe stages known to keep every row: they sort, page, align, cut
 * columns, copy (tee, the clipboard) or format. Any other stage (grep, awk,
 * sed, perl, head, Where-Object) may drop rows: a user trial found `| awk
 * '/LISTEN/'` and `| sed -n '/LISTEN/p'` read as keeping every row.
 */
const KEEPS_ROWS = /^(?:sort|less|more|cat|column|tee|cut|nl|expand|clip|pbcopy|xclip|xsel|sort-object|format-table|ft|format-list|fl|out-string|out-host|out-default|out-file|set-clipboard|scb|tee-object)$/i;
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
  // lsof lists the sockets of open files: a TIME_WAIT socket, whose process closed it, is in no lsof table, whatever
  // its options (a user trial: `sudo lsof -nP -iTCP` answered OK with no gap).
  if (format === 'lsof' && !body.rows.some((r) => r.state === 'TIME_WAIT')) {
    scope.states = (scope.states ?? LSOF_STATES).filter((s) => s !== 'TIME_WAIT');
    scope.openFilesOnly = true;
  }
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
  const toolAt = words[0] === 'sudo' || words[0] === 'doas' ? 1 : 0;
  const tool = (words[toolAt]?.toLowerCase() ?? '').replace(/\.exe$/, '');
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
    // The FILTER after the options: its state keywords replace -l's and -a's states; its expression keeps the rows of the ports it names by `sport`.
    const filter = readSsFilter(words.slice(toolAt + 1));
    if (filter.states && filter.states.length < SS_ALL.length) scope.states = filter.states;
    else if (filter.states) delete scope.states;
    if (filter.unknownState) addFilter(scope, filter.unknownState);
    if (filter.expression) addFilter(scope, filter.expression.text, filter.expression.ports[0] ?? null, filter.expression.ports);
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
    readLsofStates(words, scope);
    const port = words.map((w) => /^-i(?:4|6)?(?:TCP)?(?:@[^:]*)?:(\d{1,5})$/i.exec(w)?.[1]).find(Boolean);
    if (port) addFilter(scope, `-i :${port}`, Number(port));
  } else if (tool === 'sockstat') {
    if (short('l') && !short('c')) scope.states = ['LISTEN'];
    if (short('c') && !short('l')) addFilter(scope, '-c (connected sockets only)');
    if (short('4') && !short('6')) family('ipv4');
    if (short('6') && !short('4')) family('ipv6');
  } else if (tool === 'get-nettcpconnection') {
    readPsStates(main, scope);
    const local = after(/^-LocalPort$/i);
    if (local) addFilter(scope, `-LocalPort ${local}`, /^\d{1,5}$/.test(local) ? Number(local) : null);
    for (const p of ['-RemotePort', '-RemoteAddress', '-LocalAddress', '-OwningProcess']) {
      const v = after(new RegExp(`^${p}$`, 'i'));
      if (v) addFilter(scope, `${p} ${v}`);
    }
  }
  for (const segment of piped) {
    const [stage = '', ...rest] = segment.replace(/^(?:sudo|doas)\s+/, '').split(/\s+/);
    // `/usr/bin/grep` is grep, `findstr.exe` findstr.
    const name = stage.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '');
    if (keepsEveryRow(name, rest)) continue;
    // A port the filter names (`findstr :8080`, `grep 8080`): the rows of that port are all there.
    const pattern = rest.filter((w) => !w.startsWith('-') && !w.startsWith('/')).join(' ').replace(/^["']|["']$/g, '');
    // Only a text match names a port: `head -5` and `Select-Object -First 5` keep rows by count; of other tools (awk, sed, perl) nothing is read.
    const port = GREP_TOOLS.test(name) ? /^:?(\d{1,5})$/.exec(pattern)?.[1] : undefined;
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

function addFilter(scope: TableScope, text: string, port: number | null = null, ports?: number[]): void {
  (scope.filters ??= []).push(ports && ports.length > 1 ? { text, port, ports } : { text, port });
}

/**
 * Whether a pipe stage keeps every row: one of KEEPS_ROWS (`sort -u` and
 * `uniq` drop only repeated lines, the same socket printed twice), or
 * Select-Object picking columns, not rows (no -First, -Last, -Skip, -Index).
 */
function keepsEveryRow(name: string, args: readonly string[]): boolean {
  if (KEEPS_ROWS.test(name)) return true;
  // uniq -u and -d print only the lines seen once, or more than once.
  if (/^uniq$/i.test(name)) return !args.some((w) => /^-[a-zA-Z]*[udD]/.test(w) || /^--(?:unique|repeated|all-repeated)/.test(w));
  if (/^(?:select|select-object)$/i.test(name)) return !args.some((w) => /^-(?:First|Last|Skip|SkipLast|Index|Unique)$/i.test(w));
  return false;
}

/** What an lsof table can show: every state but TIME_WAIT (readLsofStates). */
const LSOF_STATES: TcpState[] = TCP_STATES.filter((s) => s !== 'TIME_WAIT');

/**
 * The states of an lsof table: `-sTCP:LISTEN,ESTABLISHED` lists those, `-sTCP:^LISTEN` every other (`-s TCP:...`
 * as two words too). No TIME_WAIT in any: lsof lists the sockets of open files, and a TIME_WAIT socket belongs to
 * no file (its process closed it), so scope.states is set for every lsof table (scopeOfTable).
 */
function readLsofStates(words: readonly string[], scope: TableScope): void {
  const lists = words.flatMap((w, i) => {
    const m = /^-s(?:TCP:(.*))?$/i.exec(w) ?? (/^-s$/.test(words[i - 1] ?? '') ? /^TCP:(.*)$/i.exec(w) : null);
    return m?.[1] !== undefined ? m[1].split(',') : [];
  });
  if (lists.length === 0) return;
  const include = new Set<TcpState>();
  const exclude = new Set<TcpState>();
  for (const item of lists) {
    const state = canonicalState(item.replace(/^\^/, ''));
    if (!state) {
      addFilter(scope, `-sTCP:${lists.join(',')}`);
      return;
    }
    (item.startsWith('^') ? exclude : include).add(state);
  }
  scope.states = (include.size > 0 ? [...include] : LSOF_STATES).filter((s) => !exclude.has(s) && s !== 'TIME_WAIT');
}

/**
 * Get-NetTCPConnection -State: one state or several (`-State Listen,Bound`, `-State Listen, Bound`,
 * `-State @('Listen','Bound')`, `-State:Listen`): their union. A name not read leaves the table as a filter.
 */
function readPsStates(command: string, scope: TableScope): void {
  const m = /(?:^|\s)-State(?::|\s+)((?:@\(\s*)?["']?\w+["']?(?:\s*,\s*["']?\w+["']?)*\s*\)?)/i.exec(command);
  if (!m) return;
  const names = m[1]!.replace(/[@()"']/g, '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  const states = names.map((n) => PS_STATES[n]);
  if (states.some((s) => s === undefined)) addFilter(scope, `-State ${m[1]!.trim()}`);
  else scope.states = [...new Set(states as TcpState[])];
}
