// Windows backend. Mechanisms:
//  - ports: `netsh int ipv4|ipv6 show dynamicport|excludedportrange`, one call
//    per family and protocol, because netsh output never names the family;
//  - sockets: GetExtendedTcpTable through koffi (os/windows/ip-helper.ts),
//    else `netstat -ano` (PIDs; localized headers and, in German, states);
//  - process names: a Toolhelp snapshot through koffi, else `tasklist /fo
//    csv /nh` (netstat -b would need elevation);
//  - TCP/IP settings: `reg query` of Tcpip\Parameters, Tcpip6 and AFD
//    (os/windows/registry.ts), read once per run.
// All output is localized; the parsers read structure only.

import { WIN32_BIND, type OsBackend, type TcpipParameters } from '../backend.js';
import { CannotRunError } from '../../report/errors.js';
import { readTcpipRegistry } from './registry.js';
import { keepaliveFromRegistry } from './tcpip-values.js';
import { windowsKeepalive } from './keepalive.js';
import { parseNetsh } from '../parse/netsh.js';
import { loadIpHelper, type IpHelperLoad } from './ip-helper.js';
import { readWindowsSocketTable, resolveWindowsOwners } from './sockets.js';
import { combinePortRanges, type Family, type PortRanges, type Protocol } from '../port-ranges.js';
import { liveParse } from '../live-parse.js';
import { runTool, type ToolRunner } from '../run-tool.js';

const FAMILIES: Family[] = ['ipv4', 'ipv6'];
const PROTOCOLS: Protocol[] = ['tcp', 'udp'];

/** `ipHelper`: how the IP Helper API is reached (tests of the fallback pass one that is unavailable). */
export function createWin32Backend(run: ToolRunner = runTool, ipHelper: () => IpHelperLoad = loadIpHelper): OsBackend {
  let tcpip: Promise<TcpipParameters> | undefined;
  const readTcpipParameters = () => (tcpip ??= readTcpipRegistry(run));
  const readKeepaliveDefaults = async () => {
    const v = keepaliveFromRegistry(await readTcpipParameters(), 'reg query');
    if ('unknown' in v) throw new CannotRunError(v.unknown);
    return v;
  };
  return {
    os: 'win32',
    bindSemantics: WIN32_BIND,
    readTcpipParameters,
    readKeepaliveDefaults,
    async prepareKeepaliveWithoutDescriptor() {
      const defaults = await readKeepaliveDefaults().catch((e: Error) => ({ unreadable: e.message }));
      return windowsKeepalive(process.versions.uv ?? '0', defaults);
    },
    async readPortRanges() {
      const calls = FAMILIES.flatMap((family) =>
        PROTOCOLS.flatMap((protocol) => [
          ['int', family, 'show', 'dynamicport', protocol],
          ['int', family, 'show', 'excludedportrange', `protocol=${protocol}`],
        ].map((args) => readOne(run, args, family, protocol))),
      );
      const out = { ...combinePortRanges(await Promise.all(calls)), os: 'win32' as const };
      // netsh always prints the dynamic range on Windows; none (Wine's netsh
      // prints nothing) leaves the ranges unknown, which the note says: an
      // empty list alone would read as "no range, no exclusion".
      if (out.ephemeral.length === 0) out.notes.push(`netsh printed no dynamic port range (${out.readFrom.filter((c) => c.includes('dynamicport')).join(', ')}): the port ranges of this host are unknown`);
      return out;
    },
    readSocketTable: () => readWindowsSocketTable(run, ipHelper),
    resolveOwners: (rows) => resolveWindowsOwners(rows, run, ipHelper),
  };
}

async function readOne(run: ToolRunner, args: string[], family: Family, protocol: Protocol): Promise<PortRanges> {
  const source = `netsh ${args.join(' ')}`;
  const text = await run('netsh', args);
  const { ranges } = liveParse(source, () => parseNetsh(text, source));
  // The command line is the authority on family and protocol; the header only repeats the protocol.
  for (const r of [...ranges.ephemeral, ...ranges.reserved]) {
    r.family = family;
    r.protocol = protocol;
  }
  return ranges;
}
