// Findings about port ranges, for `ports` and `doctor` (and later `bind`).
// Each finding says what the range does and does not do on its OS, with the
// remedy for that OS.

import { defaultRanges, type EphemeralRange, type PortRanges, type ReservedRange } from '../os/port-ranges.js';
import { DEFAULT_EPHEMERAL, portsExhaustedError, releaseExcludedPortRemedy, rangeFixPrivilegeWords, reservePortsRemedy, setEphemeralRangeRemedy, timeWaitHoldWords } from '../os/remedies.js';
import type { Finding } from '../report/types.js';
import { commonPortsIn, describePorts } from './common-ports.js';
import { formatRange, plural } from '../text/words.js';

/** Below this many ports a range runs dry under ordinary client load toward one destination. */
export const SMALL_EPHEMERAL_RANGE = 4096;

export function explainPortRanges(r: PortRanges): Finding[] {
  return [
    // "The ephemeral range" of these findings is the one ordinary sockets draw from; the others serve sockets that ask for them.
    ...defaultRanges(r.ephemeral).flatMap((e) => explainEphemeral(e, r)),
    ...explainExcluded(r),
    ...explainReserved(r),
    ...explainPrivileged(r),
    ...r.notes.map((n): Finding => ({ code: 'source-unreadable', severity: 'info', message: n, remedy: [] })),
  ];
}

export function describeScope(x: { protocol: string | null; family: string | null }): string {
  const parts = [x.protocol, x.family].filter((p) => p !== null);
  return parts.length ? parts.join('/') : 'all protocols and families';
}

function explainEphemeral(e: EphemeralRange, r: PortRanges): Finding[] {
  const findings: Finding[] = [];
  const fallback = r.os ? DEFAULT_EPHEMERAL[r.os] : null;
  if (e.count < SMALL_EPHEMERAL_RANGE) {
    findings.push({
      code: 'ephemeral-range-small',
      severity: 'warning',
      message:
        `the ephemeral range ${e.start}-${e.end} (${describeScope(e)}) has only ${plural(e.count, 'port')}: at most ${plural(e.count, 'connection')} ` +
        `to one destination (address and port) can be open at once, and each closed one keeps its port ` +
        `in TIME_WAIT for a while (${timeWaitHoldWords(r.os)}); a busy client then fails to connect with ${portsExhaustedError(r.os)}` +
        (fallback ? rangeFixPrivilegeWords(r.os) : ''),
      remedy: fallback ? setEphemeralRangeRemedy(r.os, fallback.start, fallback.end) : [],
    });
  }
  const covered = commonPortsIn(e.start, e.end).filter((p) => !isReserved(p, r));
  if (covered.length > 0) {
    // A range moved below the OS default is a misconfiguration behind many "port in
    // use" reports: a warning, fixed by moving it back. A default range that covers
    // a common port (FreeBSD's 10000-65535 covers 27017) is how that OS is: info,
    // fixed per port.
    const moved = fallback !== null && e.start < fallback.start;
    findings.push({
      code: 'ephemeral-range-covers-common-ports',
      severity: moved ? 'warning' : 'info',
      message:
        `the ephemeral range ${e.start}-${e.end} (${describeScope(e)}) covers ${describePorts(covered)}: while a server ` +
        `on one of these is down, any outgoing connection may take the port as its source port, and the server then ` +
        `fails to start with EADDRINUSE although nothing listens there` +
        (moved ? `; the range starts below this OS's default ${fallback.start}-${fallback.end}` : '') +
        rangeFixPrivilegeWords(r.os),
      remedy: moved ? setEphemeralRangeRemedy(r.os, fallback.start, fallback.end) : reservePortsRemedy(r.os, covered, reservedList(r)),
    });
  }
  return findings;
}

function explainExcluded(r: PortRanges): Finding[] {
  const blocking = r.reserved.filter((x) => x.blocksBind);
  if (blocking.length === 0) return [];
  const findings: Finding[] = [];
  const covered = [...new Set(blocking.flatMap((x) => commonPortsIn(x.start, x.end)))].sort((a, b) => a - b);
  if (covered.length > 0) {
    findings.push({
      code: 'excluded-range-covers-common-ports',
      severity: 'warning',
      message:
        `excluded port ranges cover ${describePorts(covered)}: binding them fails with EACCES ("An attempt was made to ` +
        `access a socket in a way forbidden by its access permissions") although netstat shows nothing there; ` +
        `run the remedy in an elevated prompt to move the service's reservation away`,
      remedy: releaseExcludedPortRemedy(covered),
    });
  }
  const ports = blocking.reduce((n, x) => n + x.end - x.start + 1, 0);
  findings.push({
    code: 'excluded-ranges',
    severity: 'info',
    message:
      `${plural(blocking.length, 'range')} with ${plural(ports, 'port')} excluded by a service (Hyper-V, WinNAT, WSL ` +
      `and Docker reserve ranges at boot): ${listRanges(blocking)}; no program can bind a port inside them (EACCES)`,
    remedy: [],
  });
  return findings;
}

function explainReserved(r: PortRanges): Finding[] {
  const kept = r.reserved.filter((x) => !x.blocksBind);
  if (kept.length === 0) return [];
  const one = kept.length === 1 && kept[0]!.start === kept[0]!.end;
  const what =
    r.os === 'win32'
      ? `${one ? 'was' : 'were'} excluded by an administrator (netsh add excludedportrange, marked *)`
      : `${one ? 'is' : 'are'} reserved (ip_local_reserved_ports)`;
  return [
    {
      code: 'reserved-ports',
      severity: 'info',
      message:
        `${one ? 'port' : 'ports'} ${listRanges(kept)} ${what}: the OS never hands ${one ? 'it' : 'them'} out as an ephemeral source port, so no client ` +
        `connection can take ${one ? 'it' : 'them'} while your server is down; it does not stop any program from binding ${one ? 'it' : 'them'} explicitly`,
      remedy: [],
    },
  ];
}

function explainPrivileged(r: PortRanges): Finding[] {
  if (!r.privileged) return [];
  // Linux also grants it with CAP_NET_BIND_SERVICE; FreeBSD with root or mac_portacl.
  const { below, source } = r.privileged;
  const message =
    below <= 1
      ? `any user may bind any port (${source} is ${below})`
      : `binding a port below ${below} needs privilege (root, or CAP_NET_BIND_SERVICE on Linux; ${source}); other users get EACCES`;
  return [{ code: 'privileged-ports', severity: 'info', message, remedy: [] }];
}

function isReserved(port: number, r: PortRanges): boolean {
  return r.reserved.some((x) => port >= x.start && port <= x.end);
}

/** Linux reserved entries in ip_local_reserved_ports syntax, kept when adding ports to the list; null when the list was not read. */
export function reservedList(r: PortRanges): string[] | null {
  if (r.os !== 'linux') return [];
  return r.reservedListRead ? r.reserved.map(formatRange) : null;
}

function listRanges(ranges: readonly ReservedRange[]): string {
  const shown = ranges.slice(0, 12).map(formatRange);
  return shown.join(', ') + (ranges.length > 12 ? ` and ${ranges.length - 12} more` : '');
}
