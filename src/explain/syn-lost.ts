// The finding for connects that waited for a resent SYN (syn-resends.ts found
// them): per address, the attempts' times against the OS's resend times as
// the evidence, and what drops a SYN or a SYN-ACK. A warning only where a
// faster attempt to the same address shows the path itself is fast, or the
// address is a loopback one (syn-resends.ts resendCertain).

import type { ConnectData } from '../probes/connect-data.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { plural } from '../text/words.js';
import { isLoopback } from '../os/address-kind.js';
import { resendCertain } from './syn-resends.js';

const round = (ms: number) => Math.round(ms * 10) / 10;

export function explainSynResends(d: ConnectData): Finding[] {
  const schedule = d.synSchedule;
  if (!schedule) return [];
  const out: Finding[] = [];
  for (const address of new Set(d.synResends.map((r) => r.address))) {
    const mine = d.synResends.filter((r) => r.address === address);
    const total = d.attempts.filter((a) => a.address === address).length;
    const where = formatEndpoint({ address, port: d.port });
    const who = total === 1 ? 'the connect' : mine.length === total ? `all ${total} attempts` : `${mine.length} of ${plural(total, 'attempt')}`;
    // Up to three attempts as evidence; the rest are in data.synResends.
    const evidence = mine.slice(0, 3).map((r) => {
      const again = r.resends === 1 ? 'sent again' : `sent for the ${ordinal(r.resends + 1)} time`;
      return `${total > 1 ? `attempt ${r.attempt + 1} ` : ''}took ${r.durationMs} ms, ${round(r.durationMs - r.resendAtMs)} ms after the SYN was ${again} at ${r.resendAtMs / 1000} s`;
    });
    const more = mine.length > 3 ? ` (and ${mine.length - 3} more)` : '';
    const baseline = mine[0]!.baselineMs;
    const loopback = isLoopback(address);
    const certain = resendCertain(mine[0]!);
    const compare =
      baseline !== null
        ? `, where a connect without loss took ${baseline} ms`
        : loopback
          ? `, to a loopback address, where no round trip takes anywhere near ${schedule.initialRtoMs / 1000} s`
          : '';
    const hedge = certain ? '' : ` No attempt to ${where} came back sooner, so a round trip that long would look the same: --count 10 tells them apart.`;
    out.push({
      code: 'syn-lost',
      // Only an attempt to the same address that lost nothing, or a loopback
      // address, proves the path fast; without either, notJudged says so.
      severity: certain ? 'warning' : 'info',
      message:
        `${where}: ${who} ${certain ? 'waited' : 'may have waited'} for a resent SYN: ${evidence.join('; ')}${more}${compare}. ${schedule.basis}. ` +
        `${certain ? 'So the' : 'If so, the'} first SYN or the SYN-ACK answering it was lost or dropped on the way: a firewall or rate limit that drops ` +
        `packets, ${loopback ? 'or ' : ''}a server whose accept queue is full (Linux and macOS then drop the SYN silently; on the server ` +
        `\`tcpdiag sockets --listen --sample 5s\` shows it)${loopback ? '' : ', or loss on the network'}. Each loss costs a connect ` +
        `${schedule.initialRtoMs / 1000} s or more.${hedge}`,
      remedy: [`tcpdiag connect ${d.host} ${d.port} --count 20 --interval 100ms`],
    });
  }
  return out;
}

function ordinal(n: number): string {
  const words = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh'];
  return words[n] ?? `${n}th`;
}
