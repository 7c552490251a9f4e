// /proc/net/nf_conntrack: the TCP connections Linux's connection tracking
// holds. Only unanswered attempts are read (state SYN_SENT, [UNREPLIED]):
// a firewall limit that counts tracked attempts (nftables `ct count`,
// iptables connlimit) keeps counting one after its socket is closed, until
// the entry times out (nf_conntrack_tcp_timeout_syn_sent, 120 s by default).
// Each line's first tuple is the original direction: the attempt's own
// source and destination.

import { formatIpv6 } from './ipv6-format.js';

export interface TrackedAttempt {
  family: 'ipv4' | 'ipv6';
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Seconds until conntrack forgets it. */
  expiresS: number;
}

// "ipv4 2 tcp 6 119 SYN_SENT src=... dst=... sport=... dport=... [UNREPLIED] ...": fields split on spaces.
export function parseTrackedAttempts(text: string): TrackedAttempt[] {
  const out: TrackedAttempt[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[2] !== 'tcp' || f[5] !== 'SYN_SENT' || !f.includes('[UNREPLIED]')) continue;
    const first = (key: string) => f.find((x) => x.startsWith(`${key}=`))?.slice(key.length + 1);
    const [src, dst, sport, dport] = [first('src'), first('dst'), Number(first('sport')), Number(first('dport'))];
    const family = f[0] === 'ipv6' ? 'ipv6' : 'ipv4';
    if (!src || !dst || !Number.isInteger(sport) || !Number.isInteger(dport)) continue;
    out.push({ family, src: family === 'ipv6' ? compact(src) : src, dst: family === 'ipv6' ? compact(dst) : dst, sport, dport, expiresS: Number(f[4]) });
  }
  return out;
}

/** conntrack prints IPv6 addresses in full ("0000:...:0001"); reports use RFC 5952 text. */
function compact(full: string): string {
  const groups = full.split(':');
  if (groups.length !== 8) return full;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  });
  return formatIpv6(bytes);
}
