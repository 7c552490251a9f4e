// What connect-race concludes, in words an SRE can act on during an
// incident: the limit and who it applies to, the evidence, where to look.

import type { OsName } from '../os/port-ranges.js';
import type { RaceData } from '../race/data.js';
import type { RaceResult, Round } from '../race/types.js';
import type { TimeStats } from '../net/time-stats.js';
import type { Finding, Verdict } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { raceRemedy } from './connect-race-remedy.js';
import { plural } from '../text/words.js';

type Measured = Extract<RaceResult, { kind: 'measured' }>;

export function raceVerdict(r: RaceResult): Verdict {
  if (r.kind === 'inconclusive') return 'inconclusive';
  return r.limitRange !== null || r.alreadyLimited ? 'problem' : 'ok';
}

export function raceSummary(r: RaceResult, d: RaceData): string {
  const t = formatEndpoint(d.target);
  if (r.kind === 'inconclusive') return `inconclusive: ${r.reason.replace(/-/g, ' ')}`;
  const scope = r.scope === 'host' ? ' (host-wide)' : r.scope === 'process' ? ' (per process)' : '';
  if (r.alreadyLimited) return `this host already holds new connects, before tcpdiag opened any attempt${scope}`;
  if (r.limitRange === null) return `no limit on pending connection attempts up to ${d.maxPending}`;
  const n = r.limit !== null ? `${r.limit}` : r.limitRange.max === null ? `${r.limitRange.min} or more` : `${r.limitRange.min}-${r.limitRange.max}`;
  return `${n} pending ${r.limit === 1 ? 'attempt' : 'attempts'} to ${t} ${r.limit === 1 ? 'holds' : 'hold'} other connects${scope}`;
}

/** What the OS itself says about a host-wide limit: Windows' EnableConnectionRateLimiting (KB969710), when read. */
export type RateLimitSetting = { state: 'on' | 'off'; said: string } | { state: 'unknown'; said: string } | null;

export function explainRace(r: RaceResult, d: RaceData, os: OsName, helperProblem: string | null, rateLimit: RateLimitSetting = null): { findings: Finding[]; notJudged: string[] } {
  const notJudged: string[] = [];
  const findings: Finding[] = [];
  if (r.kind === 'inconclusive') return { findings: [inconclusive(r, d)], notJudged };
  if (d.lossSeen > 0) findings.push(lostSyns(d));
  if (r.scope === null && (r.limitRange !== null || r.alreadyLimited)) {
    notJudged.push(`whether the limit is per process or host-wide: ${helperProblem ?? 'the helper process gave no answer'}`);
  }
  if (rateLimit?.state === 'unknown' && (r.limitRange !== null || r.alreadyLimited)) notJudged.push(`whether Windows' own half-open limit is on: ${rateLimit.said}`);
  if (r.alreadyLimited) findings.push(alreadyHeld(r, d, os));
  else if (r.limitRange !== null) findings.push(held(r, d, os, rateLimit));
  else {
    findings.push(independent(d));
    if (d.controls.every((c) => c.channel === 'own')) {
      notJudged.push(
        `connects that leave this host: the control was tcpdiag's own listener on ${formatEndpoint(d.control)}, and a filter may act only on connects to other hosts; give --control HOST:PORT of a server that answers to cover them`,
      );
    }
  }
  if (r.limitRange !== null && r.limitRange.max === null) {
    notJudged.push(
      'how many attempts closed shortly before this run (by tcpdiag or another program) the holder still counts: it keeps counting closed attempts (nothing got through after the attempts were closed), and this host\'s connection tracking could not be read, so the limit is given as a lower bound',
    );
  }
  return { findings, notJudged };
}

function held(r: Measured, d: RaceData, os: OsName, rateLimit: RateLimitSetting): Finding {
  const t = formatEndpoint(d.target);
  const n = r.heldAtPending!;
  const heldRound = r.rounds.find((x) => x.held && x.by === 'self')!;
  const free = r.rounds.filter((x) => !x.held && x.by === 'self' && x.pending === n - 1 && x.channel === r.heldOn).at(-1);
  const heldControl = r.heldOn === 'own' ? d.controls[0] : d.controls.find((c) => c.channel === 'given');
  const control = r.heldOn === 'own' ? `tcpdiag's own listener on ${formatEndpoint(d.controls[0]!)}` : formatEndpoint(d.control);
  const refused = r.holdKind === 'refuse' ? refusal(heldRound, d) : null;
  const what = refused
    ? `${refused.was} instead of waiting: ${heldRound.controls} tries, none through, in ${heldRound.waitedMs} ms`
    : `did not get through in ${heldRound.waitedMs} ms (${heldRound.controls} tries, each through its SYN resends)`;
  const evidence =
    `with ${plural(n, 'attempt')} to the dead endpoint ${t} pending, a new connect to ${control} ${what}` +
    (free ? `; with ${n - 1} pending it connected in ${free.controlMs} ms.` : n === 1 ? `; alone it connects in ${aloneMs(heldControl?.baselineMs ?? null)}.` : '.');
  const range = rangeSentence(r, d);
  const tenInRange = r.limitRange !== null && r.limitRange.min <= 10 && (r.limitRange.max === null || r.limitRange.max >= 10);
  const scope = r.scope === null ? '' : ` ${scopeSentence(os, r.scope, rateLimit, tenInRange, refused ? 'refused' : 'held')}`;
  const where = r.heldOn === 'given' ? ' Connects to tcpdiag\'s own listener on this host were not held: the holder acts on connects that leave the host, or on the path to the control.' : '';
  const release = releaseSentence(r);
  const who = r.scope === 'process' ? 'of a process with pending attempts' : 'of every process on this host';
  const effect = refused
    ? `${refused.are} while the pending attempts last`
    : 'stall until the pending attempts end';
  return {
    code: 'connect-attempts-serialized',
    severity: 'error',
    message: `${evidence}${range}${scope}${where}${release} Pooled connections keep working; new connections ${who} ${effect} (21 s on Windows, about 130 s on Linux).`,
    remedy: raceRemedy(os, r.scope),
  };
}

/**
 * How a limit that rejects ended the held round's controls, in words: refused
 * for ECONNREFUSED (a TCP reset), failed with another error; "at once" when
 * the whole round took less than the hold threshold (no SYN was resent).
 */
function refusal(heldRound: Round, d: Pick<RaceData, 'holdMs'>): { was: string; are: string } {
  const code = heldRound.errorCode ?? 'an error';
  const atOnce = d.holdMs !== null && heldRound.waitedMs !== null && heldRound.waitedMs < d.holdMs ? ' at once' : '';
  return code === 'ECONNREFUSED'
    ? { was: `was refused${atOnce} (ECONNREFUSED)`, are: `are refused${atOnce} ("connection refused", ECONNREFUSED)` }
    : { was: `failed${atOnce} (${code})`, are: `fail${atOnce} (${code})` };
}

/** A control's connect time alone, both statistics named: "0.3 ms median, at most 0.4 ms" (as the Setup section gives it). */
export function aloneMs(b: TimeStats | null): string {
  return b ? `${b.median} ms median, at most ${b.max} ms` : '? ms';
}

/** Who holds connects this way on this OS, in words that point at where to look. */
function scopeSentence(os: OsName, scope: 'process' | 'host', rateLimit: RateLimitSetting, measuredTen: boolean, heldAs: 'held' | 'refused'): string {
  if (scope === 'process') {
    const who = {
      win32: 'endpoint-protection software or a filter driver (a WFP callout) that lets one connection attempt per process be pending',
      linux: 'a rule keyed on the process or its cgroup (nftables socket cgroupv2, a BPF program on the cgroup) or a library that wraps connect() (LD_PRELOAD)',
      darwin: "a network extension (endpoint protection, a firewall app) that judges each process's connects",
      freebsd: 'a rule or module that judges each process\'s connects',
    }[os];
    return `The limit is per process: a connect from another process got through, as with ${who}.`;
  }
  if (os === 'win32') {
    // KB969710 documents the setting for Vista SP2 / Server 2008 SP2; its limit is 10 pending attempts.
    const osLimit =
      rateLimit?.state === 'on'
        ? measuredTen
          ? `${rateLimit.said}: Windows' own half-open limit (10 pending attempts, KB969710) is on, and it is the likely holder (KB969710 documents it for Windows Vista SP2 and Server 2008 SP2; for later versions it is not documented).`
          : `${rateLimit.said}, which turns on Windows' own half-open limit of 10 pending attempts (KB969710, documented for Windows Vista SP2 and Server 2008 SP2); the limit measured here is not 10, so something else holds connects too: a filter driver (endpoint protection, a WFP callout).`
        : rateLimit?.state === 'off'
          ? `${rateLimit.said}: Windows' own half-open limit (KB969710) is off, so a filter driver (endpoint protection, a WFP callout) is the likely holder.`
          : "Windows' own half-open limit (EnableConnectionRateLimiting, KB969710) or a filter driver (endpoint protection, a WFP callout).";
    return `The limit is host-wide: a connect from another process was ${heldAs} too. ${osLimit}`;
  }
  const who = {
    linux: 'a firewall rule that limits tracked connection attempts (nftables ct count, iptables connlimit)',
    darwin: 'a pf rule (max-src-conn, max-src-states) or a network extension',
    freebsd: 'a pf or ipfw rule that limits connection states',
  }[os];
  return `The limit is host-wide: a connect from another process was ${heldAs} too, as with ${who}.`;
}

function rangeSentence(r: Measured, d: RaceData): string {
  if (r.limit !== null || r.limitRange === null) return '';
  const others = d.hostPending?.others.length ?? 0;
  const parts = [
    others > 0 ? `${plural(others, 'attempt')} of other programs ${others === 1 ? 'was' : 'were'} pending too (${describeOthers(d)})` : '',
    d.hostPending?.remembered ? `connection tracking still counted ${plural(d.hostPending.remembered, 'closed attempt')}` : '',
    !d.hostPending?.remembered && d.unresolved > 0 ? `${plural(d.unresolved, 'control connect')} lost on the path ${d.unresolved === 1 ? 'was' : 'were'} given up unanswered and may still be counted` : '',
    r.limitRange.max === null ? 'the holder keeps counting closed attempts, and which it still counts could not be read here' : '',
  ].filter(Boolean);
  const range = r.limitRange.max === null ? `${r.limitRange.min} or more` : `between ${r.limitRange.min} and ${r.limitRange.max}`;
  return ` The host's limit is ${range}${parts.length ? `: ${parts.join('; ')}` : ''}.`;
}

function releaseSentence(r: Measured): string {
  if (!r.release) return '';
  if (r.release.releasedAfterMs === null) {
    return ` After the attempts were closed, new connects were still ${r.holdKind === 'refuse' ? 'refused' : 'held'} for ${(r.release.waitedMs / 1000).toFixed(1)} s: the holder keeps counting closed attempts (Linux conntrack keeps them 120 s by default).`;
  }
  return r.release.releasedAfterMs < 200
    ? ` Once the attempts were closed, a connect got through ${r.release.releasedAfterMs} ms later: the holder counts live attempts.`
    : ` A connect got through ${(r.release.releasedAfterMs / 1000).toFixed(1)} s after the attempts were closed: the holder keeps closed attempts for about that long.`;
}

function alreadyHeld(r: Measured, d: RaceData, os: OsName): Finding {
  const pending = d.hostPending;
  const others = pending?.others.length ?? 0;
  const whyHeld = [
    others > 0 ? `${plural(others, 'attempt')} of other programs ${others === 1 ? 'is' : 'are'} pending (${describeOthers(d)})` : '',
    pending?.remembered ? `connection tracking still counts ${plural(pending.remembered, 'closed attempt')} (closed less than its timeout ago)` : '',
  ].filter(Boolean);
  const scope = r.scope === 'host' ? ' A connect from another process was held too: the limit is host-wide.' : r.scope === 'process' ? ' A connect from another process got through: only tcpdiag\'s process is held, by something outside this run.' : '';
  return {
    code: 'connects-already-held',
    severity: 'error',
    message:
      `before tcpdiag opened any attempt, a connect to its own listener on ${formatEndpoint(d.controls[0]!)} did not get through its SYN retransmits, while ${whyHeld.join(' and ')}: ` +
      `this host is already at its limit of pending connection attempts, so its new connections stall.${scope} Run again once those attempts end, to measure the limit.`,
    remedy: raceRemedy(os, r.scope),
  };
}

function independent(d: RaceData): Finding {
  const slowest = Math.max(0, ...d.rounds.filter((x) => !x.held).map((x) => x.controlMs ?? 0));
  const to = d.controls.map((c) => (c.channel === 'own' ? `tcpdiag's own listener ${formatEndpoint(c)}` : formatEndpoint(c))).join(' and ');
  return {
    code: 'connect-attempts-independent',
    severity: 'info',
    message: `with up to ${plural(d.maxPending, 'attempt')} to ${formatEndpoint(d.target)} pending, new connects to ${to} got through (slowest ${slowest} ms; alone ${aloneMs(d.baselineMs)}): no limit on pending connection attempts up to ${d.maxPending}`,
    remedy: [],
  };
}

function lostSyns(d: RaceData): Finding {
  return {
    code: 'race-control-lost-syns',
    severity: 'info',
    message: `${plural(d.lossSeen, 'control connect')} got through only after a SYN retransmit (a lost SYN or SYN-ACK): a slow control was then given four SYNs before a round counted as held, not two, so that a loss could not pass for a hold`,
    remedy: [],
  };
}

function describeOthers(d: RaceData): string {
  const others = d.hostPending?.others ?? [];
  const shown = others.slice(0, 3).map((o) => `${o.process ?? 'unknown'}${o.pid !== null ? ` (pid ${o.pid})` : ''} to ${o.remote}`);
  return others.length > 3 ? `${shown.join(', ')} and ${others.length - 3} more` : shown.join(', ');
}

function inconclusive(r: Extract<RaceResult, { kind: 'inconclusive' }>, d: RaceData): Finding {
  const t = formatEndpoint(d.target);
  const own = d.controls.find((c) => c.channel === 'own');
  const message = {
    'control-failed':
      r.errorCode !== null
        ? `a control connect failed (${r.errorCode}${r.detail ? `, ${r.detail}` : ''}): without a control that answers nothing can be measured; pick one with --control HOST:PORT (a server this host reaches)`
        : d.controls.some((c) => c.channel === 'given' && c.baselineMs === null)
          ? `the control ${formatEndpoint(d.control)} did not answer (${r.detail ?? 'nothing else is pending on this host that could hold it'}); tcpdiag's own listener answered, so the control itself is down or unreachable: pick one that answers with --control HOST:PORT`
          : `tcpdiag's own listener on ${own ? formatEndpoint(own) : 'this host'} did not answer, and no attempts are pending or tracked on this host that could hold it: something else stops connects to it (a firewall rule for its port?)`,
    'control-slow': `the control takes ${r.detail} to connect, close to the SYN retransmit time: a hold cannot be told from its own delay; pick a nearer control with --control HOST:PORT`,
    'target-connects': `${t} accepted the connection: it is not a dead endpoint; pick an address and port that do not answer (a firewalled port, an unused address)`,
    'target-refuses': `${t} refused at once (${r.errorCode}): a refused attempt is not pending; pick a port whose SYNs are dropped (a firewalled port, a host that is down)`,
    'target-fails': `attempts to ${t} ended before the run did (${r.errorCode ?? 'no error code'}): they never stayed pending; pick another target`,
    'out-of-time': `the run took too long (${r.detail}): the control path lost too many SYNs to tell holds from losses in time`,
  }[r.reason];
  return { code: `race-${r.reason}`, severity: 'warning', message, remedy: [] };
}
