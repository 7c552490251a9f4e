// Values a row may hold, and the ones that cannot be true (issue #22): an
// address 999.999.999.999, a port 70000, a pid "0x10" or "1.5", a number too
// big for JSON to carry exactly. Each reader calls these, so a row is either
// read with true values or refused with its line, never taken as it comes.

import { isIP } from 'node:net';
import { refuse } from './line-reader.js';

/** Largest pid any supported OS hands out: Windows pids are 32-bit (DWORD); Linux caps at 2^22. */
const MAX_PID = 4_294_967_295;
const DECIMAL = /^\d+$/;
/** A host name as netstat or lsof prints it without -n: labels of letters, digits, "-" and "_". */
const HOST_NAME = /^[\w-]+(?:\.[\w-]+)*\.?$/;

/** A port 0-65535 written in decimal. */
export function readPort(text: string, what = 'port'): number {
  const n = readDecimal(text, what);
  if (n > 65535) throw refuse(`${what} ${text} is larger than 65535`);
  return n;
}

/** A process id: decimal, 1 to 2^32-1. */
export function readPid(text: string, what = 'pid'): number {
  const n = readDecimal(text, what);
  if (n === 0 || n > MAX_PID) throw refuse(`${what} ${text} is not a process id`);
  return n;
}

/** A count or size: decimal, small enough that JSON carries it exactly. */
export function readCount(text: string, what: string): number {
  return readDecimal(text, what);
}

function readDecimal(text: string, what: string): number {
  if (!DECIMAL.test(text)) throw refuse(`${what} "${text}" is not a whole decimal number`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw refuse(`${what} ${text.length > 20 ? `${text.slice(0, 20)}…` : text} is too large to be true`);
  return n;
}

/**
 * An address as a socket table prints it: IPv4, IPv6 (with a zone), "*", or
 * a host name (netstat/lsof without -n). Digits-and-dots that are not IPv4,
 * and anything with a colon that is not IPv6, cannot be true.
 */
export function checkAddress(address: string, opts: { mayBeCut?: boolean } = {}): string {
  if (address === '*' || isIP(address) !== 0) return address;
  // netstat cuts a long address to its column: hex digits and colons (IPv6), or a name's first
  // characters ("55.65.117.34." of "55.65.117.34.bc.googleusercontent.com"), that end early.
  if (opts.mayBeCut && address.includes(':') && /^[\da-f:.]+$/i.test(address)) return address;
  if (opts.mayBeCut && /^[\w.-]+$/.test(address)) return address;
  if (address === '') throw refuse('an endpoint without an address');
  // ss prints the device an IPv4 socket is bound to as a zone: "127.0.0.53%lo".
  const zone = address.indexOf('%');
  if (zone > 0 && isIP(address.slice(0, zone)) === 4 && /^[\w.-]+$/.test(address.slice(zone + 1))) return address;
  // Digits alone may be a host's first DNS label (Windows netstat without -f prints "47").
  if (/^[\d.]+$/.test(address) && address.includes('.')) throw refuse(`"${address}" is not an IPv4 address`);
  if (address.includes(':')) throw refuse(`"${address}" is not an IPv6 address`);
  if (!HOST_NAME.test(address)) throw refuse(`"${address}" is not an address or host name`);
  return address;
}
