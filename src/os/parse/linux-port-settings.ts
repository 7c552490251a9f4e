// Linux port settings, from procfs files or from `sysctl` output.
//   /proc/sys/net/ipv4/ip_local_port_range      "32768\t60999"
//   /proc/sys/net/ipv4/ip_local_reserved_ports  "8080,9000-9010" (may be empty)
//   /proc/sys/net/ipv4/ip_unprivileged_port_start "1024"
//   sysctl net.ipv4.ip_local_port_range          "net.ipv4.ip_local_port_range = 32768\t60999"
//   grep . /proc/sys/net/ipv4/ip_local_*         "/proc/sys/net/ipv4/ip_local_port_range:32768\t60999"
//   a pasted shell session                       "$ cat /proc/sys/net/ipv4/ip_local_port_range" + value line
// One setting covers tcp and udp, IPv4 and IPv6 (per network namespace), so
// protocol and family stay null. Reserved ports only keep the ephemeral
// allocator away; an explicit bind still succeeds (blocksBind false).

import { emptyPortRanges, ephemeral, type PortRanges } from '../port-ranges.js';
import { ParseError, isPort, splitLines, toInt } from './text.js';

export const LINUX_KEYS = ['ip_local_port_range', 'ip_local_reserved_ports', 'ip_unprivileged_port_start'] as const;
export type LinuxPortKey = (typeof LINUX_KEYS)[number];

const KEY_LINE = /^(?:[\w./-]*[./])?(ip_local_port_range|ip_local_reserved_ports|ip_unprivileged_port_start)\s*[=:](.*)$/;

export function parseLocalPortRange(value: string): { start: number; end: number } {
  const parts = value.trim().split(/\s+/);
  const start = toInt(parts[0]);
  const end = toInt(parts[1]);
  if (parts.length !== 2 || !isPort(start) || !isPort(end) || start > end) {
    throw new ParseError('ip_local_port_range', `expected two port numbers "low high", got "${value.trim()}"`);
  }
  return { start, end };
}

/** "8080,9000-9010" → [{8080,8080},{9000,9010}]; empty → []. */
export function parseReservedPortList(value: string): Array<{ start: number; end: number }> {
  const text = value.trim();
  if (text === '') return [];
  return text.split(',').map((item) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item.trim());
    const start = toInt(m?.[1]);
    const end = m?.[2] === undefined ? start : toInt(m[2]);
    if (!m || !isPort(start) || !isPort(end) || start > end) {
      throw new ParseError('ip_local_reserved_ports', `expected ports or ranges like "8080,9000-9010", got "${item.trim()}"`);
    }
    return { start, end };
  });
}

export function parseUnprivilegedPortStart(value: string): number {
  const n = toInt(value.trim());
  if (n === null || n > 65536) {
    throw new ParseError('ip_unprivileged_port_start', `expected one number, got "${value.trim()}"`);
  }
  return n;
}

/** Adds one setting's value to `into`; `source` says where it was read. */
export function applyLinuxSetting(into: PortRanges, key: LinuxPortKey, value: string, source: string): void {
  switch (key) {
    case 'ip_local_port_range': {
      const { start, end } = parseLocalPortRange(value);
      into.ephemeral.push(ephemeral(start, end, source));
      break;
    }
    case 'ip_local_reserved_ports':
      into.reservedListRead = true;
      for (const r of parseReservedPortList(value)) {
        into.reserved.push({ protocol: null, family: null, ...r, administered: true, blocksBind: false, source });
      }
      break;
    case 'ip_unprivileged_port_start':
      into.privileged = { below: parseUnprivilegedPortStart(value), source };
      break;
  }
}

// "$ cat /proc/sys/net/ipv4/ip_local_port_range": the value is the next line.
const CAT_LINE = /\bcat\s+\S*(ip_local_port_range|ip_local_reserved_ports|ip_unprivileged_port_start)\s*$/;

/** True when some line names a Linux port setting: `sysctl`/`grep .` output or a pasted `cat` session. */
export function looksLikeLinuxSysctl(text: string): boolean {
  return splitLines(text).some((l) => KEY_LINE.test(l.trim()) || CAT_LINE.test(l));
}

/** `sysctl`/`grep .` output ("<key> = <value>") and `cat` transcripts; other keys are ignored. */
export function parseLinuxSysctl(text: string, source: string): PortRanges {
  const out = emptyPortRanges('linux');
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const cat = CAT_LINE.exec(lines[i]!);
    const m = cat ? null : KEY_LINE.exec(lines[i]!.trim());
    if (cat) {
      // An empty reserved-ports file prints an empty line: that is its value.
      applyLinuxSetting(out, cat[1] as LinuxPortKey, lines[i + 1] ?? '', `${source} (${cat[1]})`);
      i++;
    } else if (m) {
      applyLinuxSetting(out, m[1] as LinuxPortKey, m[2]!, `${source} (${m[1]})`);
    }
  }
  out.readFrom.push(source);
  return out;
}

/**
 * The bare content of one procfs file. Which file it was comes from its name
 * when the name says (…/ip_local_reserved_ports), otherwise from its shape:
 * two numbers are a port range, a list with "," or "-" is reserved ports. A
 * lone number is ambiguous, so it is only accepted with a telling file name.
 */
export function detectProcfsKey(text: string, fileName: string): LinuxPortKey | null {
  const named = LINUX_KEYS.find((k) => fileName.endsWith(k));
  if (named) return named;
  const t = text.trim();
  if (/^\d+\s+\d+$/.test(t)) return 'ip_local_port_range';
  if (/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(t) && /[,-]/.test(t)) return 'ip_local_reserved_ports';
  return null;
}

export function parseProcfsValue(text: string, key: LinuxPortKey, source: string): PortRanges {
  const out = emptyPortRanges('linux');
  applyLinuxSetting(out, key, text, source);
  out.readFrom.push(source);
  return out;
}
