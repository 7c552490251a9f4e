// Address identity for matching: an IPv4-mapped IPv6 address ("::ffff:10.0.0.1",
// a dual-stack socket talking IPv4) is the IPv4 peer it carries.

/** A wildcard local address: 0.0.0.0, ::, or "*" as BSD netstat and lsof print it. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '*';
}

export function unmapV4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function formatEndpoint(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}
