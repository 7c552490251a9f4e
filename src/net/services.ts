// TCP service names and their ports (services-table.ts, generated from the
// IANA names in Debian's /etc/services), the same on every OS: a Windows host
// has another services file and a container often none. Flags take a name
// where they take a port (`connect db.internal postgresql`); parsers of
// output printed without numeric ports (`netstat` without -n) can map names
// back to numbers with the same table.

import { TCP_SERVICES } from './services-table.js';

let byName: Map<string, number> | undefined;

/** Parsed on first use: start-up does not pay for it. A Map, so "constructor" never hits Object.prototype. */
function load(): void {
  byName = new Map();
  for (const entry of TCP_SERVICES.split(' ')) {
    const [port, names] = entry.split('=');
    const n = Number(port);
    const all = names!.split(',');
    // The first port a name appears on wins, as getservbyname(3) reads the file top-down.
    for (const name of all) if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), n);
  }
}

/** The TCP port of a service name or alias ("https" 443, "postgres" 5432), any case; null when unknown. */
export function servicePortOf(name: string): number | null {
  if (!byName) load();
  return byName!.get(name.toLowerCase()) ?? null;
}
