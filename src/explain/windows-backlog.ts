// What Windows documents about the listen backlog, for doctor's backlog-cap
// check: there is no system setting like somaxconn to read, and no way to ask
// a socket which backlog it got. Said as such, with what is documented,
// rather than "could not run".

import type { Finding } from '../report/types.js';
import { NODE_DEFAULT_BACKLOG } from './host-settings.js';

export function explainWindowsBacklog(captured: boolean): { lookedAt: string[]; findings: Finding[] } {
  return {
    lookedAt: [`Microsoft's listen() documentation${captured ? '' : ' (Windows has no somaxconn-like setting to read)'}`],
    findings: [
      {
        code: 'backlog-cap-undocumented',
        severity: 'info',
        message:
          `Windows documents no setting that caps listen() backlogs and no way to read the backlog a socket got ("There is no standard provision to obtain the actual backlog value"). ` +
          `Documented: SOMAXCONN asks for "a maximum reasonable value", SOMAXCONN_HINT(N) gets N adjusted into 200-65535, and a client that arrives at a full queue gets WSAECONNREFUSED (Winsock listen() page). ` +
          `What Node's listen(${NODE_DEFAULT_BACKLOG}) gets is not documented, so it is not judged here; the AFD dynamic backlog keys of Windows 2000/2003 were removed as of Server 2008 (Microsoft nettracer blog). ` +
          '`tcpdiag backlog` measures what a full queue does on this host',
        remedy: [],
      },
    ],
  };
}
