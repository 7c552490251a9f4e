// Port ranges as every backend and every --from parser reports them. The JSON
// `data` of `tcpdiag ports` is made of these, unmerged: each range is listed
// exactly as its source gave it, so a user can match it to the source text.

export type Protocol = 'tcp' | 'udp';
export type Family = 'ipv4' | 'ipv6';
export type OsName = 'linux' | 'darwin' | 'freebsd' | 'win32';

export interface EphemeralRange {
  /** null: the source does not say (Linux: one range for tcp and udp). */
  protocol: Protocol | null;
  /** null: the source does not say (Linux: one range for IPv4 and IPv6). */
  family: Family | null;
  start: number;
  end: number;
  count: number;
  /** Where the value came from: a procfs path, a command line, or a --from file. */
  source: string;
}

export interface ReservedRange {
  protocol: Protocol | null;
  family: Family | null;
  start: number;
  end: number;
  /** Windows `*` marker: added by an administrator (netsh add excludedportrange), not by a service. */
  administered: boolean;
  /** Windows excluded ranges refuse binds (EACCES); Linux reserved ports only steer the ephemeral allocator. */
  blocksBind: boolean;
  source: string;
}

export interface PrivilegedPorts {
  /** Binding a port below this needs privilege (Linux ip_unprivileged_port_start, FreeBSD reservedhigh+1). */
  below: number;
  source: string;
}

export interface PortRanges {
  /** The OS whose rules apply to these ranges (live: this host; --from: the formats read). */
  os: OsName | null;
  ephemeral: EphemeralRange[];
  reserved: ReservedRange[];
  privileged: PrivilegedPorts | null;
  /** Every file or command the values were read from, also those that held no range. */
  readFrom: string[];
  /** Things that could not be read, said in words (never silently dropped). */
  notes: string[];
}

export function emptyPortRanges(os: OsName | null): PortRanges {
  return { os, ephemeral: [], reserved: [], privileged: null, readFrom: [], notes: [] };
}

export function ephemeral(
  start: number,
  end: number,
  source: string,
  protocol: Protocol | null = null,
  family: Family | null = null,
): EphemeralRange {
  return { protocol, family, start, end, count: end - start + 1, source };
}

/** Concatenates several readings (e.g. one per --from file); keeps each range as reported. */
export function combinePortRanges(parts: readonly PortRanges[]): PortRanges {
  const oses = new Set(parts.map((p) => p.os));
  return {
    os: oses.size === 1 ? [...oses][0]! : null,
    ephemeral: parts.flatMap((p) => p.ephemeral),
    reserved: parts.flatMap((p) => p.reserved),
    privileged: parts.find((p) => p.privileged)?.privileged ?? null,
    readFrom: parts.flatMap((p) => p.readFrom),
    notes: parts.flatMap((p) => p.notes),
  };
}
