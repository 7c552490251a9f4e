// Live reads of the Windows TCP/IP registry values through `reg query`
// (execa, argument array, timeout: os/run-tool.ts). reg.exe rather than the
// registry API through koffi: its output goes through the same parser as a
// customer's `reg query` paste or .reg export (doctor --from), so a live run
// and an offline one cannot read a value differently, and it needs no FFI
// (koffi is optional). Its value lines are not localized; only its error
// messages are, and those are kept as notes, not parsed. Three runs, about as
// many milliseconds each on Windows.

import type { TcpipParameters } from '../backend.js';
import { liveParse } from '../live-parse.js';
import { parseRegistryText } from '../parse/windows-registry.js';
import type { ToolRunner } from '../run-tool.js';
import { CannotRunError } from '../../report/errors.js';

const SERVICES = 'HKLM\\SYSTEM\\CurrentControlSet\\Services';

/** Tcpip\Parameters with its subkeys (Interfaces\{GUID}); Tcpip6 and AFD hold a few values of their own. */
export const TCPIP_QUERIES: ReadonlyArray<readonly string[]> = [
  ['query', `${SERVICES}\\Tcpip\\Parameters`, '/s'],
  ['query', `${SERVICES}\\Tcpip6\\Parameters`],
  ['query', `${SERVICES}\\AFD\\Parameters`],
];

export async function readTcpipRegistry(run: ToolRunner): Promise<TcpipParameters> {
  const out: TcpipParameters = { values: [], readFrom: [], notes: [] };
  const results = await Promise.all(
    TCPIP_QUERIES.map(async (args) => {
      const command = `reg ${args.join(' ')}`;
      try {
        const text = await run('reg', args);
        return { command, parsed: liveParse(command, () => parseRegistryText(text)), error: '' };
      } catch (err) {
        if (!(err instanceof CannotRunError)) throw err;
        // reg exits 1 for a key that does not exist (AFD\Parameters and Tcpip6\Parameters often do not); its message is localized.
        const error = /failed \(exit 1\)/.test(err.message) ? `${args[1]} not read: reg query exited 1 (the key does not exist, or cannot be read)` : err.message;
        return { command, parsed: null, error };
      }
    }),
  );
  for (const r of results) {
    if (r.parsed) {
      out.values.push(...r.parsed.values);
      out.readFrom.push(r.command);
      for (const u of r.parsed.unread) out.notes.push(`${r.command}: line ${u.line} not read (${u.reason})`);
    } else {
      out.notes.push(r.error);
    }
  }
  if (!out.readFrom.includes(`reg ${TCPIP_QUERIES[0]!.join(' ')}`)) {
    throw new CannotRunError(`the TCP/IP registry key could not be read: ${out.notes[0] ?? 'reg query failed'}`);
  }
  return out;
}
