// The bytes of one --from input, bounded in size and time the same way for a
// regular file, a pipe (`--from <(ssh host netstat -ano)`), a FIFO, a device
// and stdin (issue #22: a FIFO with no writer blocked forever, /dev/zero was
// read without end, stdin had no size limit).
//
// Nothing here may block a thread: a read blocked in the thread pool keeps the
// process from exiting, Ctrl-C included (Node joins the pool at exit). So a
// FIFO or device is opened O_NONBLOCK — the open returns at once even with no
// writer — and read through the event loop: pipes and FIFOs as a stream (libuv
// polls them), devices by non-blocking reads that wait a little on EAGAIN.

import { constants, createReadStream, open as openFd } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { UsageError } from '../report/errors.js';

export interface ReadLimits {
  /** Bytes past which an input is refused (--max-input). */
  maxBytes: number;
  /** Milliseconds a read may take, waiting for a writer included (--input-timeout); 0: no limit. */
  timeoutMs: number;
}

/** 64 MiB holds a table of ~700,000 sockets; real pastes are far smaller. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Long enough for `<(ssh host netstat -anob)` on a busy host, short enough that a forgotten FIFO ends. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const DEVICE_POLL_MS = 20;

/** Reads a file, FIFO, pipe or device path. `name` is how messages show it. */
export async function readPathBytes(path: string, name: string, limits: ReadLimits): Promise<Buffer> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw new UsageError(`--from ${name}: ${describeFsError(err)}`);
  }
  if (st.isDirectory()) throw new UsageError(`--from ${name}: is a directory; give a file of captured output`);
  if (st.isFile() && st.size > limits.maxBytes) throw tooLarge(name, limits, `${st.size} bytes,`);
  if (st.isFIFO() || st.isSocket()) {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait in the thread pool.
    // The socket owns the descriptor and closes it when destroyed.
    const fd = await new Promise<number>((resolve, reject) => openFd(path, constants.O_RDONLY | constants.O_NONBLOCK, (err, fd) => (err ? reject(new UsageError(`--from ${name}: ${describeFsError(err)}`)) : resolve(fd))));
    return readStream(new Socket({ fd, readable: true, writable: false }), name, limits);
  }
  let fh: FileHandle;
  try {
    // O_NONBLOCK: a device with nothing to read answers EAGAIN instead of holding a thread.
    fh = await open(path, st.isFile() ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new UsageError(`--from ${name}: ${describeFsError(err)}`);
  }
  try {
    if (st.isFile()) return await readStream(createReadStream('', { fd: fh.fd, autoClose: false }), name, limits);
    return await readDevice(fh, name, limits);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Reads stdin (a terminal, pipe, file or device) with the same limits. */
export function readStdinBytes(limits: ReadLimits, isTerminal: boolean): Promise<Buffer> {
  // At a terminal a person is the writer: they see how to end the paste and can press Ctrl-C.
  return readStream(process.stdin, 'stdin', isTerminal ? { ...limits, timeoutMs: 0 } : limits);
}

/** Collects a stream up to the limits; a stream past them is destroyed. */
function readStream(stream: Readable, name: string, limits: ReadLimits): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = limits.timeoutMs > 0 ? setTimeout(() => finish(tooSlow(name, limits, size)), limits.timeoutMs) : null;
    const finish = (err: Error | null) => {
      if (timer) clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.removeAllListeners('end');
      stream.removeAllListeners('error');
      stream.on('error', () => undefined);
      if (stream === process.stdin) stream.pause();
      else stream.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(tooLarge(name, limits, 'larger than'));
      chunks.push(chunk);
    });
    stream.on('end', () => finish(null));
    stream.on('error', (err) => finish(new UsageError(`--from ${name}: cannot read: ${describeFsError(err)}`)));
  });
}

/** A character device: non-blocking reads, a short wait when it has nothing yet. */
async function readDevice(fh: FileHandle, name: string, limits: ReadLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const started = Date.now();
  for (;;) {
    if (limits.timeoutMs > 0 && Date.now() - started > limits.timeoutMs) throw tooSlow(name, limits, size);
    const buf = Buffer.allocUnsafe(64 * 1024);
    let n: number;
    try {
      n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw new UsageError(`--from ${name}: cannot read: ${describeFsError(err)}`);
      await new Promise((r) => setTimeout(r, DEVICE_POLL_MS));
      continue;
    }
    if (n === 0) return Buffer.concat(chunks, size);
    size += n;
    if (size > limits.maxBytes) throw tooLarge(name, limits, 'larger than');
    chunks.push(buf.subarray(0, n));
  }
}

/** `what`: "70000000 bytes," (a file's known size) or "larger than" (a stream cut off at the limit). */
function tooLarge(name: string, limits: ReadLimits, what: string): UsageError {
  return new UsageError(`--from ${name}: ${what} the ${formatSize(limits.maxBytes)} tcpdiag reads of an input (raise it with --max-input)`);
}

function tooSlow(name: string, limits: ReadLimits, size: number): UsageError {
  const got = size === 0 ? 'nothing arrived' : `only ${size} bytes arrived and no end`;
  return new UsageError(`--from ${name}: ${got} in ${limits.timeoutMs / 1000} s (--input-timeout; a FIFO or pipe without a writer, or a slow command)`);
}

/** 67108864 -> "64MiB". */
export function formatSize(bytes: number): string {
  for (const [unit, n] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) if (bytes % n === 0 && bytes >= n) return `${bytes / n}${unit}`;
  return `${bytes}B`;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory; give a file of captured output';
  return (err as Error).message;
}
