// Socket owners at the kernel's speed (issue #19): a BPF iterator over every
// open file of every process (iter/task_file, Linux >= 5.8) that writes
// (pid, inode) for each socket. The kernel walks the descriptor tables
// itself, about 0.5 us per open file on one core, against 1.5-2 us per
// descriptor for readlinkat from user space; and the pass runs off the main
// thread (scanSocketFiles says how), so it overlaps the socket table's dump.
//
// Used only where it is both allowed and right, else the /proc walk
// (os/linux/owner-walk.ts) answers as before:
// - privileged: loading a tracing program needs CAP_BPF and CAP_PERFMON (or
//   CAP_SYS_ADMIN), so root in practice;
// - in the initial PID namespace: the program reads task->tgid, the pid as
//   the initial namespace numbers it, which is what /proc says only there;
// - the kernel has BTF (/sys/kernel/btf/vmlinux): the program's loads of
//   file->f_inode, inode->i_mode, inode->i_ino and task->tgid take their
//   offsets from it, and the verifier checks them against it;
// - TCPDIAG_OWNER_WALK is not "proc" (a host whose policy forbids loading
//   BPF programs, or a comparison).
// The program is assembled here (22 instructions, 31 narrowed to a port), so
// neither a compiler nor libbpf is needed, and single executables carry it.
//
// A scan is a snapshot: a socket made after the iterator passed its process
// is not in it, so callers look again for what they expected and missed
// (ownersOf).

import { closeSync, existsSync, read, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { inFirstPidNamespace } from './pid-namespace.js';

const NR_BPF: Record<string, number> = { x64: 321, arm64: 280 };
const BPF_PROG_LOAD = 5;
const BPF_OBJ_GET_INFO_BY_FD = 15;
const BPF_BTF_GET_FD_BY_ID = 19;
const BPF_BTF_GET_NEXT_ID = 23;
const BPF_LINK_CREATE = 28;
const BPF_ITER_CREATE = 33;
const BPF_PROG_TYPE_TRACING = 26;
const BPF_TRACE_ITER = 28;
const BPF_FUNC_SEQ_WRITE = 127;
const BPF_FUNC_SOCK_FROM_FILE = 162;
const EAGAIN = 11;
/** Tries of a load that a signal interrupted (see bpfCall); each costs well under a millisecond. */
const LOAD_TRIES = 20;
const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;
/** Bytes per record: pid, then the inode's low 32 bits (sockfs numbers its inodes with 32-bit get_next_ino). */
const RECORD = 8;
/*
 * ITER_EAGAIN: one read of an iterator visits at most a million objects; if
 * none of them wrote anything (a host with over a million open files and no
 * socket of the port among them), the read fails with EAGAIN and the next
 * one goes on from there (bpf_seq_read, MAX_ITER_OBJECTS).
 */

interface KernelOffsets {
  /** BTF id of the iterator's function, bpf_iter_task_file. */
  iterFunc: number;
  fileInode: number;
  inodeMode: number;
  inodeIno: number;
  taskTgid: number;
  /** For narrowing a pass to one port: socket->sk, sk->skc_num and skc_dport; null when the BTF lacks one. */
  ports: { socketSk: number; localPort: number; remotePort: number } | null;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Koffi = any;

/** Why the iterator cannot be used on this host, or null when it can be tried. Cheap checks only. */
export function socketFileIterUnavailable(koffi: Koffi): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.env.TCPDIAG_OWNER_WALK === 'proc') return 'TCPDIAG_OWNER_WALK=proc';
  if (NR_BPF[process.arch] === undefined) return `no bpf(2) number known for ${process.arch}`;
  if (!privileged()) return 'loading a BPF program needs CAP_BPF and CAP_PERFMON (root)';
  // Pids the program reads are the first namespace's; elsewhere they would not match /proc.
  if (!inFirstPidNamespace()) return 'this process is in a PID namespace of its own (or /proc/self/ns/pid cannot be read)';
  if (offsetsOrWhy(koffi) === null) return whyNoOffsets;
  return null;
}

function privileged(): boolean {
  try {
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    if (!hex) return false;
    const caps = BigInt(`0x${hex}`);
    const has = (bit: bigint) => ((caps >> bit) & 1n) === 1n;
    return has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON));
  } catch {
    return false;
  }
}

let offsets: KernelOffsets | null | undefined;
let whyNoOffsets = '';

/** The kernel's offsets, read from its BTF once per process; null (whyNoOffsets says why) when they cannot be. */
function offsetsOrWhy(koffi: Koffi): KernelOffsets | null {
  if (offsets !== undefined) return offsets;
  try {
    offsets = kernelOffsets(vmlinuxBtf(koffi) ?? readFileSync('/sys/kernel/btf/vmlinux'));
    if (offsets === null) whyNoOffsets = "the kernel's BTF lacks bpf_iter_task_file or a field the program reads";
  } catch (err) {
    offsets = null;
    whyNoOffsets = `the kernel's BTF cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  return offsets;
}

/**
 * The kernel's own BTF through bpf(2) in one copy: the same bytes as
 * /sys/kernel/btf/vmlinux, which sysfs hands out a page per read (over
 * 1,300 reads, 10-15 ms here). Null when bpf(2) does not give it.
 */
function vmlinuxBtf(koffi: Koffi): Buffer | null {
  const bpf = bpfCall(koffi);
  if (!bpf) return null;
  const next = Buffer.alloc(8);
  for (let id = 0, tries = 0; tries < 16; tries++) {
    next.writeUInt32LE(id, 0);
    if (bpf(BPF_BTF_GET_NEXT_ID, next) < 0) return null;
    id = next.readUInt32LE(4);
    const byId = Buffer.alloc(16);
    byId.writeUInt32LE(id, 0);
    const fd = bpf(BPF_BTF_GET_FD_BY_ID, byId);
    if (fd < 0) return null;
    try {
      const name = Buffer.alloc(16);
      const info = Buffer.alloc(32); // struct bpf_btf_info
      const ask = Buffer.alloc(16);
      ask.writeUInt32LE(fd, 0);
      ask.writeUInt32LE(info.length, 4);
      ask.writeBigUInt64LE(BigInt(koffi.address(info)), 8);
      info.writeBigUInt64LE(BigInt(koffi.address(name)), 16);
      info.writeUInt32LE(name.length, 24);
      if (bpf(BPF_OBJ_GET_INFO_BY_FD, ask) < 0) return null;
      // The first kernel BTF is vmlinux's; modules' follow.
      if (info.readUInt32LE(28) !== 1 || name.toString('latin1', 0, name.indexOf(0)) !== 'vmlinux') continue;
      const btf = Buffer.alloc(info.readUInt32LE(8));
      info.fill(0);
      info.writeBigUInt64LE(BigInt(koffi.address(btf)), 0);
      info.writeUInt32LE(btf.length, 8);
      if (bpf(BPF_OBJ_GET_INFO_BY_FD, ask) < 0) return null;
      return btf;
    } finally {
      closeSync(fd);
    }
  }
  return null;
}

/**
 * bpf(2) through libc's syscall(): cmd and its attr; -1 on failure. Null
 * where libc will not give syscall(). The verifier gives up with EAGAIN when
 * a signal arrives while it works (a profiler's SIGPROF did, here): tried
 * again, as libbpf does (it tries 5 times; a profiler sampling every 100 us
 * beat 5 now and then, never 20).
 */
let bpfCallOf: { koffi: Koffi; call: ((cmd: number, attr: Buffer) => number) | null } | undefined;
function bpfCall(koffi: Koffi): ((cmd: number, attr: Buffer) => number) | null {
  if (!bpfCallOf || bpfCallOf.koffi !== koffi) bpfCallOf = { koffi, call: declareBpf(koffi) };
  return bpfCallOf.call;
}

function declareBpf(koffi: Koffi): ((cmd: number, attr: Buffer) => number) | null {
  try {
    const syscall = koffi.load('libc.so.6').func('long syscall(long, long, uint8_t *, long)');
    return (cmd, attr) => {
      for (let tries = 1; ; tries++) {
        const r = Number(syscall(NR_BPF[process.arch], cmd, attr, attr.length));
        if (r >= 0 || tries === LOAD_TRIES || koffi.errno() !== EAGAIN) return r;
      }
    };
  } catch {
    return null;
  }
}

/** BTF kinds 1-19 (INT ... ENUM64, Linux 6.0); a newer kind stops the parse. */
const LAST_KNOWN_KIND = 19;
const BTF_KIND_STRUCT = 4;
const BTF_KIND_UNION = 5;
const BTF_KIND_FUNC = 12;
/** Struct names the program reads fields of, and the iterator's function; first letters checked before names are compared. */
const STRUCTS = ['file', 'inode', 'task_struct', 'socket', 'sock_common'].map((n) => [n, Buffer.from(`${n}\0`)] as const);
const ITER_FUNC = Buffer.from('bpf_iter_task_file\0');
/** 4-byte words of a BTF type by kind: its common part and fixed tail, and per item of its list (vlen). */
const TYPE_WORDS = Uint8Array.from({ length: 32 }, (_, kind) => 3 + ([1, 14, 17].includes(kind) ? 1 : kind === 3 ? 3 : 0)); // INT, VAR, DECL_TAG; ARRAY
const WORDS_PER_ITEM = Uint8Array.from({ length: 32 }, (_, kind) => ([4, 5, 15, 19].includes(kind) ? 3 : [6, 13].includes(kind) ? 2 : 0)); // STRUCT, UNION, DATASEC, ENUM64; ENUM, FUNC_PROTO

/**
 * The offsets the program needs, from raw BTF (the kernel's btf.h format):
 * a header, then types (12 bytes each and a kind-dependent tail), then
 * names. One pass over the types finds the few named ones; null when one
 * the program cannot do without is missing (the port filter's fields are
 * optional: without them, passes are not narrowed).
 */
export function kernelOffsets(btf: Buffer): KernelOffsets | null {
  // Magic, version 1: a layout this parser knows (a later version could move what it reads).
  if (btf.length < 24 || btf.readUInt16LE(0) !== 0xeb9f || btf[2] !== 1) return null;
  const hdrLen = btf.readUInt32LE(4);
  const typesAt = hdrLen + btf.readUInt32LE(8);
  const typesLen = btf.readUInt32LE(12);
  const namesAt = hdrLen + btf.readUInt32LE(16);
  // Types are 4-byte words; read them as such when the buffer allows (it does: a big Buffer starts aligned).
  const words = (btf.byteOffset + typesAt) % 4 === 0 ? new Uint32Array(btf.buffer, btf.byteOffset + typesAt, typesLen >>> 2) : new Uint32Array(Uint8Array.from(btf.subarray(typesAt, typesAt + typesLen)).buffer);
  const named = (off: number, name: Buffer) => {
    const at = namesAt + off;
    for (let i = 0; i < name.length; i++) if (btf[at + i] !== name[i]) return false;
    return true;
  };
  // The loop runs once per process, mostly before V8 optimizes it (125,000 types here), so it does little per
  // type: a struct or function is a candidate when its name's first letter and length are a wanted name's
  // (two lengths per letter at most: the byte at each is the name's end), and only candidates are compared.
  const lengthA = new Uint8Array(256);
  const lengthB = new Uint8Array(256);
  for (const [, name] of [...STRUCTS, ['', ITER_FUNC] as const]) {
    const first = name[0]!;
    if (lengthA[first] === 0) lengthA[first] = name.length - 1;
    else if (lengthB[first] === 0) lengthB[first] = name.length - 1;
    else throw new Error('three wanted BTF names share a first letter: the candidate filter holds two');
  }
  /** Where each type starts in `words`, by id (ids count from 1). */
  const at = new Int32Array((typesLen >>> 3) + 1);
  const candidates: number[] = [];
  let id = 0;
  for (let i = 0; i < words.length && id < at.length - 1; ) {
    at[++id] = i;
    const info = words[i + 1]!;
    const kind = info >>> 24 & 0x1f;
    // A kind this parser does not know has a size it does not know: every type after it would be misread.
    if (kind === 0 || kind > LAST_KNOWN_KIND) return null;
    if (kind === BTF_KIND_STRUCT || kind === BTF_KIND_FUNC) {
      // (An unwanted first letter has lengths 0: the byte there is the letter itself, never the end.)
      const name = namesAt + words[i]!;
      const first = btf[name]!;
      if (btf[name + lengthA[first]!] === 0 || btf[name + lengthB[first]!] === 0) candidates.push(id);
    }
    i += TYPE_WORDS[kind]! + WORDS_PER_ITEM[kind]! * (info & 0xffff);
  }
  const structs = new Map<string, number>();
  let iterFunc = -1;
  for (const c of candidates) {
    const nameOff = words[at[c]!]!;
    if (nameOff === 0) continue;
    if ((words[at[c]! + 1]! >>> 24 & 0x1f) === BTF_KIND_FUNC) {
      if (named(nameOff, ITER_FUNC)) iterFunc = c;
    } else for (const [key, name] of STRUCTS) if (!structs.has(key) && named(nameOff, name)) structs.set(key, c);
  }
  /** Byte offset of `name` in the struct or union `type`, looking inside its unnamed members too; -1 when absent. */
  const member = (type: number | undefined, name: Buffer): number => {
    if (type === undefined) return -1;
    const t = at[type]!;
    const info = words[t + 1]!;
    const kind = (info >>> 24) & 0x1f;
    if (kind !== BTF_KIND_STRUCT && kind !== BTF_KIND_UNION) return -1;
    for (let j = 0; j < (info & 0xffff); j++) {
      const m = t + 3 + j * 3;
      const bits = info >>> 31 === 1 ? words[m + 2]! & 0xffffff : words[m + 2]!;
      if (bits % 8 !== 0) continue;
      if (words[m] === 0) {
        const inner = member(words[m + 1], name);
        if (inner >= 0) return bits / 8 + inner;
      } else if (named(words[m]!, name)) return bits / 8;
    }
    return -1;
  };
  const field = (struct: string, name: string) => member(structs.get(struct), Buffer.from(`${name}\0`));
  const needed = { fileInode: field('file', 'f_inode'), inodeMode: field('inode', 'i_mode'), inodeIno: field('inode', 'i_ino'), taskTgid: field('task_struct', 'tgid') };
  if (iterFunc < 0 || Object.values(needed).some((v) => v < 0)) return null;
  const ports = { socketSk: field('socket', 'sk'), localPort: field('sock_common', 'skc_num'), remotePort: field('sock_common', 'skc_dport') };
  return { iterFunc, ...needed, ports: Object.values(ports).every((v) => v >= 0) ? ports : null };
}

/**
 * The program, per open file: if the file is a socket (S_IFSOCK), and, with
 * `port`, its local or remote port is that one, write its holder's pid and
 * its inode to the iterator's output. Context of iter/task_file: meta at 0,
 * task at 8, fd at 16, file at 24 (8 bytes each).
 */
export function assembleSocketFileProgram(o: KernelOffsets, port?: number): Buffer {
  const insns: Array<[op: number, dst: number, src: number, off: number, imm: number]> = [];
  const toOut: number[] = [];
  const LDX_W = 0x61, LDX_H = 0x69, LDX_DW = 0x79, STX_W = 0x63, MOV_X = 0xbf, MOV_K = 0xb7;
  const ADD_K = 0x07, AND_K = 0x54, JEQ_K = 0x15, JNE_K = 0x55, CALL = 0x85, EXIT = 0x95;
  const op = (code: number, dst: number, src: number, off: number, imm: number) => insns.push([code, dst, src, off, imm]);
  const jumpOutIf = (code: number, reg: number, imm: number) => (toOut.push(insns.length), op(code, reg, 0, 0, imm));
  op(MOV_X, 6, 1, 0, 0); //                 r6 = ctx
  op(LDX_DW, 7, 6, 24, 0); //               r7 = ctx->file
  jumpOutIf(JEQ_K, 7, 0);
  op(LDX_DW, 8, 7, o.fileInode, 0); //      r8 = file->f_inode
  jumpOutIf(JEQ_K, 8, 0);
  op(LDX_H, 2, 8, o.inodeMode, 0); //       r2 = inode->i_mode & S_IFMT
  op(AND_K, 2, 0, 0, 0o170000);
  jumpOutIf(JNE_K, 2, 0o140000); //         not S_IFSOCK: next file
  if (port !== undefined && o.ports) {
    op(MOV_X, 1, 7, 0, 0); //               r0 = bpf_sock_from_file(file)->sk
    op(CALL, 0, 0, 0, BPF_FUNC_SOCK_FROM_FILE);
    jumpOutIf(JEQ_K, 0, 0);
    op(LDX_DW, 1, 0, o.ports.socketSk, 0);
    jumpOutIf(JEQ_K, 1, 0);
    op(LDX_H, 2, 1, o.ports.localPort, 0); // skc_num: host order
    op(JEQ_K, 2, 0, 2, port); //            this port: on to the record
    op(LDX_H, 2, 1, o.ports.remotePort, 0); // skc_dport: network order
    jumpOutIf(JNE_K, 2, ((port & 0xff) << 8) | (port >> 8));
  }
  op(LDX_DW, 3, 8, o.inodeIno, 0); //       record[1] = inode->i_ino
  op(STX_W, 10, 3, -4, 0);
  op(LDX_DW, 5, 6, 8, 0); //                r5 = ctx->task
  jumpOutIf(JEQ_K, 5, 0);
  op(LDX_W, 4, 5, o.taskTgid, 0); //        record[0] = task->tgid
  op(STX_W, 10, 4, -8, 0);
  op(LDX_DW, 1, 6, 0, 0); //                r1 = ctx->meta->seq
  op(LDX_DW, 1, 1, 0, 0);
  op(MOV_X, 2, 10, 0, 0); //                bpf_seq_write(seq, record, 8)
  op(ADD_K, 2, 0, 0, -RECORD);
  op(MOV_K, 3, 0, 0, RECORD);
  op(CALL, 0, 0, 0, BPF_FUNC_SEQ_WRITE);
  const out = insns.length;
  op(MOV_K, 0, 0, 0, 0); //                 return 0: go on
  op(EXIT, 0, 0, 0, 0);
  for (const j of toOut) insns[j]![3] = out - j - 1;
  const code = Buffer.alloc(insns.length * 8);
  insns.forEach(([c, dst, src, off, imm], i) => {
    code[i * 8] = c;
    code[i * 8 + 1] = dst | (src << 4);
    code.writeInt16LE(off, i * 8 + 2);
    code.writeInt32LE(imm, i * 8 + 4);
  });
  return code;
}

/** One pass of the iterator under way: its (pid, inode) pairs, or null when the kernel refused (then walk /proc). */
export interface SocketFileScan {
  pairs: Promise<Uint32Array | null>;
  /**
   * Nobody will wait for it: the pass reads on to its end (a kernel read
   * cannot be stopped midway) and closes its iterator, but no longer keeps
   * this process alive.
   */
  abandon(): void;
}

/**
 * Starts one pass: loads the program, makes an iterator, and reads it off
 * the main thread. Null when it cannot start here (socketFileIterUnavailable, or
 * the kernel refused the program: lockdown, seccomp, an old verifier).
 *
 * With `port`, only sockets with that local or remote port are written:
 * unless the port has thousands of sockets, the kernel's seq buffer (32 KB)
 * never fills, and the whole pass is one read on one pool thread, which
 * needs nothing from the main thread while it runs its dump (chained from
 * the main thread, the 25 reads of a whole pass of 100,000 sockets waited
 * for the dump: whole passes are read by a worker). A kernel without
 * bpf_sock_from_file (< 5.11) gets the pass unnarrowed.
 */
let narrowingRefused = false;

export function scanSocketFiles(koffi: Koffi, port?: number): SocketFileScan | null {
  if (socketFileIterUnavailable(koffi) !== null) return null;
  const narrowed = port !== undefined && offsets!.ports && !narrowingRefused ? openIterator(koffi, offsets!, port) : -1;
  // A kernel without bpf_sock_from_file refuses every narrowed program: asked once.
  if (port !== undefined && narrowed < 0) narrowingRefused = true;
  const fd = narrowed >= 0 ? narrowed : openIterator(koffi, offsets!);
  if (fd < 0) return null;
  if (narrowed >= 0) return { pairs: readOnPool(fd), abandon() {} }; // one short read: nothing to let go of
  const { pairs, worker } = readInWorker(fd);
  return { pairs, abandon: () => worker?.unref() };
}

/** Loads the program (narrowed to `port`, if given), links it and makes an iterator: its descriptor, or -1. */
function openIterator(koffi: Koffi, o: KernelOffsets, port?: number): number {
  const bpf = bpfCall(koffi);
  if (!bpf) return -1;
  const code = assembleSocketFileProgram(o, port);
  const license = Buffer.from('GPL\0'); // bpf_seq_write is for GPL-compatible programs only
  const load = Buffer.alloc(128); // union bpf_attr, BPF_PROG_LOAD's part
  load.writeUInt32LE(BPF_PROG_TYPE_TRACING, 0);
  load.writeUInt32LE(code.length / 8, 4);
  load.writeBigUInt64LE(BigInt(koffi.address(code)), 8);
  load.writeBigUInt64LE(BigInt(koffi.address(license)), 16);
  load.write('tcpdiag_owners', 48, 'latin1'); // its name in bpftool's list while loaded
  load.writeUInt32LE(BPF_TRACE_ITER, 68);
  load.writeUInt32LE(o.iterFunc, 108);
  const prog = bpf(BPF_PROG_LOAD, load);
  if (prog < 0) return -1;
  let link = -1;
  try {
    const linkAttr = Buffer.alloc(64);
    linkAttr.writeUInt32LE(prog, 0);
    linkAttr.writeUInt32LE(BPF_TRACE_ITER, 8);
    link = bpf(BPF_LINK_CREATE, linkAttr);
    if (link < 0) return -1;
    const iterAttr = Buffer.alloc(16);
    iterAttr.writeUInt32LE(link, 0);
    // The iterator keeps the link and the program alive: both can be closed now.
    return bpf(BPF_ITER_CREATE, iterAttr);
  } finally {
    if (link >= 0) closeSync(link);
    closeSync(prog);
  }
}

/**
 * Reads a narrowed pass: one fs.read on the pool (the kernel's buffer never
 * fills), a second to see the end; then closes the iterator. Its records
 * are the pairs already (two native-endian 32-bit words), so each read lands
 * in place.
 */
function readOnPool(fd: number): Promise<Uint32Array | null> {
  let pairs = new Uint32Array(1024);
  let n = 0;
  return new Promise((resolve) => {
    const next = () => {
      // Any room will do (what does not fit waits for the next read), as long as it holds whole records.
      if (n === pairs.length) {
        const grown = new Uint32Array(pairs.length * 2);
        grown.set(pairs.subarray(0, n));
        pairs = grown;
      }
      read(fd, pairs, n * 4, (pairs.length - n) * 4, null, (err, got) => {
        if (err?.code === 'EAGAIN') return next(); // see ITER_EAGAIN
        if (err || got === 0) {
          closeSync(fd);
          resolve(err ? null : pairs.subarray(0, n));
          return;
        }
        n += Math.floor(got / RECORD) * 2;
        next();
      });
    };
    next();
  });
}

/**
 * A whole pass takes a read per 32 KB of records (25 for 100,000 sockets):
 * from a worker thread, so none waits for the main thread, busy with the
 * socket table's dump meanwhile. The worker's start-up (about 30 ms) runs on
 * the other core, before the dump is done.
 */
function readInWorker(fd: number): { pairs: Promise<Uint32Array | null>; worker: Worker | null } {
  let worker: Worker;
  try {
    worker = new Worker(READER_SOURCE, { eval: true, workerData: { fd } });
  } catch {
    closeSync(fd);
    return { pairs: Promise.resolve(null), worker: null };
  }
  const pairs = new Promise<Uint32Array | null>((resolve) => {
    // Closed here, not by the worker (Node warns on stderr when a worker closes a descriptor it did not open).
    let done = false;
    const end = (pairs: Uint32Array | null) => {
      if (done) return;
      done = true;
      closeSync(fd);
      resolve(pairs);
    };
    worker.once('message', end);
    // A worker that could not run leaves the walk to /proc.
    worker.once('error', () => end(null));
    worker.once('exit', () => end(null));
  });
  return { pairs, worker };
}

/** The worker's source (no imports: it runs inside single executables too). */
const READER_SOURCE = `
const { readSync } = require('node:fs');
const { parentPort, workerData: { fd } } = require('node:worker_threads');
let pairs = new Uint32Array(1 << 18);
let n = 0;
try {
  for (;;) {
    if (n === pairs.length) {
      const grown = new Uint32Array(pairs.length * 2);
      grown.set(pairs.subarray(0, n));
      pairs = grown;
    }
    let got;
    try {
      got = readSync(fd, pairs, n * 4, (pairs.length - n) * 4, null);
    } catch (err) {
      if (err.code === 'EAGAIN') continue; // see ITER_EAGAIN
      throw err;
    }
    if (got === 0) break;
    n += Math.floor(got / ${RECORD}) * 2;
  }
  const done = pairs.subarray(0, n);
  parentPort.postMessage(done, [done.buffer]);
} catch {
  parentPort.postMessage(null);
}
`;

/**
 * The pairs of `scan` whose inode is wanted (all, for null), without
 * holders that have ended since (a pass starts before the table is read);
 * a wanted inode the pass did not see (made after the iterator passed its
 * holder, or held only by a process that ended) is looked for once more
 * (lookAgain). Null when a pass failed.
 */
export async function ownersOf(koffi: Koffi, scan: SocketFileScan, wanted: ReadonlySet<number> | null): Promise<Uint32Array | null> {
  const all = await scan.pairs;
  if (all === null) return null;
  const kept = living(wanted === null ? all : only(all, wanted));
  if (wanted === null) return kept;
  const missed = new Set(wanted);
  for (let i = 1; i < kept.length; i += 2) missed.delete(kept[i]!);
  if (missed.size === 0) return kept;
  // Not narrowed: if a wanted socket was not on the pass's port after all, the answer is still whole.
  const again = await lookAgain(koffi, missed);
  return again && concatPairs(kept, again);
}

/** A new pass for sockets an earlier one missed: their (pid, inode) pairs, or null when the pass failed. */
export async function lookAgain(koffi: Koffi, inodes: ReadonlySet<number>): Promise<Uint32Array | null> {
  const pairs = await scanSocketFiles(koffi)?.pairs;
  return pairs ? living(only(pairs, inodes)) : null;
}

export function concatPairs(a: Uint32Array, b: Uint32Array): Uint32Array {
  const both = new Uint32Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

function only(pairs: Uint32Array, inodes: ReadonlySet<number>): Uint32Array {
  const kept: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (inodes.has(pairs[i + 1]!)) kept.push(pairs[i]!, pairs[i + 1]!);
  return Uint32Array.from(kept);
}

/** The pairs whose process still exists (one look at /proc per holder). */
function living(pairs: Uint32Array): Uint32Array {
  const dead = new Set<number>();
  const seen = new Set<number>();
  // A pass writes a process's sockets one after another: a pid is looked up once per run of it.
  for (let i = 0, last = -1; i < pairs.length; i += 2) {
    const pid = pairs[i]!;
    if (pid === last) continue;
    last = pid;
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (!existsSync(`/proc/${pid}`)) dead.add(pid);
  }
  if (dead.size === 0) return pairs;
  const out: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (!dead.has(pairs[i]!)) out.push(pairs[i]!, pairs[i + 1]!);
  return Uint32Array.from(out);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
