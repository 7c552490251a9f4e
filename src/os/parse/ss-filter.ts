// What the FILTER after ss's options keeps: its `state` and `exclude`
// keywords (the states) and its expression (the ports whose every row it
// keeps). Read as ss.c reads them (iproute2 misc/ss.c, main and scan_state;
// ss(8) "STATE-FILTER"): the first `state` keyword starts from no state, the
// first `exclude` from every state, and each one after adds or takes away;
// then the rest of the line is the expression. A user trial found
// `ss -tanp state established state time-wait` and `ss -tanp exclude
// listening` read as complete tables, and `ss -tanp sport = :3000` as a
// filter that drops rows of port 3000.

import { TCP_STATES, type TcpState } from '../tcp-states.js';

/** Every state ss can show (SS_ALL): BOUND is Windows' alone. */
export const SS_ALL: TcpState[] = TCP_STATES.filter((s) => s !== 'BOUND');
const without = (...out: TcpState[]) => SS_ALL.filter((s) => !out.includes(s));

/** ss.c scan_state: a state name or a group of ss(8). */
const SS_STATE_NAMES: Record<string, TcpState[]> = {
  established: ['ESTABLISHED'],
  'syn-sent': ['SYN_SENT'],
  'syn-recv': ['SYN_RECEIVED'],
  'syn-rcv': ['SYN_RECEIVED'],
  'fin-wait-1': ['FIN_WAIT_1'],
  'fin-wait-2': ['FIN_WAIT_2'],
  'time-wait': ['TIME_WAIT'],
  unconnected: ['CLOSED'],
  close: ['CLOSED'],
  closed: ['CLOSED'],
  'close-wait': ['CLOSE_WAIT'],
  'last-ack': ['LAST_ACK'],
  listening: ['LISTEN'],
  closing: ['CLOSING'],
  all: SS_ALL,
  connected: without('CLOSED', 'LISTEN'),
  synchronized: without('CLOSED', 'LISTEN', 'SYN_SENT'),
  bucket: ['SYN_RECEIVED', 'TIME_WAIT'],
  big: without('SYN_RECEIVED', 'TIME_WAIT'),
};

/** ss options that take the next word as their argument (ss(8)). */
const TAKES_ARGUMENT = /^(?:-[fADFN]|--family|--query|--socket|--diag|--filter|--net)$/;

export interface SsFilter {
  /** The states the state keywords leave; undefined: no keyword (the options' default stands). */
  states?: TcpState[];
  /** A state keyword ss does not know (ss then prints no table). */
  unknownState?: string;
  /** The expression as typed, and the local ports whose every row it keeps. */
  expression?: { text: string; ports: number[] };
}

/** The FILTER of an ss command line; `words` are the words after `ss`. */
export function readSsFilter(words: readonly string[]): SsFilter {
  let at = 0;
  while (at < words.length && words[at]!.startsWith('-')) at += TAKES_ARGUMENT.test(words[at]!) ? 2 : 1;
  const out: SsFilter = {};
  let states: Set<TcpState> | undefined;
  for (; at + 1 < words.length; at += 2) {
    const keyword = words[at]!.toLowerCase();
    if (keyword !== 'state' && keyword !== 'exclude' && keyword !== 'excl') break;
    const named = SS_STATE_NAMES[words[at + 1]!.toLowerCase()];
    if (!named) {
      out.unknownState = `${words[at]} ${words[at + 1]}`;
      return out;
    }
    states ??= new Set(keyword === 'state' ? [] : SS_ALL);
    for (const s of named) {
      if (keyword === 'state') states.add(s);
      else states.delete(s);
    }
  }
  if (states) out.states = SS_ALL.filter((s) => states.has(s));
  const rest = words.slice(at).join(' ').trim();
  if (rest) out.expression = { text: rest, ports: keptPorts(rest) };
  return out;
}

/**
 * The local ports whose every row an ss expression keeps: `sport = :3000`
 * keeps them all; `or` keeps what either side keeps, `and` (or two terms
 * side by side) what both keep. `dport = :3000` keeps the rows whose remote
 * port is 3000, not the local port's holders; `not`, a range and an address
 * keep no port whole. An expression not read keeps none.
 */
export function keptPorts(expression: string): number[] {
  const tokens = expression.replace(/["']/g, ' ').match(/\(|\)|&&|\|\||[!<>=]=?|[^\s()!<>=&|]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at]?.toLowerCase();
  const orExpr = (): Set<number> => {
    let left = andExpr();
    while (peek() === 'or' || peek() === '||') {
      at++;
      left = new Set([...left, ...andExpr()]);
    }
    return left;
  };
  const andExpr = (): Set<number> => {
    let left = term();
    while (at < tokens.length && peek() !== ')' && peek() !== 'or' && peek() !== '||') {
      if (peek() === 'and' || peek() === '&&') at++;
      const right = term();
      left = new Set([...left].filter((p) => right.has(p)));
    }
    return left;
  };
  const term = (): Set<number> => {
    const t = peek();
    if (t === undefined) throw new Error('end of expression');
    at++;
    if (t === '(') {
      const inner = orExpr();
      if (peek() !== ')') throw new Error('unclosed (');
      at++;
      return inner;
    }
    if (t === 'not' || t === '!') {
      term();
      return new Set();
    }
    // A condition: its name, an operator (none is equality), its value.
    const op = /^(?:[!<>=]=?|eq|neq|ne|gt|lt|ge|le|geq|leq)$/.test(peek() ?? '') ? tokens[at++]!.toLowerCase() : '=';
    const value = tokens[at++];
    if (value === undefined) throw new Error('no value');
    const port = /^\*?:(\d{1,5})$/.exec(value)?.[1];
    const equal = op === '=' || op === '==' || op === 'eq';
    return t === 'sport' && equal && port !== undefined ? new Set([Number(port)]) : new Set();
  };
  try {
    const ports = orExpr();
    return at === tokens.length ? [...ports] : [];
  } catch {
    return [];
  }
}
