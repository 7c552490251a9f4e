// doctor's Windows-only parts: the TCP/IP registry values held against
// Microsoft's documentation, and what the documentation allows to say about
// the listen backlog a Node server gets (Windows has no somaxconn to read).

import { judgeTcpipParameters } from '../explain/tcpip-registry.js';
import { explainWindowsBacklog } from '../explain/windows-backlog.js';
import { plural } from '../text/words.js';
import type { OsBackend } from '../os/backend.js';
import { CannotRunError } from '../report/errors.js';
import type { Finding } from '../report/types.js';
import type { HostFacts } from './host-facts.js';

export const TCPIP_PARAMETERS_CHECK = {
  id: 'tcp-parameters',
  title: 'TCP/IP parameters in the registry',
  appliesTo: (backend: OsBackend) => backend.os === 'win32',
  async run(facts: HostFacts): Promise<{ lookedAt: string[]; findings: Finding[]; notJudged: string[] }> {
    const read = facts.backend.readTcpipParameters?.bind(facts.backend);
    if (!read) throw new CannotRunError('this OS backend does not read the registry');
    const p = await read();
    const j = judgeTcpipParameters(p.values);
    return {
      lookedAt: [
        // Live, reg query reads the three keys; a capture shows what it holds (a user trial: one queried value was
        // said to be all of Tcpip\Parameters, Interfaces, Tcpip6 and AFD).
        `${plural(j.read, 'value')} under ${facts.backend.captured ? capturedPlaces(j.places) : 'Tcpip\\Parameters (with Interfaces), Tcpip6 and AFD'}, ${j.judged} of them documented TCP parameters: ${p.readFrom.join(', ')}`,
        ...p.notes,
      ],
      findings: j.findings,
      // Values without a documented range, or disputed ones, are only info findings: the envelope says they were not judged.
      notJudged: j.notJudged,
    };
  },
};

/** The keys a capture's values lie in; "the TCP/IP keys" when it holds none of theirs. */
function capturedPlaces(places: readonly string[]): string {
  if (places.length === 0) return 'the TCP/IP keys (the captures hold none of their values)';
  return places.length === 1 ? places[0]! : `${places.slice(0, -1).join(', ')} and ${places.at(-1)}`;
}

/** listen-backlog-cap on Windows: a statement from the documentation, since there is no setting to read. */
export async function runWindowsBacklogCheck(facts: HostFacts): Promise<{ lookedAt: string[]; findings: Finding[]; notJudged: string[]; judged: false }> {
  // Nothing to read, so nothing decided: "not-judged", not "ok" (a user trial read "ok" beside the finding's "not judged here").
  return { ...explainWindowsBacklog(facts.backend.captured === true), notJudged: ['the listen backlog a Node server gets on Windows: Microsoft documents no setting that caps it and no way to read it'], judged: false };
}
