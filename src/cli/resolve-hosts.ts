// --host values for `bind`: an IP address as given, or a name resolved to all
// its addresses (as a server's listen(port, name) would). A name that does
// not resolve is bad input (exit 2), one the resolver gave no answer for
// cannot be judged now (exit 3, resolve-target.ts unresolved); an address that is not on this host is a
// finding of the probe (EADDRNOTAVAIL), not bad input. With --from only
// addresses: a name would be resolved here, not where the capture was taken.

import { isIP } from 'node:net';
import { UsageError } from '../report/errors.js';
import { resolveTarget, unresolved } from './resolve-target.js';

export async function resolveHosts(hosts: readonly string[], opts: { captured?: boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  for (const h of hosts) {
    if (!/^\[?[A-Za-z0-9.:%-]{1,253}\]?$/.test(h)) throw new UsageError(`--host: expected an IP address or a host name, got "${h}"`);
    // A name in a capture's question would be looked up here, on another host with its own resolver and hosts file.
    if (opts.captured && isIP(h.replace(/^\[(.*)\]$/, '$1')) === 0) {
      throw new UsageError(`--host: with --from give the address the server listens on, not a name: "${h}" would be resolved on this machine, not on the host that printed the capture`);
    }
    const r = await resolveTarget(h);
    if (r.error || r.addresses.length === 0) throw unresolved('--host', h, r.error);
    out.push(...r.addresses.map((a) => a.address));
  }
  return [...new Set(out)];
}
