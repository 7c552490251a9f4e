// Owners of the sock_diag records (os/linux/sock-diag-records.ts), kept beside them
// in arrays rather than on 100,000 row objects: `sockets --json` with owners
// then takes the compact path too (records written straight as JSON), which
// keeps its time near `ss -tan`'s and its memory under 100 MB (issue #19).
// Same rules as for rows (os/linux/owners.ts): the lowest pid is the owner,
// further holders are otherOwners, lowest first.

import type { OwnerStatus } from '../sockets.js';
import { InodeIndex } from './inode-index.js';

/** Owner status by code, as stored per record. */
export const OWNER_STATUSES: readonly OwnerStatus[] = ['not-collected', 'found', 'none', 'hidden'];
const FOUND = 1;
const NONE = 2;
const HIDDEN = 3;

export class RecordOwners {
  /** Per record: an index into OWNER_STATUSES. */
  readonly status: Uint8Array;
  /** Per record: the owning pid (0: none found). */
  readonly pid: Int32Array;
  /** Further holders of a shared socket, by record, lowest pid first. */
  readonly others = new Map<number, number[]>();
  /** Program names by pid. */
  readonly names = new Map<number, string | null>();
  /** Sockets with an inode whose holder was not seen. */
  unseen = 0;

  constructor(length: number) {
    this.status = new Uint8Array(length);
    this.pid = new Int32Array(length);
  }

  statusOf(record: number): OwnerStatus {
    return OWNER_STATUSES[this.status[record]!]!;
  }

  processOf(record: number): string | null {
    const pid = this.pid[record]!;
    return pid === 0 ? null : (this.names.get(pid) ?? null);
  }

  otherOwnersOf(record: number): Array<{ pid: number; process: string | null }> | undefined {
    return this.others.get(record)?.map((pid) => ({ pid, process: this.names.get(pid) ?? null }));
  }
}

/**
 * The owners of `length` records from the walk's (pid, inode) pairs.
 * `inodeOf` gives a record's inode (0: no process can hold it); `nameOf`
 * reads a program's name, once per owning pid. `index` may be built ahead
 * (while the walk still runs).
 */
export function matchRecordOwners(length: number, inodeOf: (record: number) => number, pairs: Uint32Array, nameOf: (pid: number) => string | null, index = new InodeIndex(length, inodeOf)): RecordOwners {
  const owners = new RecordOwners(length);
  const holders = new Set<number>();
  for (let i = 0; i < pairs.length; i += 2) {
    const pid = pairs[i]!;
    const first = index.first(pairs[i + 1]!);
    if (first >= 0) holders.add(pid);
    for (let r = first; r >= 0; r = index.after(r)) addHolder(owners, r, pid);
  }
  for (let r = 0; r < length; r++) {
    if (owners.pid[r] !== 0) owners.status[r] = FOUND;
    else if (inodeOf(r) === 0) owners.status[r] = NONE;
    else {
      owners.status[r] = HIDDEN;
      owners.unseen++;
    }
  }
  for (const list of owners.others.values()) list.sort((a, b) => a - b);
  for (const pid of holders) owners.names.set(pid, nameOf(pid));
  return owners;
}

function addHolder(owners: RecordOwners, r: number, pid: number): void {
  const first = owners.pid[r]!;
  if (first === pid) return;
  if (first === 0) {
    owners.pid[r] = pid;
    return;
  }
  const list = owners.others.get(r) ?? [];
  // The lowest pid owns; the one it replaces joins the others.
  const other = pid < first ? first : pid;
  if (pid < first) owners.pid[r] = pid;
  if (!list.includes(other)) list.push(other);
  owners.others.set(r, list);
}
