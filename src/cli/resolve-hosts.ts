// --host values: an IP address as given, or a name resolved to all its
// addresses (dns.lookup, as a server's listen(port, name) would). A name that
// does not resolve is bad input (exit 2); an address that is not on this host
// is a finding of the probe (EADDRNOTAVAIL), not bad input.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UsageError } from '../report/errors.js';

export async function resolveHosts(hosts: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const h of hosts) {
    const bare = h.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare)) {
      out.push(bare);
      continue;
    }
    if (!/^[A-Za-z0-9.-]{1,253}$/.test(h)) throw new UsageError(`--host: expected an IP address or a host name, got "${h}"`);
    try {
      const found = await lookup(h, { all: true, verbatim: true });
      out.push(...found.map((a) => a.address));
    } catch (err) {
      throw new UsageError(`--host: "${h}" is not an IP address and does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
  }
  return [...new Set(out)];
}
