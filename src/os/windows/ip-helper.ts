// The Windows IP Helper and process APIs through koffi (optional dependency),
// the way psutil reads them: GetExtendedTcpTable gives every TCP socket with
// its owner pid, without a process spawn or localized text; a Toolhelp
// snapshot gives every process's image name without privilege (OpenProcess
// on other users' processes would need it). Loaded once; a reason instead
// when koffi or the DLLs are missing, and the backend falls back to netstat
// and tasklist.

import type { Family } from '../port-ranges.js';

export interface IpHelper {
  /** The raw MIB_TCP(6)TABLE_OWNER_PID of one family (decode with tcp-table.ts). */
  tcpTable(family: Family): Buffer;
  /** Image names by pid, from one CreateToolhelp32Snapshot. */
  processNames(): Map<number, string>;
}

export type IpHelperLoad = { helper: IpHelper } | { unavailable: string };

const AF: Record<Family, number> = { ipv4: 2, ipv6: 23 };
const TCP_TABLE_OWNER_PID_ALL = 5;
const NO_ERROR = 0;
const ERROR_INSUFFICIENT_BUFFER = 122;
const ERROR_NO_MORE_FILES = 18;
const TH32CS_SNAPPROCESS = 0x2;
/** sizeof(PROCESSENTRY32W) on 64-bit Windows: 9 fields (one ULONG_PTR) + WCHAR[260], padded to 8. */
const PROCESSENTRY32W_BYTES = 568;
const ENTRY_PID = 8;
const ENTRY_EXE = 44;
/** A table grows between the size query and the read on a busy host: ask again, a few times. */
const MAX_TRIES = 5;
/**
 * The first call gets a buffer, not a size query: each call enumerates every
 * socket (and, for the owner pids, every process), so one call instead of two
 * halves the cost where the table fits (1 MiB: about 43,000 IPv4 or 18,000
 * IPv6 rows; under Wine each call with 24,000 sockets took about 7 s, most
 * of it Wine finding owner pids). A larger table is read again with the size
 * Windows asks for, plus room for sockets opened meanwhile.
 */
const FIRST_BUFFER_BYTES = 1024 * 1024;

let loaded: IpHelperLoad | undefined;

export function loadIpHelper(): IpHelperLoad {
  loaded ??= load();
  return loaded;
}

function load(): IpHelperLoad {
  let koffi: typeof import('koffi');
  try {
    // require, not import(): koffi is CommonJS, and the bundle keeps no import() (see os/esm-import.cjs).
    koffi = require('koffi') as typeof import('koffi');
  } catch (err) {
    // A single executable's embedded module says why it did not load (src/sea/koffi.ts).
    const why = (err as NodeJS.ErrnoException).code === 'TCPDIAG_KOFFI_UNAVAILABLE' ? (err as Error).message : 'koffi (optional dependency) is not installed';
    return { unavailable: why };
  }
  try {
    const iphlpapi = koffi.load('iphlpapi.dll');
    const kernel32 = koffi.load('kernel32.dll');
    const getTable = iphlpapi.func('uint32_t __stdcall GetExtendedTcpTable(void *pTcpTable, _Inout_ uint32_t *pdwSize, int bOrder, uint32_t ulAf, int TableClass, uint32_t Reserved)');
    const snapshot = kernel32.func('void * __stdcall CreateToolhelp32Snapshot(uint32_t dwFlags, uint32_t th32ProcessID)');
    const first = kernel32.func('int __stdcall Process32FirstW(void *hSnapshot, void *lppe)');
    const next = kernel32.func('int __stdcall Process32NextW(void *hSnapshot, void *lppe)');
    const close = kernel32.func('int __stdcall CloseHandle(void *hObject)');
    const lastError = kernel32.func('uint32_t __stdcall GetLastError()');
    return {
      helper: {
        tcpTable(family) {
          let buf = Buffer.alloc(FIRST_BUFFER_BYTES);
          const size = [buf.length];
          let rc = getTable(buf, size, 0, AF[family], TCP_TABLE_OWNER_PID_ALL, 0) as number;
          for (let i = 0; i < MAX_TRIES && rc === ERROR_INSUFFICIENT_BUFFER; i++) {
            buf = Buffer.alloc(Math.ceil(size[0]! * 1.25));
            size[0] = buf.length;
            rc = getTable(buf, size, 0, AF[family], TCP_TABLE_OWNER_PID_ALL, 0) as number;
          }
          if (rc === NO_ERROR) return buf;
          throw new Error(`GetExtendedTcpTable(${family}) failed with error ${rc}`);
        },
        processNames() {
          const names = new Map<number, string>();
          const h = snapshot(TH32CS_SNAPPROCESS, 0);
          // INVALID_HANDLE_VALUE is (HANDLE)-1.
          if (h === null || koffi.address(h) === 0xffffffffffffffffn) throw new Error(`CreateToolhelp32Snapshot failed with error ${lastError() as number}`);
          try {
            const entry = Buffer.alloc(PROCESSENTRY32W_BYTES);
            entry.writeUInt32LE(PROCESSENTRY32W_BYTES, 0);
            for (let ok = first(h, entry) as number; ok !== 0; ok = next(h, entry) as number) {
              const exe = entry.subarray(ENTRY_EXE, ENTRY_EXE + 520).toString('utf16le');
              const end = exe.indexOf('\0');
              names.set(entry.readUInt32LE(ENTRY_PID), end < 0 ? exe : exe.slice(0, end));
            }
            const err = lastError() as number;
            if (err !== ERROR_NO_MORE_FILES && names.size === 0) throw new Error(`Process32FirstW failed with error ${err}`);
          } finally {
            close(h);
          }
          return names;
        },
      },
    };
  } catch (err) {
    return { unavailable: `the IP Helper API could not be loaded through koffi: ${(err as Error).message}` };
  }
}
