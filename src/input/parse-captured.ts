// What one --from file holds, for commands that take several kinds at once
// (bind, doctor): a socket table (netstat, ss, ...), port ranges (netsh,
// sysctl, procfs), or host settings (sysctl keepalive and somaxconn values).
// The format is detected from the text; unknown text is bad input, naming
// every format tcpdiag reads.

import type { CapturedText } from './read-captured.js';
import { KNOWN_PORT_RANGE_FORMATS, parsePortRangeText } from '../os/parse/port-range-formats.js';
import { KNOWN_SOCKET_TABLE_FORMATS, parseSocketTableText } from '../os/parse/socket-table-formats.js';
import { HOST_SETTING_KEYS, parseSysctlValues } from '../os/parse/sysctl-values.js';
import { looksLikeRegistryText, parseRegistryText, type RegistryValue } from '../os/parse/windows-registry.js';
import { ParseError } from '../os/parse/text.js';
import type { OsName, PortRanges } from '../os/port-ranges.js';
import type { SocketTable } from '../os/sockets.js';
import { UsageError } from '../report/errors.js';

export type CapturedPart = { file: string; format: string; os: OsName | null } & (
  | { kind: 'table'; table: SocketTable }
  | { kind: 'ranges'; ranges: PortRanges }
  | { kind: 'settings'; values: Map<string, number> }
  /** Windows registry values: reg query output or a .reg export. */
  | { kind: 'registry'; values: RegistryValue[] }
);

export const KNOWN_SETTINGS_FORMAT = 'sysctl keepalive and somaxconn values (Linux net.ipv4.tcp_keepalive_* / net.core.somaxconn; macOS, FreeBSD net.inet.tcp.keep* / kern.ipc.somaxconn)';
export const KNOWN_REGISTRY_FORMAT = 'Windows registry values: reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s output or a .reg export (UTF-16 included)';

/**
 * The parts of one file: a socket table alone, or port ranges and/or host
 * settings (a `sysctl -a` paste holds both). `settings`: whether the command
 * reads host settings at all.
 */
export function parseCapturedParts(c: CapturedText, settings: boolean): CapturedPart[] {
  if (settings && looksLikeRegistryText(c.text)) {
    const r = parseOrUsage(c, () => parseRegistryText(c.text));
    return [{ file: c.file, format: r.format, os: 'win32', kind: 'registry', values: r.values }];
  }
  try {
    const t = parseSocketTableText(c.text, c.file);
    return [{ file: c.file, format: t.format, os: t.os, kind: 'table', table: t.table }];
  } catch (err) {
    if (!(err instanceof ParseError) || !/^unknown format/.test(err.message)) throw asUsage(c, err);
  }
  const parts: CapturedPart[] = [];
  try {
    const r = parsePortRangeText(c.text, c.file);
    parts.push({ file: c.file, format: r.format, os: r.ranges.os, kind: 'ranges', ranges: r.ranges });
  } catch (err) {
    if (!(err instanceof ParseError) || !/^unknown format/.test(err.message)) throw asUsage(c, err);
  }
  const values = settings ? new Map([...parseSysctlValues(c.text)].filter(([k]) => k in HOST_SETTING_KEYS)) : new Map<string, number>();
  if (values.size > 0) parts.push({ file: c.file, format: 'sysctl-settings', os: HOST_SETTING_KEYS[values.keys().next().value!]!, kind: 'settings', values });
  if (parts.length > 0) return parts;
  const known = [...KNOWN_SOCKET_TABLE_FORMATS, ...KNOWN_PORT_RANGE_FORMATS, ...(settings ? [KNOWN_SETTINGS_FORMAT, KNOWN_REGISTRY_FORMAT] : [])];
  throw new UsageError(`--from ${c.file}: neither a socket table nor port ranges${settings ? ' nor host settings' : ''} tcpdiag knows; it reads: ${known.join('; ')}`);
}

function parseOrUsage<T>(c: CapturedText, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw asUsage(c, err);
  }
}

function asUsage(c: CapturedText, err: unknown): unknown {
  return err instanceof ParseError ? new UsageError(`--from ${c.file}: ${err.message}`) : err;
}
