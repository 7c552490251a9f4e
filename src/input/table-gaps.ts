// What the socket tables of a --from input cannot show, as sentences for
// notJudged (bind, doctor): read off each table's scope (input/table-scope.ts:
// its command line and heading), and off the rows of all of them together
// (tables of one input cover each other). A verdict drawn from a table that
// cannot hold a socket must not say "nothing holds the port" about it.

import type { TableScope } from '../os/sockets.js';
import { TCP_STATES, type TcpState } from '../os/tcp-states.js';
import { SS_CONNECTED } from './table-scope.js';

/**
 * Sentences for notJudged: what none of the socket tables of an input can
 * show. Tables cover each other (a paste of `cat /proc/net/tcp` and `cat
 * /proc/net/tcp6` shows both families); `port`, when the question is about
 * one port, lets a filter on that very port (`findstr :8080`) count as whole.
 */
export function tableGaps(scopes: ReadonlyArray<TableScope | null | undefined>, port: number | null = null): string[] {
  if (scopes.length === 0) return [];
  const by = commandsOf(scopes);
  const out: string[] = [];
  const families = new Set(scopes.flatMap((s) => s?.families ?? ['ipv4', 'ipv6']));
  // Only /proc/net/udp and udp6 pasted: no table shows a TCP socket of either family.
  if (families.size === 0) out.push(`TCP sockets: the socket table holds UDP sockets only${by}; add \`cat /proc/net/tcp /proc/net/tcp6\` output (or ss -tanp)`);
  for (const f of families.size === 0 ? [] : (['ipv4', 'ipv6'] as const)) {
    if (families.has(f)) continue;
    out.push(`${f === 'ipv4' ? 'IPv4' : 'IPv6'} sockets: the socket table holds ${f === 'ipv4' ? 'IPv6' : 'IPv4'} sockets only${by}${f === 'ipv6' ? '; an IPv6 listener on [::] also keeps IPv4 servers from its port' : ''}`);
  }
  out.push(...stateGaps(scopes, port));
  return [...out, ...rowGaps(scopes, port)];
}

/**
 * The states no table of the input shows: the union of what each table's
 * command line (or heading) leaves, over the tables that keep every row of
 * the port asked (a `grep` elsewhere drops rows of any state: rowGaps says
 * it). `netstat -tlnp` beside `netstat -tnp` shows every state; `ss -tlnp`
 * beside `ss -tnp` lacks SYN-RECV and TIME-WAIT, said by name (a user trial
 * found a fixed list, "a listener, TIME_WAIT, a pending connect", said of
 * both). CLOSED and BOUND are no holder of a port anyone asks about here.
 */
function stateGaps(scopes: ReadonlyArray<TableScope | null | undefined>, port: number | null): string[] {
  const whole = scopes.filter((s) => isWhole(s, port));
  const counted = whole.length > 0 ? whole : scopes;
  if (counted.some((s) => !s?.states)) return [];
  const states = new Set(counted.flatMap((s) => s!.states!));
  const missing = TCP_STATES.filter((t) => !states.has(t) && t !== 'CLOSED' && t !== 'BOUND');
  if (missing.length === 0) return [];
  const by = commandsOf(counted);
  const shown = TCP_STATES.filter((t) => states.has(t));
  // lsof alone lacks TIME_WAIT: said with why, as no option of lsof shows it.
  if (missing.length === 1 && missing[0] === 'TIME_WAIT' && counted.every((s) => s!.openFilesOnly)) {
    return [`TIME_WAIT sockets: lsof lists the sockets of open files, and a TIME_WAIT socket belongs to none (its process has closed it), so the socket table${by} cannot show one; capture ss -tan or netstat -an, which list them`];
  }
  // A table printed without -a lists nearly every state but the listeners: said as such.
  if (missing.includes('LISTEN') && shown.filter((t) => t !== 'CLOSED' && t !== 'BOUND').length >= SS_CONNECTED.length) {
    const rest = missing.filter((t) => t !== 'LISTEN');
    const nor = rest.length > 0 ? `, nor ${listOf(rest)} sockets` : '';
    return [`listening sockets: the socket table cannot show listeners${nor}${by}: netstat prints them only with -a, ss with -a or -l (capture netstat -ano or ss -tanp)`];
  }
  // Listeners alone: every other state is a client's or a closing connection's.
  const what = shown.every((t) => t === 'LISTEN' || t === 'CLOSED' || t === 'BOUND') ? `client and closing sockets (${listOf(missing)})` : `${listOf(missing)} sockets`;
  return [`sockets in other states: the socket table lists ${listOf(shown)} sockets only${by}; ${what} are not in it (capture netstat -ano or ss -tanp without a state filter)`];
}

/** "A", "A and B", "A, B and C". */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The command lines of some tables, as " (`a`, `b`)", or "" when none has one. */
function commandsOf(scopes: ReadonlyArray<TableScope | null | undefined>): string {
  const commands = [...new Set(scopes.map((s) => s?.command).filter(Boolean))];
  return commands.length > 0 ? ` (${commands.map((c) => `\`${c}\``).join(', ')})` : '';
}

/** Whether a table keeps every row of `port` (of every port when null): nothing left out by the poster, and each filter keeps that port's rows. */
function isWhole(s: TableScope | null | undefined, port: number | null): boolean {
  return !s?.omitted && (!s?.filters || s.filters.every((f) => port !== null && (f.port === port || f.ports?.includes(port) === true)));
}

/** Rows a table lacks: left out by the poster ("..."), or filtered out by the command line. */
function rowGaps(scopes: ReadonlyArray<TableScope | null | undefined>, port: number | null): string[] {
  const out: string[] = [];
  // Rows the poster left out ("...") may be of any port: such a table is whole for none.
  const whole = (s: TableScope | null | undefined) => isWhole(s, port);
  const cut = scopes.flatMap((s) => (s?.omitted ? [s.omitted] : []));
  if (!scopes.some(whole) && cut.length > 0) {
    const where = cut.map((o) => `${o.lines.length === 1 ? 'line' : 'lines'} ${o.lines.join(', ')} of ${o.file}`).join(', ');
    out.push(`rows the paste leaves out: the socket table is not whole, rows were left out at ${where} ("...", "<snip>")${port === null ? '' : `, and port ${port} may be among them`}; paste the whole output (or attach it as a file)`);
  }
  const keeps = (f: NonNullable<TableScope['filters']>[number]) => port !== null && (f.port === port || f.ports?.includes(port) === true);
  const filtered = scopes.filter((s) => s?.filters && !s.filters.every(keeps));
  if (!scopes.some(whole) && filtered.length > 0) {
    const filters = filtered.flatMap((s) => s!.filters!.filter((f) => !keeps(f)).map((f) => `\`${f.text}\``));
    out.push(`rows the capture filtered out: the socket table went through ${[...new Set(filters)].join(', ')}${port === null ? '' : `, which does not keep every row of port ${port}`}`);
  }
  return out;
}

/**
 * tableGaps over every socket table of a captured input (none: no gap to
 * say; a missing table is said elsewhere), and one gap their rows show: no
 * listener in any table, when no command line says the tables could hold
 * them. A host without a single listener is rare; a table pasted from
 * `netstat -no` or `ss -tnp` without its command line is not, and "nothing
 * keeps a server from the port" from it would be false (a user trial).
 */
export function capturedTableGaps(captured: { parts: ReadonlyArray<{ kind: string; table?: { scope?: TableScope; rows: ReadonlyArray<{ state: TcpState }>; users?: string[] } }> }, port: number | null = null): string[] {
  const tables = captured.parts.flatMap((p) => (p.kind === 'table' && p.table ? [p.table] : []));
  const gaps = tableGaps(tables.map((t) => t.scope), port);
  const couldList = tables.filter((t) => !t.scope?.states || t.scope.states.includes('LISTEN'));
  const listed = tables.some((t) => t.rows.some((r) => r.state === 'LISTEN'));
  if (couldList.length > 0 && !listed && couldList.every((t) => !t.scope?.commandRead)) {
    gaps.push('listening sockets: no socket table in the input holds a listener, as netstat and ss print their tables without -a (or -l); its command line is not in the paste to say otherwise (capture netstat -ano or ss -tanp, with the command line)');
  }
  // lsof lists only the processes its user may read (netstat and ss list every user's sockets): rows of one
  // user who is not root, with no sign that it ran as root, may lack every other user's sockets.
  const oneUser = (t: (typeof tables)[number]) => t.users?.length === 1 && !t.scope?.asRoot && !['root', '0'].includes(t.users[0]!);
  if (tables.length > 0 && tables.every(oneUser)) {
    const users = [...new Set(tables.flatMap((t) => t.users!))].join(', ');
    gaps.push(`sockets of other users' processes: every socket in the lsof table is ${users}'s, as lsof lists them when it runs without root; another user's socket, a listener among them, would not be in it (capture sudo lsof -nP -iTCP, or netstat or ss, which list every user's sockets)`);
  }
  return gaps;
}
