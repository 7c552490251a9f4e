// The addresses a client would try for <host>, in resolver order (Node >= 17
// keeps it: `localhost` may give ::1 first), with the DNS time. An IP address
// needs no lookup. A name that does not resolve is a finding for `connect`.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Resolved } from '../probes/connect-data.js';
import { UsageError } from '../report/errors.js';

export async function resolveTarget(host: string): Promise<Resolved> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const ipFamily = isIP(bare);
  if (ipFamily) return { addresses: [{ address: bare, family: ipFamily === 6 ? 'ipv6' : 'ipv4' }], dnsMs: null };
  const t0 = performance.now();
  try {
    const found = await lookup(host, { all: true, verbatim: true });
    const dnsMs = Math.round((performance.now() - t0) * 10) / 10;
    return { addresses: found.map((a) => ({ address: a.address, family: a.family === 6 ? 'ipv6' : 'ipv4' })), dnsMs };
  } catch (err) {
    return { addresses: [], dnsMs: Math.round((performance.now() - t0) * 10) / 10, error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}

/** The first address a name gives (what a client tries first); bad input when there is none. */
export async function resolveFirst(name: string, what: string): Promise<string> {
  const r = await resolveTarget(name);
  if (!r.addresses[0]) throw new UsageError(`${what}: "${name}" does not resolve (${r.error ?? 'no address'})`);
  return r.addresses[0].address;
}
