// What `tcpdiag connect` says: per address what failed and why, connects
// that waited for a resent SYN (a SYN or SYN-ACK lost on the way), and the
// classic of a name with several addresses where only some answer
// (`localhost` giving ::1 first while the server listens on 127.0.0.1 only).

import type { ConnectData } from '../probes/connect-data.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { explainSynResends } from './syn-lost.js';
import { agree } from '../text/words.js';

const CODE_BY_OUTCOME: Record<string, string> = {
  refused: 'connect-refused',
  timeout: 'connect-timeout',
  unreachable: 'connect-unreachable',
  'no-local-port': 'ephemeral-ports-exhausted',
  reset: 'connect-reset',
  error: 'connect-failed',
};

export function explainConnect(d: ConnectData, dnsError: string | null): Finding[] {
  if (dnsError) {
    return [{ code: 'host-not-resolved', severity: 'error', message: `${d.host} does not resolve (${dnsError}): check the name, the search domains and the resolver (/etc/resolv.conf, or the hosts file)`, remedy: [] }];
  }
  const out: Finding[] = [];
  for (const a of d.perAddress.filter((x) => x.failed > 0)) {
    const first = d.attempts.find((x) => x.address === a.address && x.outcome !== 'connected')!;
    const where = formatEndpoint({ address: a.address, port: d.port });
    const some = a.connected ? ` in ${a.failed} of ${a.failed + a.connected} attempts` : '';
    out.push({ code: CODE_BY_OUTCOME[first.outcome] ?? 'connect-failed', severity: 'error', message: `${where}: ${first.meaning}${some}`, remedy: [] });
  }
  out.push(...explainSynResends(d));
  const works = d.perAddress.filter((x) => x.connected > 0);
  const fails = d.perAddress.filter((x) => x.connected === 0);
  if (works.length && fails.length) {
    const firstFails = d.perAddress[0]!.connected === 0;
    const good = works.map((x) => x.address).join(', ');
    const bad = fails.map((x) => x.address).join(', ');
    out.push({
      code: firstFails ? 'first-address-fails' : 'some-addresses-fail',
      severity: 'warning',
      message:
        `${d.host} resolves to ${d.resolved.map((x) => x.address).join(', ')} (in this order); ${good} ${agree(works.length, 'answers', 'answer')}, ${bad} ${agree(fails.length, 'does', 'do')} not. ` +
        (firstFails
          ? `Clients that try only the first address (no Happy Eyeballs: many non-Node clients, Node < 20, autoSelectFamily off) fail with ${d.attempts[0]!.errorCode ?? 'an error'} on ${formatEndpoint({ address: fails[0]!.address, port: d.port })}. `
          : '') +
        `Make the server listen on every address the name gives (for a Node server, listen on "::" : dual-stack, it accepts IPv4 too), or point clients at ${works[0]!.address}.`,
      // ipv4first helps only when an IPv6 address comes first and fails while IPv4 works.
      remedy: firstFails && d.perAddress[0]!.family === 'ipv6' && works.some((x) => x.family === 'ipv4') ? ['node --dns-result-order=ipv4first your-client.js'] : [],
    });
  }
  return out;
}
