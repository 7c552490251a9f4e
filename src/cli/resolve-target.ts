// The addresses a client would try for <host>, in resolver order (Node >= 17
// keeps it: `localhost` may give ::1 first), with the DNS time. An IP address
// needs no lookup. A name that does not resolve is a finding for `connect`.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Resolved } from '../probes/connect-data.js';
import { CannotRunError, UsageError } from '../report/errors.js';

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

/** Resolver errors that say nothing of the name: no answer came (getaddrinfo's EAI_AGAIN, c-ares' timeouts and server failures). */
const RESOLVER_DOWN = new Set(['EAI_AGAIN', 'ETIMEOUT', 'ESERVFAIL', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * Why `name` gave no address: bad input (exit 2) when the resolver said it
 * does not exist; when the resolver gave no answer at all, the name may be
 * right, so this cannot run here now (exit 3).
 */
export function unresolved(what: string, name: string, error: string | undefined): Error {
  if (error && RESOLVER_DOWN.has(error)) {
    return new CannotRunError(`${what}: "${name}" could not be resolved: the resolver gave no answer (${error}, a temporary failure: no DNS server reached or none answered)`, ['try again, or give the IP address instead of the name']);
  }
  return new UsageError(`${what}: "${name}" does not resolve (${error ?? 'no address'})`);
}

/** The first address a name gives (what a client tries first); an error when there is none (unresolved). */
export async function resolveFirst(name: string, what: string): Promise<string> {
  const r = await resolveTarget(name);
  if (!r.addresses[0]) throw unresolved(what, name, r.error);
  return r.addresses[0].address;
}
