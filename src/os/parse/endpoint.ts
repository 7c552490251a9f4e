// Address:port parsing shared by the socket-table parsers.

import type { Family } from '../port-ranges.js';
import type { Endpoint } from '../sockets.js';
import { toInt } from './text.js';

export function familyOfAddress(address: string): Family {
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

export function wildcardAddress(family: Family): string {
  return family === 'ipv6' ? '::' : '0.0.0.0';
}

function toPort(s: string): number | null {
  if (s === '*') return 0;
  const n = toInt(s);
  return n !== null && n <= 65535 ? n : null;
}

/**
 * "host:port" as Linux, Windows and lsof print it: "10.0.0.1:22",
 * "[::1]:80", "[fe80::1%12]:80", "*:80", "*:*", and bracketless IPv6 with
 * the port after the last colon (Linux netstat ":::22"). `*` as address is
 * returned as "*" for the caller to turn into its family's wildcard.
 */
export function parseColonEndpoint(s: string): Endpoint | null {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') return null;
    const port = toPort(s.slice(close + 2));
    return port === null ? null : { address: s.slice(1, close), port };
  }
  const colon = s.lastIndexOf(':');
  if (colon < 0) return null;
  const port = toPort(s.slice(colon + 1));
  const address = s.slice(0, colon);
  return port === null || address === '' ? null : { address, port };
}

/** BSD/macOS netstat "host.port": "127.0.0.1.8080", "*.8080", "*.*", "fe80::1%lo0.631". */
export function parseDotEndpoint(s: string): Endpoint | null {
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return null;
  const port = toPort(s.slice(dot + 1));
  return port === null ? null : { address: s.slice(0, dot), port };
}

/** Replaces a "*" address with the wildcard of the row's family. */
export function resolveWildcard(e: Endpoint, family: Family): Endpoint {
  return e.address === '*' ? { address: wildcardAddress(family), port: e.port } : e;
}
