// Address identity for matching: an IPv4-mapped IPv6 address ("::ffff:10.0.0.1",
// a dual-stack socket talking IPv4) is the IPv4 peer it carries.

/** A wildcard local address: 0.0.0.0, ::, or "*" as BSD netstat and lsof print it. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '*';
}

export function unmapV4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** "10.0.0.1:22", "[::1]:22"; an address the tool cut to its column ends in "…" ("lhr25s09-in-f10.…:443"). */
export function formatEndpoint(e: { address: string; port: number; addressCut?: true }): string {
  const address = e.addressCut ? `${e.address}…` : e.address;
  return e.address.includes(':') ? `[${address}]:${e.port}` : `${address}:${e.port}`;
}
