// --host values for `bind`: an IP address as given, or a name resolved to all
// its addresses (as a server's listen(port, name) would). A name that does
// not resolve is bad input (exit 2); an address that is not on this host is a
// finding of the probe (EADDRNOTAVAIL), not bad input.

import { UsageError } from '../report/errors.js';
import { resolveTarget } from './resolve-target.js';

export async function resolveHosts(hosts: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const h of hosts) {
    if (!/^\[?[A-Za-z0-9.:%-]{1,253}\]?$/.test(h)) throw new UsageError(`--host: expected an IP address or a host name, got "${h}"`);
    const r = await resolveTarget(h);
    if (r.error || r.addresses.length === 0) throw new UsageError(`--host: "${h}" is not an IP address and does not resolve (${r.error ?? 'no address'})`);
    out.push(...r.addresses.map((a) => a.address));
  }
  return [...new Set(out)];
}
