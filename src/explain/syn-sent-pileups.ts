// SYN_SENT piling up toward one endpoint (doctor), attributed to that
// endpoint with what the table can prove (issue #20):
//  - an endpoint on this host is judged by its listener: a full accept queue
//    drops SYNs silently (Linux, macOS), so the pile-up is that server's; a
//    queue with room is not the cause (something on this host drops the SYNs
//    before they reach it), and no listener at all would answer with a reset,
//    so a rule drops them too;
//  - an endpoint elsewhere does not answer: down, firewalled, or its queue full
//    (which only a look on that host can tell);
//  - attempts to *other* endpoints that have had to resend their SYN at the
//    same time are slow connects elsewhere: pending attempts may be holding
//    them up (a filter allowing one pending attempt at a time), which is what
//    `tcpdiag connect-race` decides.

import type { SocketRow } from '../os/sockets.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint, isWildcard, unmapV4 } from '../sockets/address.js';
import { describeOwners, groupBy } from './pileups.js';
import { agree, describeOwner, plural } from '../text/words.js';

/** Attempts to one destination that wait at once; on a healthy network SYN_SENT lasts one round trip. */
export const SYN_SENT_PILEUP = 5;

const isLoopback = (a: string) => a.startsWith('127.') || a === '::1';
const destOf = (r: SocketRow) => formatEndpoint({ address: unmapV4(r.remote.address), port: r.remote.port });

export function explainSynSent(rows: readonly SocketRow[]): { findings: Finding[]; notJudged: string[] } {
  const synSent = rows.filter((r) => r.state === 'SYN_SENT');
  const piles = groupBy(synSent, destOf).filter(([, group]) => group.length >= SYN_SENT_PILEUP);
  if (piles.length === 0) return { findings: [], notJudged: [] };
  const notJudged: string[] = [];
  // Addresses of this host: loopback, and every specific local address in the table.
  const local = new Set(rows.map((r) => unmapV4(r.local.address)).filter((a) => !isWildcard(a)));
  const listeners = rows.filter((r) => r.state === 'LISTEN');
  const elsewhere = slowConnectsElsewhere(synSent, new Set(piles.map(([dest]) => dest)));
  if (elsewhere.unknown > 0 && elsewhere.slow.length === 0) {
    notJudged.push(
      `whether connects to other endpoints were slow while attempts piled up (which would point to connect-race): ` +
        `the socket table has no retransmit counts for the ${plural(elsewhere.unknown, 'other SYN_SENT socket')}`,
    );
  }
  const findings = piles.map(([dest, group]): Finding => {
    const [address, port] = [unmapV4(group[0]!.remote.address), group[0]!.remote.port];
    const who = describeOwners(group);
    const head = `${dest}: ${plural(group.length, 'connection attempt')}${who ? ` from ${who}` : ''} ${agree(group.length, 'waits', 'wait')} for an answer (SYN_SENT).`;
    const cause = isLoopback(address) || local.has(address) ? localCause(dest, address, port, listeners, notJudged) : remoteCause(address, port);
    const race = elsewhere.slow.length ? raceHint(dest, address, port, elsewhere.slow) : null;
    return {
      code: 'syn-sent-pileup',
      severity: 'warning',
      message: `${head} ${cause.text}${race ? ` ${race.text}` : ''}`,
      remedy: [...cause.remedy, ...(race ? [race.remedy] : [])],
    };
  });
  return { findings, notJudged };
}

function remoteCause(address: string, port: number): { text: string; remedy: string[] } {
  return {
    text:
      `The endpoint does not answer: it is down or unreachable, a firewall on the way drops the SYNs, or its accept queue is ` +
      `full (a Linux or macOS listener then drops SYNs silently; \`tcpdiag sockets --listen\` on that host shows it). ` +
      `The callers hang until their connect timeout.`,
    remedy: [`tcpdiag connect ${address} ${port}`],
  };
}

/** The endpoint is on this host: its listener (or the lack of one) decides. */
function localCause(dest: string, address: string, port: number, listeners: readonly SocketRow[], notJudged: string[]): { text: string; remedy: string[] } {
  const v6 = address.includes(':');
  const mine = listeners.filter((l) => {
    const a = unmapV4(l.local.address);
    return l.local.port === port && (a === address || a === '::' || (!v6 && a === '0.0.0.0'));
  });
  const probe = [`tcpdiag connect ${address} ${port}`];
  if (mine.length === 0) {
    return {
      text:
        `Nothing listens there on this host, and a SYN to a closed port here is answered with a reset at once: ` +
        `something on this host drops these SYNs (a firewall rule). The callers hang until their connect timeout.`,
      remedy: probe,
    };
  }
  const full = mine.find((l) => l.acceptQueue && l.acceptQueue.max !== null && l.acceptQueue.length > l.acceptQueue.max);
  const name = (l: SocketRow) => (describeOwner(l) ? `${describeOwner(l)} on ${formatEndpoint(l.local)}` : formatEndpoint(l.local));
  if (full) {
    const q = full.acceptQueue!;
    return {
      text:
        `The accept queue of ${name(full)} is full (${q.length} waiting, limit ${q.max}), and a full queue drops SYNs ` +
        `silently (Linux, macOS): that server does not accept fast enough, or not at all (a blocked event loop). ` +
        `The callers hang until it accepts again or their connect timeout.`,
      remedy: ['tcpdiag sockets --listen --sample 5s'],
    };
  }
  const unseen = mine.filter((l) => !l.acceptQueue);
  if (unseen.length) {
    notJudged.push(`whether the accept queue of ${name(unseen[0]!)} is full (and so the cause of the SYN_SENT pile-up toward ${dest}): the table does not show it`);
    return { text: `Its listener, ${name(unseen[0]!)}, has no accept queue in the table, so whether a full queue drops the SYNs was not judged.`, remedy: probe };
  }
  const q = mine[0]!.acceptQueue!;
  return {
    text:
      `Its listener, ${name(mine[0]!)}, has room in its accept queue (${q.length} waiting${q.max !== null ? `, limit ${q.max}` : ''}), ` +
      `so a full queue is not the cause: something on this host drops these SYNs before they reach it (a firewall rule). ` +
      `The callers hang until their connect timeout.`,
    remedy: probe,
  };
}

/** SYN_SENT sockets toward endpoints without a pile-up that have resent their SYN: pending at least the initial RTO. */
function slowConnectsElsewhere(synSent: readonly SocketRow[], piled: ReadonlySet<string>): { slow: SocketRow[]; unknown: number } {
  const others = synSent.filter((r) => !piled.has(destOf(r)));
  return { slow: others.filter((r) => (r.retransmits ?? 0) >= 1), unknown: others.filter((r) => r.retransmits === undefined).length };
}

function raceHint(dest: string, address: string, port: number, slow: readonly SocketRow[]): { text: string; remedy: string } {
  const byDest = groupBy(slow, destOf);
  const shown = byDest.slice(0, 3).map(([d]) => d).join(', ') + (byDest.length > 3 ? ', ...' : '');
  const one = byDest.length === 1;
  return {
    text:
      `Meanwhile ${plural(slow.length, 'attempt')} to ${one ? 'another endpoint' : 'other endpoints'} (${shown}) ${agree(slow.length, 'has', 'have')} had to resend ` +
      `${agree(slow.length, 'its', 'their')} SYN as well: if ${one ? 'it answers' : 'those answer'} when tried alone, the pending attempts to ${dest} may ` +
      `be holding up every new connection of this host (a security filter that lets one attempt be pending at a time); ` +
      `\`tcpdiag connect-race\` tells, with ${one ? 'it' : 'one of them'} as the control.`,
    remedy: `tcpdiag connect-race ${address} ${port} --control ${byDest[0]![0]}`,
  };
}
