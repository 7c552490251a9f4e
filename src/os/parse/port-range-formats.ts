// Which port-range format a captured text is, decided from the text itself
// (and, for bare procfs values, the file name). Live backends call the same
// parsers, so --from and live runs read text the same way.

import type { PortRanges } from '../port-ranges.js';
import { looksLikeBsdSysctl, parseBsdSysctlPortRange } from './bsd-sysctl-portrange.js';
import { detectProcfsKey, looksLikeLinuxSysctl, parseLinuxSysctl, parseProcfsValue } from './linux-port-settings.js';
import { looksLikeNetsh, parseNetsh } from './netsh.js';
import { ParseError } from './text.js';

export interface DetectedPortRanges {
  format: string;
  ranges: PortRanges;
}

/** Listed in the error for text of no known format, so a user knows what to capture. */
export const KNOWN_PORT_RANGE_FORMATS = [
  'netsh int ipv4|ipv6 show dynamicport tcp|udp (Windows, any language)',
  'netsh int ipv4|ipv6 show excludedportrange protocol=tcp|udp (Windows, any language)',
  'sysctl net.inet.ip.portrange (macOS, FreeBSD)',
  'sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports net.ipv4.ip_unprivileged_port_start (Linux)',
  'the content of /proc/sys/net/ipv4/ip_local_port_range or ip_local_reserved_ports (Linux)',
];

export function parsePortRangeText(text: string, file: string): DetectedPortRanges {
  if (looksLikeNetsh(text)) {
    const { ranges, kinds } = parseNetsh(text, file);
    return { format: kinds.join('+'), ranges };
  }
  if (looksLikeBsdSysctl(text)) return { format: 'sysctl-portrange', ranges: parseBsdSysctlPortRange(text, file) };
  if (looksLikeLinuxSysctl(text)) return { format: 'linux-sysctl', ranges: parseLinuxSysctl(text, file) };
  const key = detectProcfsKey(text, file);
  if (key) return { format: `procfs-${key}`, ranges: parseProcfsValue(text, key, file) };
  throw new ParseError('unknown format', `not a port-range output tcpdiag knows; it reads: ${KNOWN_PORT_RANGE_FORMATS.join('; ')}`);
}
