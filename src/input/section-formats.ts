// Every output tcpdiag reads from a --from input, as a section format: where a
// section of it opens (a header, a rule, a first row) and the line reader that
// reads it. read-sections.ts splits an input into sections with these, so one
// paste may hold several outputs in any order (issue #20). A new format (issue
// #15: PowerShell tables, registry values, ...) is one more entry here.
//
// Order matters only where an opening line could start two formats: the socket
// tables come first (their rows are unmistakable), Linux netstat ("tcp",
// "host:port") before BSD netstat ("tcp4", "host.port").

import { createBsdNetstatReader, opensBsdNetstat } from '../os/parse/bsd-netstat.js';
import { createGetNetTcpConnectionReader, opensGetNetTcpConnection } from '../os/parse/get-nettcpconnection.js';
import type { LineReader, UnreadLine } from '../os/parse/line-reader.js';
import { createLinuxNetstatReader, opensLinuxNetstat } from '../os/parse/linux-netstat.js';
import { createSsReader, opensSs } from '../os/parse/linux-ss.js';
import { createLsofReader, opensLsof } from '../os/parse/lsof.js';
import { createNetshReader, opensNetsh, type NetshList } from '../os/parse/netsh.js';
import { createProcNetTcpReader, opensProcNetTcp } from '../os/parse/procfs-tcp.js';
import { createSockstatReader, opensSockstat } from '../os/parse/sockstat.js';
import { createSysctlReader, opensSysctl } from '../os/parse/sysctl-section.js';
import { HOST_SETTING_KEYS } from '../os/parse/sysctl-values.js';
import { createWindowsNetstatReader } from '../os/parse/windows-netstat.js';
import { createRegistryReader, opensRegistry, reopensRegistry } from '../os/parse/registry-section.js';
import type { RegistryValue } from '../os/parse/windows-registry.js';
import type { OsName, PortRanges, RangeSetting } from '../os/port-ranges.js';
import type { SocketTable } from '../os/sockets.js';

/** What one section gives: a socket table, port ranges, host settings (a sysctl section may give ranges and settings). */
export type PartBody = (
  | { kind: 'table'; format: string; os: OsName | null; table: SocketTable }
  /** `lists`: netsh only, each list read with the protocol and family it answers for. captures: the settings the part shows whole, which a later capture of the same setting replaces (input/later-captures.ts). */
  | { kind: 'ranges'; format: string; os: OsName | null; ranges: PortRanges; lists?: NetshList[]; captures?: RangeSetting[] }
  | { kind: 'settings'; format: string; os: OsName | null; values: Map<string, number> }
  | { kind: 'registry'; format: string; os: OsName | null; values: RegistryValue[] }
  /**
   * A command line with no output after it before the next prompt (input/read-sections.ts); ended: a prompt follows,
   * not the end of the input; prompt: the command line as pasted, prompt and all; omitted: 1-based lines of its only
   * output, marks of rows left out ("...").
   */
  | { kind: 'no-output'; format: 'no-output'; os: null; ended: boolean; prompt: string; omitted?: number[] }
) & {
  /** Where this part lies when it is one run of several in its section (a session of sysctl or netsh calls); else the section's lines. */
  lines?: { first: number; last: number };
  /** The command line above the part's output, its prompt taken off. */
  command?: string;
};

/** One section of an input as read (input/read-sections.ts). */
export interface Section {
  /** The input's name as shown (escaped). */
  file: string;
  format: SectionFormat['id'] | 'unknown';
  /** First and last line of the section in its input (1-based). */
  lines: { first: number; last: number };
  parts: PartBody[];
  /** Rows the reader could not read. */
  unread: UnreadLine[];
  /** Only for a section that could not be read at all: the formats tried, in order (its `unread` says where and why). */
  tried?: string[];
  /** Only when the input ends in this section without a line end: its last line, not read (input/cut-last-line.ts). */
  cutLast?: CutLastLine;
}

/** The last line of an input that ends without a line end, not read; its local port when the cut cannot have reached it. */
export interface CutLastLine {
  /** 1-based line in the input. */
  line: number;
  localPort: number | null;
}

export interface SectionFormat {
  id: string;
  kind: 'table' | 'ranges' | 'settings' | 'registry';
  /** For "tcpdiag reads: ..." in errors. */
  describe: string;
  /** Whether a section of this format opens at line i (it may look at the lines after it). */
  opens(lines: readonly string[], i: number): boolean;
  /**
   * Whether line i opens a new section of this format while one of it is open
   * (it opened at line `opener`): a `.reg` export's heading pasted right under
   * `reg query` output, or another output of the same format whose own reader
   * would take the line. Absent: a format never opens inside itself.
   */
  reopens?(lines: readonly string[], i: number, opener: number): boolean;
  create(source: string): LineReader<PartBody[]>;
}

/** A table format: its reader gives one table part. */
function table(id: string, os: OsName | null, describe: string, opens: (line: string) => boolean, create: (source: string) => LineReader<SocketTable>): SectionFormat {
  return { id, kind: 'table', describe, opens: (lines, i) => opens(lines[i]!), create: (source) => mapReader(create(source), (t) => [{ kind: 'table', format: id, os, table: t }]) };
}

function mapReader<A, B>(r: LineReader<A>, map: (a: A) => B): LineReader<B> {
  return { claims: (l) => r.claims(l), line: (t, n) => r.line(t, n), end: () => map(r.end()), lateUnread: () => r.lateUnread?.() ?? [] };
}

/** A Windows netstat row: the untranslated protocol token and an address:port after it. */
function opensWindowsNetstat(line: string): boolean {
  const t = line.trim().split(/\s+/);
  return (t[0] === 'TCP' || t[0] === 'UDP') && t.length >= 3 && /:(?:\d+|\*|[a-z][a-z0-9-]*)$/i.test(t[1]!);
}

export const SECTION_FORMATS: readonly SectionFormat[] = [
  table('proc-net-tcp', 'linux', '/proc/net/tcp and /proc/net/tcp6 (Linux)', opensProcNetTcp, createProcNetTcpReader),
  table('ss', 'linux', 'ss -tan / -tanp / -tlnp, also without -n and with -o -e -i -m or a state filter (Linux)', opensSs, createSsReader),
  table('linux-netstat', 'linux', 'netstat -tan / -tanp / -tapen, also without -n (Linux)', opensLinuxNetstat, createLinuxNetstatReader),
  table('windows-netstat', 'win32', 'netstat -ano / -an / -abno, also without -n (Windows, any language)', opensWindowsNetstat, createWindowsNetstatReader),
  {
    ...table('get-nettcpconnection', 'win32', 'Get-NetTCPConnection as a table, whole or through Select-Object / Format-Table (PowerShell)', () => false, createGetNetTcpConnectionReader),
    opens: opensGetNetTcpConnection,
  },
  table('bsd-netstat', 'darwin', 'netstat -an / -anv / -aA -p tcp, also without -n (macOS, FreeBSD)', opensBsdNetstat, createBsdNetstatReader),
  table('lsof', null, 'lsof -nP -iTCP, also without -nP (macOS, Linux)', opensLsof, createLsofReader),
  table('sockstat', 'freebsd', 'sockstat -4 -6 -P tcp (FreeBSD)', opensSockstat, createSockstatReader),
  {
    id: 'netsh',
    kind: 'ranges',
    describe: 'netsh int ipv4|ipv6 show dynamicport tcp|udp and show excludedportrange protocol=tcp|udp (Windows, any language)',
    opens: opensNetsh,
    create: (source) => mapReader(createNetshReader(source), (r) => r.runs.map((run): PartBody => ({ kind: 'ranges', format: run.kinds.join('+'), os: 'win32', ranges: run.ranges, captures: run.captures, lists: run.lists, lines: run.lines }))),
  },
  {
    id: 'sysctl',
    kind: 'ranges',
    describe:
      'sysctl net.inet.ip.portrange (macOS, FreeBSD); sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports net.ipv4.ip_unprivileged_port_start, grep . or cat of /proc/sys/net/ipv4/ip_local_* (Linux); sysctl keepalive and somaxconn values (net.ipv4.tcp_keepalive_*, net.core.somaxconn; net.inet.tcp.keep*, kern.ipc.somaxconn)',
    opens: (lines, i) => opensSysctl(lines[i]!),
    create: (source) =>
      mapReader(createSysctlReader(source), (s): PartBody[] => {
        const parts: PartBody[] = [];
        for (const run of s.runs) {
          if (run.linux) parts.push({ kind: 'ranges', format: 'linux-sysctl', os: 'linux', ranges: run.linux, captures: run.captures, lines: run.lines });
          if (run.settings.size > 0) parts.push({ kind: 'settings', format: 'sysctl-settings', os: HOST_SETTING_KEYS[run.settings.keys().next().value!]!, values: run.settings, lines: run.lines });
        }
        if (s.bsd) {
          const captures: RangeSetting[] = s.bsd.ephemeral.map((e) => ({ range: 'ephemeral', allocator: e.allocator, protocol: null, family: null }));
          if (s.bsd.privileged) captures.push({ range: 'privileged', protocol: null, family: null });
          parts.push({ kind: 'ranges', format: 'sysctl-portrange', os: s.bsd.os, ranges: s.bsd, captures });
        }
        return parts;
      }),
  },
  {
    id: 'registry',
    kind: 'registry',
    describe: 'Windows registry values: reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s output or a .reg export (UTF-16 included)',
    opens: opensRegistry,
    reopens: reopensRegistry,
    create: () => mapReader(createRegistryReader(), (r): PartBody[] => [{ kind: 'registry', format: r.format, os: 'win32', values: r.values }]),
  },
];

/** Port ranges read without a section heading (read-sections.ts, readWholeFile). */
const PROCFS_CONTENT = 'the content of /proc/sys/net/ipv4/ip_local_port_range or ip_local_reserved_ports (Linux), alone in its file';

/** The outputs --from reads of these kinds, as a command's --help lists them. */
export function formatsOf(kinds: ReadonlyArray<SectionFormat['kind']>): string[] {
  return [...SECTION_FORMATS.filter((f) => kinds.includes(f.kind)).map((f) => f.describe), ...(kinds.includes('ranges') ? [PROCFS_CONTENT] : [])];
}

/** Where a message about input of no known format sends the reader: the list is long (formatsOf). */
export const FORMATS_LISTED = "the command's --help lists the outputs --from reads";
