// Socket inode -> record number, for matching the owner walk's (pid, inode)
// pairs against 100,000 sock_diag records. An open-addressing table in two
// typed arrays: a Map of 100,000 numbers, many of them above 2^31 (heap
// numbers, not small integers), costs several times the memory and time.
// Inode 0 (TIME_WAIT, request sockets, connections not yet accepted) is
// never indexed: no process holds those.

export class InodeIndex {
  private readonly keys: Uint32Array;
  /** Record number + 1 per slot (0: empty). */
  private readonly slots: Int32Array;
  /** Per record: the next record with the same inode + 1 (a dump can report one socket twice). */
  private readonly next: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  /** Indexes records 0 .. count-1, whose inodes `inodeOf` gives. */
  constructor(count: number, inodeOf: (record: number) => number) {
    let bits = 4;
    while (1 << bits < count * 2) bits++;
    const size = 1 << bits;
    this.mask = size - 1;
    this.shift = 32 - bits;
    this.keys = new Uint32Array(size);
    this.slots = new Int32Array(size);
    this.next = new Int32Array(count);
    for (let r = count - 1; r >= 0; r--) {
      const inode = inodeOf(r);
      if (inode === 0) continue;
      let s = this.home(inode);
      while (this.slots[s] !== 0 && this.keys[s] !== inode) s = (s + 1) & this.mask;
      // Records taken in reverse, so each chain runs in record order.
      this.next[r] = this.slots[s]!;
      this.keys[s] = inode;
      this.slots[s] = r + 1;
    }
  }

  /** The first record with this inode, or -1. */
  first(inode: number): number {
    if (inode === 0) return -1;
    for (let s = this.home(inode); this.slots[s] !== 0; s = (s + 1) & this.mask) {
      if (this.keys[s] === inode) return this.slots[s]! - 1;
    }
    return -1;
  }

  /** The record after `record` with the same inode, or -1. */
  after(record: number): number {
    return this.next[record]! - 1;
  }

  private home(inode: number): number {
    // Fibonacci hashing (the product's high bits): consecutive inodes, sockets made one after another, spread over the table.
    return Math.imul(inode, 0x9e3779b1) >>> this.shift;
  }
}
