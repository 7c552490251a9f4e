// What connect-race concludes, in words a person can act on during an incident.

import type { RaceResult } from '../race/types.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { plural } from './words.js';
import type { Endpoint } from '../race/live-env.js';

export function explainRace(r: RaceResult, target: Endpoint, control: Endpoint, maxPending: number, releaseWaitMs: number): Finding[] {
  const t = formatEndpoint(target);
  const c = formatEndpoint(control);
  if (r.kind === 'inconclusive') {
    const message = {
      'control-failed': `the control ${c} did not connect (${r.errorCode ?? 'no answer'}): without a control that answers nothing can be measured; pick one with --control HOST:PORT`,
      'target-connects': `${t} accepted the connection: it is not a dead endpoint; pick an address and port that do not answer (a firewalled port, an unused address)`,
      'target-refuses': `${t} refused at once (${r.errorCode}): a refused attempt is not pending; pick a port whose SYNs are dropped (a firewalled port, a host that is down)`,
      'target-fails': `attempts to ${t} ended before the control was judged (${r.errorCode ?? 'no error code'}): they never stayed pending; pick another target`,
      unstable: `a held control did not hold again when repeated: a lost packet can delay one connect by a second; run again`,
    }[r.reason];
    return [{ code: `race-${r.reason}`, severity: 'warning', message, remedy: [] }];
  }
  const base = Math.max(...r.baseline);
  if (r.limit === null) {
    const slowest = Math.max(...r.rounds.map((x) => x.controlMs ?? 0));
    return [{ code: 'connect-attempts-independent', severity: 'info', message: `with up to ${plural(maxPending, 'attempt')} to ${t} pending, connects to ${c} took at most ${slowest} ms (alone: at most ${base} ms): no limit on pending connection attempts up to ${maxPending}`, remedy: [] }];
  }
  const held = r.rounds.find((x) => x.held && x.pending === r.limit && x.by === 'self')!;
  const took = held.controlMs !== null ? `took ${held.controlMs} ms` : `did not complete within ${r.holdMs + releaseWaitMs} ms`;
  const released = held.releasedAfterMs !== null ? `; once ${r.limit === 1 ? 'it was' : 'they were'} abandoned the control completed ${held.releasedAfterMs} ms later` : '';
  const scope =
    r.scope === 'host'
      ? 'The limit is host-wide: attempts opened by another process hold this one too (an old half-open limit such as Windows XP SP2\'s 10, Event ID 4226, or a host firewall with a "max incomplete" setting).'
      : 'The limit is per process: attempts of another process did not hold this one (typical of endpoint-protection software or a filter driver that lets one connection attempt per process be pending).';
  return [
    {
      code: 'connect-attempts-serialized',
      severity: 'error',
      message:
        `while ${plural(r.limit, 'connection attempt')} to the dead endpoint ${t} ${r.limit === 1 ? 'was' : 'were'} pending, a connect to ${c} ${took} instead of at most ${base} ms${released}. ` +
        `${scope} Pooled connections keep working; new connections ${r.scope === 'host' ? 'of every process on this host' : 'of a process with a pending attempt'} stall until the pending attempts time out (21 s on Windows, about 130 s on Linux).`,
      remedy: [],
    },
  ];
}
