// The descriptor walk that finds socket owners on Linux, as a native loop:
// readlinkat(2) on /proc/<pid>/fd/<n> through koffi, relative to one open
// directory. The kernel's work per descriptor (path lookup, fd revalidation,
// the link text) is the floor, about 2 us here; Node's readlinkSync adds
// about as much again in string and error handling (issue #19's profile:
// 554 ms for 100,000 descriptors). Dense descriptor tables (the usual case)
// are probed by number, which also saves listing the directory (getdents
// costs about 0.8 us per entry); a gap makes the walk ask the kernel for the
// next open descriptors instead.
//
// When only a few sockets are wanted and one holder of each is known, the
// walker compares descriptors instead: kcmp(2) (KCMP_FILE) tells whether a
// descriptor of another process is the same open file as the holder's, at a
// third to a quarter of readlinkat's cost (no path lookup, no link text), and
// it orders files, so a few wanted sockets take a binary search each.
//
// The walker is self-contained (no imports, no outer names), so a worker
// thread can run it from its source text (os/linux/owner-walk-worker.ts):
// that keeps the walk inside the one bundle, and inside single executables.

/** What one walk over a range of a process's descriptors ended with. */
export const WALK_DONE = 0;
/** Every wanted inode was found in this process: its other ranges need not be read. */
export const WALK_ALL_FOUND = 1;
/** Its descriptors may not be read (another user's process without privilege). */
export const WALK_HIDDEN = 2;
/** The process ended meanwhile. */
export const WALK_GONE = 3;

/** (pid, inode) of every socket descriptor read, two entries each; grows as needed. */
export interface PairSink {
  pairs: Uint32Array;
  n: number;
  /** When present, the descriptor of each pair too (a holder to compare with). */
  fds?: number[];
}

/** Reads descriptors `from` to `to` (exclusive) of `pid`; records socket inodes (only those in `wanted`, when given). */
export type FdWalker = (pid: number, from: number, to: number, out: PairSink, wanted: ReadonlySet<number> | null) => number;

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The walker, on libc through `koffi`; null when libc (or the architecture)
 * lacks what it needs. With `refs` ([pid, fd, inode] of one holder of each
 * wanted socket, ordered by kcmp), descriptors are compared with those.
 */
export function makeNativeFdWalker(koffi: any, refs: Int32Array | null = null): FdWalker | null {
  // Kept inside: the worker runs this function from its source.
  const DONE = 0, ALL_FOUND = 1, HIDDEN = 2, GONE = 3;
  const ENOENT = 2, EACCES = 13, EPERM = 1, KCMP_FILE = 0;
  const AT_FDCWD = -100, O_RDONLY_CLOEXEC = 0o2000000, SEEK_SET = 0;
  const MISSES_BEFORE_LISTING = 8;
  const lib = koffi.load('libc.so.6');
  const openat = lib.func('int openat(int, const char *, int)');
  const readlinkat = lib.func('long readlinkat(int, const uint8_t *, uint8_t *, size_t)');
  const lseek = lib.func('long lseek(int, long, int)');
  const close = lib.func('int close(int)');
  let getdents: (fd: number, buf: Buffer, len: number) => number;
  try {
    getdents = lib.func('long getdents64(int, uint8_t *, size_t)'); // glibc >= 2.30
  } catch {
    const nr = ({ x64: 217, arm64: 61 } as Record<string, number>)[process.arch];
    if (nr === undefined) return null;
    const syscall = lib.func('long syscall(long, int, uint8_t *, size_t)');
    getdents = (fd, buf, len) => syscall(nr, fd, buf, len);
  }
  let kcmp: ((pidA: number, pidB: number, type: number, a: number, b: number) => number) | null = null;
  if (refs) {
    const nr = ({ x64: 312, arm64: 272 } as Record<string, number>)[process.arch];
    if (nr === undefined) return null;
    const syscall = lib.func('long syscall(long, long, long, long, long, long)');
    kcmp = (pidA, pidB, type, a, b) => syscall(nr, pidA, pidB, type, a, b);
  }
  const name = Buffer.alloc(16);
  const link = Buffer.alloc(64);
  const listing = Buffer.alloc(1 << 16);

  const writeName = (fd: number) => {
    let digits = 1;
    for (let m = fd; m >= 10; m = Math.floor(m / 10)) digits++;
    name[digits] = 0;
    for (let p = digits; p > 0; fd = Math.floor(fd / 10)) name[--p] = 48 + (fd % 10);
  };
  /** The inode of "socket:[N]" in `link`, or -1 for anything else. */
  const socketInode = (len: number) => {
    if (len < 10 || link[0] !== 115 || link[6] !== 58 || link[7] !== 91 || link[len - 1] !== 93) return -1;
    let v = 0;
    for (let i = 8; i < len - 1; i++) v = v * 10 + link[i]! - 48;
    return v;
  };
  const push = (out: PairSink, pid: number, inode: number, fd: number) => {
    if (out.n + 2 > out.pairs.length) {
      const grown = new Uint32Array(out.pairs.length * 2 || 1024);
      grown.set(out.pairs);
      out.pairs = grown;
    }
    out.pairs[out.n++] = pid;
    out.pairs[out.n++] = inode;
    out.fds?.push(fd);
  };

  return (pid, from, to, out, wanted) => {
    const dir = openat(AT_FDCWD, `/proc/${pid}/fd`, O_RDONLY_CLOEXEC);
    if (dir < 0) {
      const e = koffi.errno();
      return e === EACCES || e === EPERM ? HIDDEN : GONE;
    }
    const found = wanted ? new Set<number>() : null;
    /** Records `inode` at `fd` when wanted: 0 go on, 1 that was the last wanted inode. */
    const take = (inode: number, fd: number): number => {
      if (wanted && !wanted.has(inode)) return 0;
      push(out, pid, inode, fd);
      if (!found) return 0;
      found.add(inode);
      return found.size === wanted!.size ? 1 : 0;
    };
    /**
     * Reads descriptor `fd` (its name already in `name` when `named`): 0 read,
     * 1 read and the last wanted inode, -1 not open, -2 not allowed, -3 process gone.
     */
    const readLink = (fd: number, named: boolean): number => {
      if (!named) writeName(fd);
      const len = readlinkat(dir, name, link, link.length);
      if (len < 0) {
        const e = koffi.errno();
        return e === ENOENT ? -1 : e === EACCES || e === EPERM ? -2 : -3;
      }
      const inode = socketInode(len);
      return inode < 0 ? 0 : take(inode, fd);
    };
    /** The same answers by comparing with the holders: a binary search over `refs`, ordered by file. */
    const compare = (fd: number, named: boolean): number => {
      for (let lo = 0, hi = refs!.length / 3 - 1; lo <= hi; ) {
        const mid = (lo + hi) >> 1;
        const r = kcmp!(refs![mid * 3]!, pid, KCMP_FILE, refs![mid * 3 + 1]!, fd);
        // Not open, not allowed, gone, or a holder closed its copy meanwhile: the link itself says which.
        if (r < 0) return readLink(fd, named);
        if (r === 0) return take(refs![mid * 3 + 2]!, fd);
        if (r === 1) lo = mid + 1; // the holder's file orders before this one
        else hi = mid - 1;
      }
      return 0;
    };
    const read = refs ? compare : readLink;
    try {
      let fd = from;
      let misses = 0;
      while (fd < to) {
        const r = read(fd, false);
        if (r === 1) return ALL_FOUND;
        // Not allowed: another user's process (or one that just ran a setuid program), or a security module says no.
        if (r === -2) return HIDDEN;
        if (r === -3) return GONE;
        fd++;
        if (r === 0) {
          misses = 0;
          continue;
        }
        if (++misses < MISSES_BEFORE_LISTING) continue;
        // A gap: ask the kernel which descriptors from here on are open
        // (a directory offset of /proc/<pid>/fd is the descriptor number + 2).
        if (lseek(dir, fd + 2, SEEK_SET) < 0) return GONE;
        const n = getdents(dir, listing, listing.length);
        if (n <= 0) return n < 0 && koffi.errno() !== ENOENT ? GONE : DONE;
        let next = -1;
        for (let o = 0; o < n; o += listing.readUInt16LE(o + 16)) {
          let v = 0;
          let p = o + 19; // struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name
          if (listing[p] === 46) continue; // "." and ".."
          for (; listing[p] !== 0; p++) v = v * 10 + listing[p]! - 48;
          if (v >= to) return DONE;
          listing.copy(name, 0, o + 19, p + 1);
          const r = read(v, true);
          if (r === 1) return ALL_FOUND;
          if (r === -2) return HIDDEN;
          if (r === -3) return GONE;
          next = v + 1;
        }
        if (next < 0) return DONE;
        // Back to probing: past a gap the table is often dense again.
        fd = next;
        misses = 0;
      }
      return DONE;
    } finally {
      close(dir);
    }
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
