// What to ask netlink sock_diag for, so that a question about one port or a
// few states pays for those sockets, not for the whole table (issue #19): the
// request's state mask, and a port filter in inet_diag bytecode
// (INET_DIAG_REQ_BYTECODE, run by the kernel's inet_diag_bc_run for every
// socket it walks). The kernel still walks its whole socket hash, but copies
// out only what matched: on a host with 100,000 sockets that is what makes
// `bind PORT` cost about what it costs on an idle one (bench/busy-host.mjs).

import type { SocketQuery } from '../sockets.js';
import { LINUX_TCP_STATES } from '../tcp-states.js';

/** The sockets to ask for; every one when absent. */
export type SockDiagQuery = SocketQuery & {
  /** The local port in one of these ranges [low, high] (an empty list matches nothing). */
  localPortRanges?: ReadonlyArray<readonly [number, number]>;
};

/** The most ranges a query carries: the kernel runs the program for every socket it walks. */
export const MAX_PORT_RANGES = 16;

/** `ports` as at most MAX_PORT_RANGES ranges, split at the widest gaps (the caller keeps only what it wants). */
export function portRangesOf(ports: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  // The widest gaps between neighbours become the splits; ties to the lower one, so the result is one answer.
  const splits = sorted
    .slice(1)
    .map((p, i) => ({ at: i + 1, gap: p - sorted[i]! }))
    .sort((a, b) => b.gap - a.gap || a.at - b.at)
    .slice(0, MAX_PORT_RANGES - 1)
    .map((g) => g.at)
    .sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (const at of [...splits, sorted.length]) {
    ranges.push([sorted[from]!, sorted[at - 1]!]);
    from = at;
  }
  return ranges;
}

/** Every state, TIME_WAIT and request sockets included. */
export const EVERY_STATE = 0xffffffff;

/**
 * Whether the query asks for fewer sockets than the whole table: some port
 * condition, or states that leave some state out.
 */
export function narrowsTable(query: SockDiagQuery | undefined): boolean {
  if (!query) return false;
  if (query.port !== undefined || query.localPort !== undefined || query.remotePort !== undefined || query.localPortRanges !== undefined) return true;
  return query.states !== undefined && LINUX_TCP_STATES.some((s) => s !== undefined && !query.states!.includes(s));
}

/**
 * A socket bound but neither listening nor connected sits in no hash the
 * dump walks but the bind hash, which Linux 6.8+ walks only when this bit is
 * asked (inet_diag "bound inactive" sockets); it is reported as CLOSE (7).
 */
const TCPF_BOUND_INACTIVE = 1 << 13;

/** The request's idiag_states: bit n for Linux state number n (SYN_RECEIVED is 3 and request sockets' 12; CLOSED also asks for bound-only sockets). */
export function stateMaskOf(query: SockDiagQuery | undefined): number {
  if (!query?.states) return EVERY_STATE;
  let mask = 0;
  LINUX_TCP_STATES.forEach((s, n) => {
    if (s && query.states!.includes(s)) mask |= 1 << n;
  });
  if (query.states.includes('CLOSED')) mask |= TCPF_BOUND_INACTIVE;
  return mask >>> 0;
}

// struct inet_diag_bc_op { u8 code; u8 yes; u16 no; }: "yes" and "no" are byte
// offsets to the next op. A port comparison takes a second op whose "no"
// holds the port. The program accepts a socket when a jump lands exactly on
// its end, and rejects it when a jump goes 4 bytes past it.
const BC_JMP = 1;
const BC_S_GE = 2;
const BC_S_LE = 3;
const BC_D_GE = 4;
const BC_D_LE = 5;

/** One op of a program; it falls through when its test holds, and jumps to `no` (a label or "reject") when not. */
interface Op {
  code: number;
  port?: number;
  no: string;
}

/** sport (or dport) from `low` to `high`: above or at one, and below or at the other. */
function within(side: 'local' | 'remote', low: number, high: number, no: string): Op[] {
  const [ge, le] = side === 'local' ? [BC_S_GE, BC_S_LE] : [BC_D_GE, BC_D_LE];
  return [
    { code: ge, port: low, no },
    { code: le, port: high, no },
  ];
}

const equals = (side: 'local' | 'remote', port: number, no: string) => within(side, port, port, no);

/**
 * The bytecode of the query's port conditions, all of which must hold, or
 * null when it has none. Every op falls through on success, so each jump
 * target lies on the chain of "yes" offsets, as the kernel's audit
 * (inet_diag_bc_audit, valid_cc) requires; an "or" jumps over its second half.
 */
export function bytecodeOf(query: SockDiagQuery | undefined): Buffer | null {
  const program: Array<Op | { label: string }> = [];
  const ranges = query?.localPortRanges;
  if (ranges) {
    // Any of the ranges: each one that fails tries the next, the last one rejects.
    if (ranges.length === 0) program.push(...within('local', 1, 0, 'reject'));
    ranges.forEach(([low, high], i) => {
      const last = i === ranges.length - 1;
      program.push(...within('local', low, high, last ? 'reject' : `range-${i + 1}`));
      if (!last) program.push({ code: BC_JMP, no: 'ranges-done' }, { label: `range-${i + 1}` });
    });
    program.push({ label: 'ranges-done' });
  }
  if (query?.port !== undefined) {
    // Either end: the local port, else the remote one.
    program.push(...equals('local', query.port, 'try-remote'), { code: BC_JMP, no: 'either-done' });
    program.push({ label: 'try-remote' }, ...equals('remote', query.port, 'reject'), { label: 'either-done' });
  }
  if (query?.localPort !== undefined) program.push(...equals('local', query.localPort, 'reject'));
  if (query?.remotePort !== undefined) program.push(...equals('remote', query.remotePort, 'reject'));
  if (program.length === 0) return null;
  return assemble(program);
}

function assemble(program: Array<Op | { label: string }>): Buffer {
  const size = (op: Op) => (op.port === undefined ? 4 : 8);
  const labels = new Map<string, number>();
  let length = 0;
  for (const item of program) {
    if ('label' in item) labels.set(item.label, length);
    else length += size(item);
  }
  const bc = Buffer.alloc(length);
  let at = 0;
  for (const item of program) {
    if ('label' in item) continue;
    const target = item.no === 'reject' ? length + 4 : labels.get(item.no);
    if (target === undefined) throw new Error(`inet_diag bytecode: no label ${item.no}`);
    bc.writeUInt8(item.code, at);
    bc.writeUInt8(size(item), at + 1);
    // Host byte order, as the kernel reads the struct (the caller checked the host is little-endian).
    bc.writeUInt16LE(target - at, at + 2);
    if (item.port !== undefined) bc.writeUInt16LE(item.port, at + 6);
    at += size(item);
  }
  return bc;
}
