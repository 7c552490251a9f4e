// Address:port parsing shared by the socket-table parsers.

import { isIP } from 'node:net';
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

/** An endpoint split into its address and its port as printed (a number, "*" or a service name). */
export interface EndpointText {
  address: string;
  port: string;
}

/** "host:port" with the port still text: "0.0.0.0:ssh", "[::]:https", "localhost:ipp", "*:*". */
export function splitColonEndpoint(s: string): EndpointText | null {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':' || close + 2 >= s.length) return null;
    return { address: s.slice(1, close), port: s.slice(close + 2) };
  }
  const colon = s.lastIndexOf(':');
  if (colon <= 0 || colon === s.length - 1) return null;
  return { address: s.slice(0, colon), port: s.slice(colon + 1) };
}

/** BSD "host.port" with the port still text: "localhost.ipp", "*.ssh", "lhr25s09-in-f10..https". */
export function splitDotEndpoint(s: string): EndpointText | null {
  const dot = s.lastIndexOf('.');
  if (dot <= 0 || dot === s.length - 1) return null;
  return { address: s.slice(0, dot), port: s.slice(dot + 1) };
}

/** What a port text names: a port (a number, "*" for 0, or a known service name), or a service name tcpdiag does not know. */
export type PortText = { port: number; named: boolean } | { unknownService: string } | null;

const SERVICE_NAME = /^[A-Za-z][\w.+-]*$/;

export function readPortText(text: string, lookUp: (name: string) => number | null): PortText {
  if (text === '*') return { port: 0, named: false };
  if (/^\d{1,5}$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? { port: n, named: false } : null;
  }
  if (!SERVICE_NAME.test(text)) return null;
  const port = lookUp(text);
  return port === null ? { unknownService: text } : { port, named: true };
}

/**
 * Whether an address as printed is a host name rather than a number: output
 * printed without -n carries names ("localhost", "kbrazil-mac.attl"), and a
 * pasted address the author masked ("10.xx.xx.141") reads as one too. A
 * number cut by the column width ("fe80::aede:48ff:") is still a number.
 */
export function isHostName(address: string): boolean {
  if (address === '*') return false;
  const zone = address.indexOf('%');
  const bare = zone > 0 ? address.slice(0, zone) : address;
  if (isIP(bare) !== 0) return false;
  return !(bare.includes(':') && /^[\da-f:.]+$/i.test(bare));
}

/** The optional flags of an endpoint whose address is a name or was cut by the tool's column width. */
export function addressFlags(address: string, cut: boolean): Pick<Endpoint, 'addressIsName' | 'addressCut'> {
  return { ...(isHostName(address) ? { addressIsName: true as const } : {}), ...(cut ? { addressCut: true as const } : {}) };
}
