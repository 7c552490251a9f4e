// libc through koffi, the optional FFI dependency (DESIGN.md): socket calls
// Node does not expose. Loaded on first use; null when koffi is not installed
// or libc cannot be loaded, and callers fall back to what Node alone can do.

import { endianness } from 'node:os';

export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, addrLen: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  close(fd: number): number;
  errno(): number;
  /** setsockopt with an int value; true when the kernel took it. */
  setsockoptInt(fd: number, level: number, name: number, value: number): boolean;
  /** getsockopt of an int value; null when the kernel refused. */
  getsockoptInt(fd: number, level: number, name: number): number | null;
}

let loaded: Promise<Libc | null> | undefined;
let unavailable = 'koffi (optional dependency) is not installed';

/**
 * Why loadLibc() gave null, for notes that say what was lost: koffi is not
 * installed (npm), or the reason it did not load (a single executable's
 * embedded module, src/sea/koffi.ts), or libc itself failed.
 */
export function libcUnavailableReason(): string {
  return unavailable;
}

/**
 * koffi, and the file a worker thread can load it again from (null where
 * there is none to name: then workers go without). Throws what
 * require('koffi') throws when koffi cannot be loaded.
 */
export function requireKoffi(): { koffi: typeof import('koffi'); path: string | null } {
  // require, not import(): koffi is CommonJS, and the bundle keeps no import() (see esm-import.cjs).
  const koffi = require('koffi') as typeof import('koffi') & { __tcpdiagFile?: string | null };
  // A single executable's koffi names the file its native module was loaded from (scripts/sea/bundle.mjs).
  let path: string | null = koffi.__tcpdiagFile ?? null;
  if (path === null) {
    try {
      path = require.resolve('koffi');
    } catch {
      // Resolved some other way than from node_modules (a bundler's alias): no file to hand on.
    }
  }
  return { koffi, path };
}

/** requireKoffi(), or null when koffi cannot be loaded. */
export function loadKoffi(): ReturnType<typeof requireKoffi> | null {
  try {
    return requireKoffi();
  } catch {
    return null;
  }
}

export function loadLibc(): Promise<Libc | null> {
  loaded ??= (async () => {
    try {
      const { koffi } = requireKoffi();
      const lib = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
      const setsockopt = lib.func('int setsockopt(int, int, int, const void *, uint32_t)');
      const getsockopt = lib.func('int getsockopt(int, int, int, _Out_ void *, _Inout_ void *)');
      const le = endianness() === 'LE';
      return {
        socket: lib.func('int socket(int, int, int)'),
        sendto: lib.func('long sendto(int, const void *, size_t, int, const void *, uint32_t)'),
        recv: lib.func('long recv(int, _Out_ void *, size_t, int)'),
        setsockopt,
        close: lib.func('int close(int)'),
        errno: () => koffi.errno(),
        setsockoptInt: (fd: number, level: number, name: number, value: number) => {
          const v = Buffer.alloc(4);
          if (le) v.writeInt32LE(value);
          else v.writeInt32BE(value);
          return setsockopt(fd, level, name, v, 4) === 0;
        },
        getsockoptInt: (fd: number, level: number, name: number) => {
          const v = Buffer.alloc(4);
          const len = Buffer.alloc(4);
          if (le) len.writeUInt32LE(4);
          else len.writeUInt32BE(4);
          if (getsockopt(fd, level, name, v, len) !== 0) return null;
          return le ? v.readInt32LE() : v.readInt32BE();
        },
      };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'TCPDIAG_KOFFI_UNAVAILABLE') unavailable = e.message;
      else if (e.code !== 'MODULE_NOT_FOUND') unavailable = `koffi could not load libc: ${e.message}`;
      return null;
    }
  })();
  return loaded;
}
