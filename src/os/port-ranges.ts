// Port ranges as every backend and every --from parser reports them. The JSON
// `data` of `tcpdiag ports` is made of these, unmerged: each range is listed
// exactly as its source gave it, so a user can match it to the source text.

export type Protocol = 'tcp' | 'udp';
export type Family = 'ipv4' | 'ipv6';
export type OsName = 'linux' | 'darwin' | 'freebsd' | 'win32';

/** The command that prints an OS's ephemeral port range: what to add to a paste that lacks it. */
export const EPHEMERAL_RANGE_COMMAND: Record<OsName, string> = {
  win32: 'netsh int ipv4 show dynamicport tcp',
  linux: 'sysctl net.ipv4.ip_local_port_range',
  darwin: 'sysctl net.inet.ip.portrange',
  freebsd: 'sysctl net.inet.ip.portrange',
};

/**
 * Which of the OS's port allocators hands out this range. Linux and Windows
 * have one ("default"). macOS and FreeBSD have three: the default range
 * (net.inet.ip.portrange.first/last) for every socket that asks for nothing,
 * the IP_PORTRANGE_HIGH range (hifirst/hilast) for sockets that set that
 * option, and the IP_PORTRANGE_LOW range (lowfirst/lowlast, privileged ports
 * handed out downward) for sockets that set IP_PORTRANGE_LOW.
 */
export type PortAllocator = 'default' | 'high' | 'low';

export interface EphemeralRange {
  /** null: the source does not say (Linux: one range for tcp and udp). */
  protocol: Protocol | null;
  /** null: the source does not say (Linux: one range for IPv4 and IPv6). */
  family: Family | null;
  start: number;
  end: number;
  count: number;
  /** Which allocator uses the range: only "default" ranges are what connect() and bind(port 0) draw from. */
  allocator: PortAllocator;
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
  /**
   * Linux: true once ip_local_reserved_ports itself was read, empty or not.
   * Absent: the list is unknown (a paste without it), and a remedy that adds
   * a port must read the list where it runs, since writing it replaces it.
   */
  reservedListRead?: boolean;
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
  allocator: PortAllocator = 'default',
): EphemeralRange {
  return { protocol, family, start, end, count: end - start + 1, allocator, source };
}

/** The ranges ordinary sockets draw from (connect, bind to port 0): the default allocator's. */
export function defaultRanges(ranges: readonly EphemeralRange[]): EphemeralRange[] {
  return ranges.filter((e) => e.allocator === 'default');
}

/** How a finding names a range's allocator: nothing for the default one of a one-allocator OS. */
export function allocatorWords(e: EphemeralRange): string {
  if (e.allocator === 'high') return 'the IP_PORTRANGE_HIGH range (net.inet.ip.portrange.hifirst/hilast), used only by sockets that ask for it';
  if (e.allocator === 'low') return 'the IP_PORTRANGE_LOW range (net.inet.ip.portrange.lowfirst/lowlast), used only by sockets that ask for it';
  return /portrange/.test(e.source) ? 'the default range (net.inet.ip.portrange.first/last)' : 'the ephemeral range';
}

/** Concatenates several readings (e.g. one per --from file); keeps each range as reported. */
export function combinePortRanges(parts: readonly PortRanges[]): PortRanges {
  const oses = new Set(parts.map((p) => p.os));
  return {
    os: oses.size === 1 ? [...oses][0]! : null,
    ephemeral: parts.flatMap((p) => p.ephemeral),
    reserved: parts.flatMap((p) => p.reserved),
    privileged: parts.find((p) => p.privileged)?.privileged ?? null,
    ...(parts.some((p) => p.reservedListRead) ? { reservedListRead: true } : {}),
    readFrom: parts.flatMap((p) => p.readFrom),
    notes: parts.flatMap((p) => p.notes),
  };
}

/**
 * One setting a capture shows in full (--from): Linux ip_local_port_range,
 * one `netsh ... show excludedportrange` table of one protocol and family.
 * A later capture of the same setting replaces an earlier one
 * (input/later-captures.ts), also when it shows no range at all (an empty
 * excluded list). protocol and family null: the setting covers all of them
 * (Linux); a capture whose protocol or family is not known declares none.
 */
export interface RangeSetting {
  range: 'ephemeral' | 'reserved' | 'privileged';
  allocator?: PortAllocator;
  protocol: Protocol | null;
  family: Family | null;
}
