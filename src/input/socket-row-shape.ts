// Lines that look like rows of a socket table although no format tcpdiag
// reads took them (issue #15: "where a section cannot be read, report the line
// range and the formats tried"): a row of another tool, or one a paste mangled
// past recognition. They are reported as not read instead of passing as prose.
// Only numbers count as endpoints here, so prose that mentions "host.com:443"
// is not taken for a row.

import { isIP } from 'node:net';

/** A /proc/net/tcp or tcp6 row: slot, then two endpoints in hex ("0100007F:1F45"). */
const PROCFS_ROW = /^\s*\d+:\s+[\dA-F]{8}(?:[\dA-F]{24})?:[\dA-F]{4}\s+[\dA-F]{8}(?:[\dA-F]{24})?:[\dA-F]{4}\s/;

/** Whether a line holds two endpoints written with numbers ("10.0.0.1:22", "[::1]:80", "192.168.1.5.443", "*.*"), or is a procfs row. */
export function looksLikeSocketRow(line: string): boolean {
  if (PROCFS_ROW.test(line)) return true;
  let endpoints = 0;
  for (const word of line.trim().split(/\s+/)) if (isNumericEndpoint(word) && ++endpoints >= 2) return true;
  return false;
}

function isNumericEndpoint(word: string): boolean {
  if (word.length > 60) return false;
  if (word === '*.*' || word === '*:*') return true;
  const bracket = word.startsWith('[') ? word.indexOf(']') : -1;
  const cut = bracket > 0 ? bracket + 1 : Math.max(word.lastIndexOf(':'), word.lastIndexOf('.'));
  if (cut <= 0) return false;
  const port = word.slice(cut + 1);
  // A port may be a service name ("*.ssh"): the address still has to be a number.
  if (!/^(?:\d{1,5}|\*|[a-z][\w-]{0,30})$/i.test(port)) return false;
  const address = bracket > 0 ? word.slice(1, bracket) : word.slice(0, cut);
  const zone = address.indexOf('%');
  const bare = zone > 0 ? address.slice(0, zone) : address;
  return bare === '*' || isIP(bare) !== 0;
}
