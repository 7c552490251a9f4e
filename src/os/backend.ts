// The one interface every OS backend implements. Probes depend on this, never
// on process.platform. Optional methods are capabilities some OSes lack:
// probes test for them and say what is missing, not guess from the OS name.

import type { OsName, PortRanges } from './port-ranges.js';
import type { SocketRow, SocketTable } from './sockets.js';

/** Kernel counters of connections a full accept queue turned away, since boot. */
export interface ListenCounters {
  listenOverflows: number;
  listenDrops: number;
  source: string;
}

export interface OsBackend {
  readonly os: OsName;
  /** Ephemeral, reserved/excluded and privileged port ranges of this host. */
  readPortRanges(): Promise<PortRanges>;
  /** Every TCP socket. Owners are filled where the OS tool reports them in the same pass. */
  readSocketTable(): Promise<SocketTable>;
  /**
   * Fills owners (pid, process) of the given rows in place, where that is a
   * separate, costly step (Linux walks /proc/<pid>/fd). Returns notes.
   */
  resolveOwners?(rows: SocketRow[]): Promise<string[]>;
  readListenCounters?(): Promise<ListenCounters>;
}
