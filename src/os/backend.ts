// The one interface every OS backend implements. Probes depend on this, never
// on process.platform. Optional methods are capabilities some OSes lack:
// probes test for them and say what is missing, not guess from the OS name.

import type { RegistryScope, RegistryValue } from './parse/windows-registry.js';
import type { OsName, PortRanges } from './port-ranges.js';
import type { CompactSocketTable, Endpoint, SocketQuery, SocketRow, SocketTable } from './sockets.js';
import type { TrackedAttempt } from './parse/nf-conntrack.js';

export interface BindSemantics {
  /** Whether libuv sets SO_REUSEADDR before bind on this OS. */
  reuseAddr: boolean;
  description: string;
}

/** libuv sets SO_REUSEADDR before every bind on Unix; the kernel lets it share a port only with sockets that set it too. */
export const UNIX_BIND: BindSemantics = {
  reuseAddr: true,
  description: 'SO_REUSEADDR (libuv sets it before every bind on Unix): a TIME_WAIT left by a socket that also set it does not block the listen, one left by a client that never set it does',
};

/** libuv on Windows sets neither option: an exclusive port stays exclusive. */
export const WIN32_BIND: BindSemantics = {
  reuseAddr: false,
  description: 'neither SO_REUSEADDR nor SO_EXCLUSIVEADDRUSE (libuv on Windows sets neither)',
};

/** A TIME_WAIT socket and how long it still holds its port. */
export interface TimeWaitTimer {
  local: Endpoint;
  remote: Endpoint;
  remainingMs: number;
}

/** Kernel counters of connections a full accept queue turned away, since boot. */
export interface ListenCounters {
  listenOverflows: number;
  listenDrops: number;
  source: string;
}

export interface KeepaliveValues {
  enabled: boolean;
  idleS: number;
  intervalS: number;
  count: number;
}

/** The system keepalive defaults, with where each came from where that is more than one file (Windows: a registry value or its documented default). */
export interface KeepaliveDefaults {
  idleS: number;
  intervalS: number;
  count: number;
  from?: string[];
}

/**
 * Windows TCP/IP settings in the registry: HKLM\SYSTEM\CurrentControlSet\Services\
 * Tcpip\Parameters with its subkeys (Interfaces\{GUID} holds per-interface
 * values), Tcpip6\Parameters and AFD\Parameters. os/windows/tcpip-values.ts
 * looks values up (readTcpipDword).
 */
export interface TcpipParameters {
  values: RegistryValue[];
  /** Commands run or files read. */
  readFrom: string[];
  /** Keys that could not be read, and why. */
  notes: string[];
  /**
   * Captured output only: what each registry capture shows (registryScope;
   * null: whole), where it lies, and whether it holds Tcpip\\Parameters at all
   * (an AFD capture does not). A value none of them shows was not
   * captured: it is not judged, never taken for absent. Absent live: reg
   * query reads the keys whole.
   */
  captures?: Array<{ scope: RegistryScope | null; where: string; holdsTcpip: boolean }>;
}

/** Keepalive options on a socket descriptor, through FFI (OS-FACTS.md "Keepalive"). */
export interface KeepaliveOptions {
  /** Sets idle, interval and count; returns the option names the kernel took. */
  set(fd: number, v: Omit<KeepaliveValues, 'enabled'>): string[];
  /** What the kernel holds now, or null when it cannot be read. */
  get(fd: number): KeepaliveValues | null;
}

/**
 * Keepalive where Node gives no socket descriptor (Windows: the handle's fd
 * is -1), so nothing can be set or read through FFI: what a socket gets when
 * Node can set only the idle time, and why nothing can be read back.
 */
export interface KeepaliveWithoutDescriptor {
  /** Interval and count the OS (or libuv) applies with Node's idle time, and where they come from, in words. */
  idleOnly: { intervalS: number; count: number; source: string };
  /** Why the values cannot be read back here. */
  noReadBack: string;
}

/** The kernel option that ends a connect at a deadline tcpdiag sets (Linux). */
export type KernelDeadline = 'TCP_USER_TIMEOUT';

/**
 * Sets the kernel's user timeout on a socket: it ends the connection when a
 * SYN or data stays unacknowledged that long. Returns the option's name, or
 * null when refused.
 */
export type UserTimeout = (fd: number, timeoutMs: number) => KernelDeadline | null;

export interface OsBackend {
  readonly os: OsName;
  /** How a Node listen binds here (OS-FACTS.md): it decides whether TIME_WAIT leftovers block it. */
  readonly bindSemantics: BindSemantics;
  /** Ephemeral, reserved/excluded and privileged port ranges of this host. */
  readPortRanges(): Promise<PortRanges>;
  /**
   * Every TCP socket, or at least those `query` asks for (a backend that can
   * ask the OS for fewer does; callers filter what comes back). Owners are
   * filled where the OS tool reports them in the same pass.
   */
  readSocketTable(query?: SocketQuery): Promise<SocketTable>;
  /**
   * The same table kept compact (every row; with `owners`, their owners too),
   * or null where this OS or host has no compact form. `notes`: what the
   * owner lookup could not see.
   */
  readCompactSocketTable?(owners?: boolean): Promise<{ table: CompactSocketTable; notes: string[] } | null>;
  /**
   * The sockets one process holds, with it as their owner (sockets --pid),
   * read without the whole table where the OS allows; `query` as for
   * readSocketTable.
   */
  readProcessSockets?(pid: number, query?: SocketQuery): Promise<SocketTable>;
  /**
   * Fills owners (pid, process) of the given rows in place, where that is a
   * separate, costly step (Linux walks /proc/<pid>/fd). With `onlyPid`, only
   * that process is asked (enough for --pid). Returns notes.
   */
  resolveOwners?(rows: SocketRow[], onlyPid?: number): Promise<string[]>;
  /**
   * Says resolveOwners (for every process) will follow the next table read:
   * a backend may start what is slow (Linux: the kernel's socket file
   * iterator, or the owner walk's worker threads on a busy host) so it
   * overlaps the read. `port`: the rows will all have this local or remote
   * port (a hint: a row without it is still looked up, only slower).
   */
  prepareOwners?(hint?: { port?: number }): void;
  readListenCounters?(): Promise<ListenCounters>;
  /** The TIME_WAIT sockets on a local port with the time each has left (Linux: sock_diag idiag_expires); null when unknown. */
  readTimeWaitTimers?(port: number): Promise<TimeWaitTimer[] | null>;
  /** Whether one socket can be closed on request (Linux `ss -K`, CONFIG_INET_DIAG_DESTROY); null when it cannot be told. */
  canCloseSockets?(): Promise<boolean | null>;
  /** Kernel settings that decide what a full accept queue does (Linux: somaxconn, tcp_syn_retries, ...). */
  readBacklogSettings?(): Promise<Record<string, number>>;
  /**
   * Prepares the kernel's user timeout (connect deadlines, unacknowledged
   * data). Resolves to null where it cannot (no FFI); absent where Node gives
   * no descriptor (Windows) or no option is known.
   */
  prepareUserTimeout?(): Promise<UserTimeout | null>;
  /** Keepalive options through FFI; null where koffi is absent. */
  prepareKeepaliveOptions?(): Promise<KeepaliveOptions | null>;
  /** Where sockets have no descriptor (Windows): what the OS applies and why nothing is read back. */
  prepareKeepaliveWithoutDescriptor?(): Promise<KeepaliveWithoutDescriptor>;
  /** The system-wide keepalive defaults (Linux tcp_keepalive_time/intvl/probes; Windows KeepAliveTime/KeepAliveInterval). */
  readKeepaliveDefaults?(): Promise<KeepaliveDefaults | null>;
  /** Windows: the TCP/IP values in the registry (live: reg query; --from: reg query output or .reg exports). */
  readTcpipParameters?(): Promise<TcpipParameters>;
  /** Whether this backend reads captured files (doctor --from) rather than this host: decides the wording of what is missing. */
  readonly captured?: boolean;
  /**
   * Attempts the host's connection tracking holds unanswered (Linux
   * /proc/net/nf_conntrack), also those whose socket is closed: a firewall
   * limit that counts tracked attempts still counts them. Null where it
   * cannot be read (no conntrack, no root).
   */
  readTrackedAttempts?(): Promise<TrackedAttempt[] | null>;
}
