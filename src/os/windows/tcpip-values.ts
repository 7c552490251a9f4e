// Looking up Windows TCP/IP registry values, live or captured: which key a
// value sits in (the TCP/IP driver reads Tcpip\Parameters, per-interface
// values under Interfaces\{GUID}, the Winsock driver AFD\Parameters), and one
// DWORD by name with absent / wrong type told apart. Names are compared
// case-insensitively, as the registry does; any control set counts (an
// offline export names ControlSet001, a live query CurrentControlSet).

import type { KeepaliveDefaults, TcpipParameters } from '../backend.js';
import { describeScope, scopeCovers, TCPIP_PARAMETERS, WHOLE_TCPIP_QUERY, type RegistryValue } from '../parse/windows-registry.js';

/** Tcpip\Parameters, Interfaces\{GUID}, the Interfaces key itself, Tcpip6\Parameters, AFD\Parameters; null for other keys. */
export type TcpipKey = 'Parameters' | 'Interface' | 'Interfaces' | 'Tcpip6' | 'AFD';

const SERVICES = /\\SYSTEM\\(?:CurrentControlSet|ControlSet\d{3})\\Services\\/i;

export function locateTcpipKey(key: string): TcpipKey | null {
  const m = SERVICES.exec(key);
  if (!m) return null;
  let rest = key.slice(m.index + m[0].length);
  while (rest.endsWith('\\')) rest = rest.slice(0, -1);
  if (/^Tcpip\\Parameters$/i.test(rest)) return 'Parameters';
  if (/^Tcpip\\Parameters\\Interfaces\\\{[0-9a-f-]+\}$/i.test(rest)) return 'Interface';
  if (/^Tcpip\\Parameters\\Interfaces$/i.test(rest)) return 'Interfaces';
  if (/^Tcpip6\\Parameters$/i.test(rest)) return 'Tcpip6';
  if (/^AFD\\Parameters$/i.test(rest)) return 'AFD';
  return null;
}

/** The key as a remedy names it: reg.exe's HKLM form on the running control set. */
export function remedyKey(key: string): string {
  return key.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\').replace(/\\ControlSet\d{3}\\/i, '\\CurrentControlSet\\');
}

export type DwordLookup =
  | { state: 'absent' }
  | { state: 'dword'; value: number; key: string }
  /** Present but not a readable REG_DWORD: a REG_SZ "1", or data the text did not hold. */
  | { state: 'other'; type: string; data: RegistryValue['data']; key: string };

/** A value under Tcpip\Parameters (or another key), the last one when a paste holds several; a deleting .reg line makes it absent. */
export function readTcpipDword(p: Pick<TcpipParameters, 'values'>, name: string, where: TcpipKey = 'Parameters'): DwordLookup {
  const lower = name.toLowerCase();
  const found = p.values.filter((v) => v.name.toLowerCase() === lower && locateTcpipKey(v.key) === where).at(-1);
  if (!found || found.deleted) return { state: 'absent' };
  if (found.type === 'REG_DWORD' && typeof found.data === 'number') return { state: 'dword', value: found.data, key: found.key };
  return { state: 'other', type: found.type, data: found.data, key: found.key };
}

const KEEPALIVE_TIME_DEFAULT_MS = 7_200_000;
const KEEPALIVE_INTERVAL_DEFAULT_MS = 1000;
/** "On Windows Vista and later, the number of keep-alive probes (data retransmissions) is set to 10 and cannot be changed" (SIO_KEEPALIVE_VALS remarks). */
export const WINDOWS_KEEPALIVE_PROBES = 10;

/**
 * The keepalive defaults Windows (Vista and later) applies, from
 * KeepAliveTime / KeepAliveInterval or their documented defaults when absent
 * (2 h and 1 s: SIO_KEEPALIVE_VALS remarks, Windows 2000 / 2003 registry
 * references). A value present but outside 1..0xFFFFFFFF or not a DWORD gives
 * a reason instead: what Windows does with it is not documented.
 */
export function keepaliveFromRegistry(p: Pick<TcpipParameters, 'values' | 'captures'>, where: string): KeepaliveDefaults | { unknown: string } {
  const from: string[] = [];
  const read = (name: string, fallback: number): number | string => {
    const v = readTcpipDword(p, name);
    const missing = v.state === 'absent' ? notCaptured(p, name) : null;
    if (missing) return missing;
    // Captures of two files that give it different values: which one is in force is not known.
    const given = new Set(p.values.filter((x) => x.name.toLowerCase() === name.toLowerCase() && locateTcpipKey(x.key) === 'Parameters').map((x) => (x.deleted ? 'absent' : String(x.data))));
    if (given.size > 1) return `${name}: the captures give different values (${[...given].join(', ')}), so which one is in force is not known`;
    if (v.state === 'absent') {
      from.push(`${name} absent: the documented default ${fallback} ms`);
      return fallback;
    }
    if (v.state === 'other') return `${name} is a ${v.type}, not a REG_DWORD: which value Windows uses then is not documented`;
    if (v.value < 1) return `${name} is 0, below its documented range 1-4294967295 ms: which value Windows uses then is not documented`;
    from.push(`${name} ${v.value} ms (${where})`);
    return v.value;
  };
  const time = read('KeepAliveTime', KEEPALIVE_TIME_DEFAULT_MS);
  const interval = read('KeepAliveInterval', KEEPALIVE_INTERVAL_DEFAULT_MS);
  if (typeof time === 'string') return { unknown: time };
  if (typeof interval === 'string') return { unknown: interval };
  from.push(`${WINDOWS_KEEPALIVE_PROBES} probes: fixed from Windows Vista on (before it, TcpMaxDataRetransmissions)`);
  return { idleS: time / 1000, intervalS: interval / 1000, count: WINDOWS_KEEPALIVE_PROBES, from };
}

/**
 * Why a value of Tcpip\Parameters the captures do not hold is not known to be
 * absent: no capture shows that value (`reg query ... /v OtherName`); null when
 * one does (or the values were read live), so absent means absent.
 */
export function notCaptured(p: Pick<TcpipParameters, 'captures'>, name: string): string | null {
  if (!p.captures || p.captures.length === 0) return null;
  if (p.captures.some((c) => (c.scope === null ? c.holdsTcpip : scopeCovers(c.scope, TCPIP_PARAMETERS, name)))) return null;
  const shown = p.captures.map((c) => `${c.where}: ${c.scope ? describeScope(c.scope) : 'no value of Tcpip\\Parameters'}`).join('; ');
  return `${name} was not captured (${shown}), so whether it is set is not known; capture it with \`${WHOLE_TCPIP_QUERY}\``;
}

