// One socket listed by two tables of one paste (`ss -tanp` then `netstat
// -tanp`, `sudo lsof` then `netstat -an`, `netstat -ano` then
// Get-NetTCPConnection) is one socket: a user trial found it counted twice —
// 12 CLOSE_WAIT sockets for 6 (a false close-wait pile-up, exit 1), every bind
// finding said twice, and netstat's copy "owner not captured" right under the
// lsof row that named it.
//
// Rows of two tables are the same socket when protocol, local and remote
// address and port (compared as bind compares addresses: IPv4-mapped as IPv4,
// zone ids and case aside) and state agree. The merged row keeps the most
// informative copy (an owner found over none seen) and takes from the other
// what it lacks (process name, queues, further owners).
//
// Not merged:
//  - rows of one table: a table lists each socket once (lsof once per process,
//    as forked servers share it), so two equal rows of one table are two
//    sockets (SO_REUSEPORT listeners, even of one process); each row of a
//    later table stands for at most one row of an earlier one;
//  - rows whose owners are both known and share no process: two listeners of
//    one address and port under SO_REUSEPORT, not one socket seen twice;
//  - addresses printed as names or cut to a column width: they cannot be compared.
// Reruns of one command line never get here: later-captures.ts keeps only the
// last run. Only the tables of one input are merged: two files may be two hosts.

import type { CapturedPart } from '../os/captured/parts.js';
import type { Endpoint, OwnerStatus, SocketRow } from '../os/sockets.js';
import { addressKind } from '../os/address-kind.js';

/** How much a row says about its owner: a named process over none, over not visible, over not asked for. */
const OWNER_RANK: Record<OwnerStatus, number> = { found: 3, none: 2, hidden: 1, 'not-collected': 0 };

/** The tables' parts with every row a part earlier in `parts` already lists merged into that row and left out of its own table. */
export function mergeSameSockets(parts: readonly CapturedPart[]): CapturedPart[] {
  /** Rows kept so far under their socket's key: which part lists each, and the later parts one of theirs was merged into. */
  const kept = new Map<string, Array<{ part: number; row: number; takenBy: Set<number> }>>();
  const rows = parts.map((p) => (p.kind === 'table' ? [...p.table.rows] : null));
  const dropped = parts.map(() => new Set<number>());
  rows.forEach((list, part) => {
    list?.forEach((row, i) => {
      const key = socketKey(row);
      if (key === null) return;
      const same = kept.get(key) ?? [];
      const match = same.find((k) => k.part !== part && !k.takenBy.has(part) && sameOwners(rows[k.part]![k.row]!, row));
      if (!match) {
        same.push({ part, row: i, takenBy: new Set() });
        kept.set(key, same);
        return;
      }
      match.takenBy.add(part);
      rows[match.part]![match.row] = mergeRows(rows[match.part]![match.row]!, row);
      dropped[part]!.add(i);
    });
  });
  return parts.map((p, i) => {
    if (p.kind !== 'table') return p;
    const changed = dropped[i]!.size > 0 || rows[i]!.some((r, j) => r !== p.table.rows[j]);
    if (!changed) return p;
    const left = rows[i]!.filter((_, j) => !dropped[i]!.has(j));
    // "printed no owners" is said of the rows still without one: none left when another table named them all.
    const stale = p.table.ownersNote !== undefined && !left.some((r) => r.owner === 'not-collected');
    const notes = stale ? p.table.notes.filter((n) => n !== p.table.ownersNote) : p.table.notes;
    return { ...p, table: { ...p.table, rows: left, notes } };
  });
}

/** What makes two rows one socket; null when an address is a name or cut short. */
function socketKey(r: SocketRow): string | null {
  if (r.local.addressIsName || r.local.addressCut || r.remote.addressIsName || r.remote.addressCut) return null;
  // A listener's remote side is spelled "*:*", "0.0.0.0:*", "[::]:0" by tool and family alike: all say "no peer".
  const remote = r.remote.port === 0 && isWildcard(r.remote.address) ? '*' : endpointKey(r.remote);
  return `${r.protocol} ${endpointKey(r.local)} ${remote} ${r.state}`;
}

function endpointKey(e: Endpoint): string {
  return `${addressKey(e.address)} ${e.port}`;
}

/** The address as bind compares it: IPv4-mapped as its IPv4, zone and case aside, IPv6 in its one short form. */
function addressKey(address: string): string {
  const { v4 } = addressKind(address);
  if (v4 !== null) return v4;
  const bare = address.split('%')[0]!.toLowerCase();
  try {
    return new URL(`http://[${bare}]/`).hostname;
  } catch {
    return bare;
  }
}

function isWildcard(address: string): boolean {
  const { kind } = addressKind(address);
  return address === '*' || kind === 'v4-any' || kind === 'v6-any';
}

function ownerPids(r: SocketRow): number[] {
  return r.pid === null ? [] : [r.pid, ...(r.otherOwners ?? []).map((o) => o.pid)];
}

/** Either copy names no process, or they share one: two copies of one socket (disjoint owners are two sockets, SO_REUSEPORT). */
function sameOwners(a: SocketRow, b: SocketRow): boolean {
  const x = ownerPids(a);
  const y = ownerPids(b);
  return x.length === 0 || y.length === 0 || x.some((p) => y.includes(p));
}

/** The copy that says most about the owner, with what the other adds. */
function mergeRows(a: SocketRow, b: SocketRow): SocketRow {
  const [best, other] = OWNER_RANK[b.owner] > OWNER_RANK[a.owner] ? [b, a] : [a, b];
  const { otherOwners: _, ...rest } = { ...other, ...best };
  const out: SocketRow = rest;
  // A field the best copy lacks is taken from the other (spread keeps only what best has).
  for (const k of ['acceptQueue', 'recvQ', 'sendQ', 'inAcceptQueue', 'inode', 'uid', 'retransmits'] as const) {
    if (best[k] === undefined && other[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = other[k];
  }
  // Inode 0 says "not accepted yet" (waitsInAcceptQueue): not of a socket whose owner the other copy names.
  if (best.inode === undefined && other.inode === 0 && best.owner === 'found') {
    delete out.inode;
    delete out.inAcceptQueue;
  }
  // ss keeps an address's zone id ("127.0.0.53%lo"), netstat drops it.
  for (const k of ['local', 'remote'] as const) if (!best[k].address.includes('%') && other[k].address.includes('%')) out[k] = other[k];
  // ss shows a listener's backlog limit, netstat only its length.
  if (a.acceptQueue && b.acceptQueue && out.acceptQueue?.max === null) out.acceptQueue = (a.acceptQueue.max !== null ? a : b).acceptQueue;
  const names = new Map<number, string | null>();
  for (const r of [best, other]) {
    if (r.pid !== null) names.set(r.pid, names.get(r.pid) ?? r.process);
    for (const o of r.otherOwners ?? []) names.set(o.pid, names.get(o.pid) ?? o.process);
  }
  if (out.pid !== null) {
    out.process = names.get(out.pid) ?? null;
    const others = [...names].filter(([pid]) => pid !== out.pid).map(([pid, process]) => ({ pid, process }));
    if (others.length > 0) out.otherOwners = others;
  }
  return out;
}
