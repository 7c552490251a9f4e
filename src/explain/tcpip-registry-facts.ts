// What Microsoft documents about the TCP/IP registry values doctor judges:
// type, range, default, where the value lives, and what Windows Vista / Server
// 2008 and later do with it. Every number carries its source
// (tcpip-registry-sources.ts; the research is WINDOWS-TCPIP-REGISTRY.md).
// Where the pages disagree there are several ranges or defaults, each with its
// source, and the finding says so instead of picking one. A value without a
// documented range has none here: it is reported as not judged.
//
// One row per value: name, place, unit, its ranges ("min-max SOURCE") and
// defaults ("value SOURCE"; " | text" adds the Windows versions the source
// limits itself to), then what it does and what modern Windows does with it.

import type { SourceId } from './tcpip-registry-sources.js';

/** Where Microsoft documents a value: Tcpip\Parameters, Tcpip\Parameters\Interfaces\{GUID}, or AFD\Parameters. */
export type TcpipPlace = 'Parameters' | 'Interface' | 'AFD';

export interface Documented {
  min: number;
  max: number;
  source: SourceId;
  /** The Windows versions the source speaks of, when it limits itself. */
  applies?: string;
}

export interface DocumentedDefault {
  value: number;
  source: SourceId;
  applies?: string;
}

export interface TcpipFact {
  name: string;
  place: TcpipPlace;
  /** Unit of the number, for messages ("seconds", "milliseconds", ...); "" when it is a count or a flag. */
  unit: string;
  ranges: Documented[];
  defaults: DocumentedDefault[];
  /** What it does, in a few words, from the page that documents it. */
  does?: string;
  /**
   * Vista / Server 2008 and later: ignored (no effect), superseded by another
   * mechanism (still read, effect unclear), or unknown (a source lists it, but
   * whether modern Windows ignores it cannot be read there).
   */
  modern?: { kind: 'ignored' | 'superseded' | 'unknown'; text: string; sources: SourceId[] };
  /**
   * A value documented by a single setting rather than a range (KB969710 gives
   * EnableConnectionRateLimiting only "1"): that value, what the page says of it
   * and the Windows versions it speaks of; any other value is not judged.
   */
  only?: { value: number; text: string; source: SourceId };
  /** What Windows does with a value outside the range, where documented. */
  outside?: { text: string; source: SourceId };
}

const VISTA = 'Windows Vista / Server 2008';
const SYN_ATTACK_GONE = {
  kind: 'ignored' as const,
  text: `SYN-attack protection is always on and has no registry settings from ${VISTA} on`,
  sources: ['NETRO', 'NETTRACER'] as SourceId[],
};
const DEPRECATED_2003 = {
  kind: 'ignored' as const,
  text: 'it is one of the Windows Server 2003 settings that later versions "no longer support" and ignore',
  sources: ['PERF-NIC'] as SourceId[],
};
const AFD_GONE = {
  kind: 'ignored' as const,
  text: 'the dynamic backlog logic and its registry keys were removed from the AFD driver as of Windows Server 2008',
  sources: ['NETTRACER'] as SourceId[],
};
const U32 = '0xffffffff';

type Row = [name: string, place: TcpipPlace, unit: string, ranges: string[], defaults: string[], more?: Pick<TcpipFact, 'does' | 'modern' | 'outside' | 'only'>];

/** EnablePMTUDiscovery and EnableDeadGWDetect: the netro blog's list, whose colour for "invalid on Vista and later" every copy lost. */
const MODERN_UNKNOWN = {
  kind: 'unknown' as const,
  text: `a Microsoft blog lists it among the settings it reviews for ${VISTA} and later, but marks the ones those ignore in a colour every copy found has lost, so whether they ignore it is not known`,
  sources: ['NETRO'] as SourceId[],
};

const ROWS: Row[] = [
  ['TcpTimedWaitDelay', 'Parameters', 'seconds',
    ['30-300 W2K-TTWD', '0-300 WS03-TTWD', '30-300 BTS-NET | Windows Server 2012 / Windows 8 and earlier', '2-300 BTS-NET | Windows Server 2012 R2 / Windows 8.1 and later'],
    ['240 W2K-TTWD', '120 WS03-TTWD', '120 BTS-NET', '240 PORTEX | Windows 10 ("4 minutes (default)")'],
    { does: 'how long a closed connection stays in TIME_WAIT before its port can be reused' }],
  ['MaxUserPort', 'Parameters', '', ['5000-65534 KB196271'], ['5000 KB196271'], {
    does: 'the highest port Windows 2000 / XP / 2003 hand out as ephemeral (source) ports',
    modern: {
      kind: 'superseded',
      text: `from ${VISTA} on the dynamic port range is 49152-65535, set with \`netsh int ipv4 set dynamicport\`; no Microsoft page says MaxUserPort is ignored there, and a third party measured on Windows 11 that MaxUserPort=0xfffe widens the dynamic range to 1024-65535 (which breaks WSL2 mirrored networking)`,
      sources: ['KB929851', 'NMAP-3499'],
    },
  }],
  ['KeepAliveTime', 'Parameters', 'milliseconds', [`1-${U32} W2K-KAT`], ['7200000 W2K-KAT', '7200000 SIO-KA'], { does: 'how long a connection with keepalive on stays idle before the first keepalive probe' }],
  ['KeepAliveInterval', 'Parameters', 'milliseconds', [`1-${U32} W2K-KAI`], ['1000 W2K-KAI', '1000 SIO-KA'], { does: 'the time between keepalive probes while the peer does not answer' }],
  ['TcpMaxDataRetransmissions', 'Parameters', '', [`0-${U32} W2K-TMDR`], ['5 W2K-TMDR'], {
    does: 'how many times unacknowledged data is retransmitted before the connection is dropped (and, before Vista, the keepalive probe count)',
  }],
  ['TcpMaxConnectRetransmissions', 'Parameters', '', ['0-255 W2K-TMCR'], ['2 W2K-TMCR'], { does: 'how many times an unanswered SYN is retransmitted before connect() fails' }],
  ['TcpNumConnections', 'Parameters', '', ['0-0xfffffe WMI-TNC'], ['0xfffffe SMALLVOID'], { does: 'the most TCP connections open at once' }],
  ['EnablePMTUDiscovery', 'Parameters', '', ['0-1 W2K-PMTU'], ['1 W2K-PMTU'], { does: 'path MTU discovery (1 on; 0 sends 576-byte packets to every destination off the local subnet)', modern: MODERN_UNKNOWN }],
  ['TcpFinWait2Delay', 'Parameters', 'seconds', [], []],
  ['SynAttackProtect', 'Parameters', '', ['0-1 W2K-SAP'], ['0 W2K-SAP'], { modern: SYN_ATTACK_GONE }],
  ['TcpMaxHalfOpen', 'Parameters', '', ['100-0xffff W2K-TMHO', `1-${U32} WS03-TMHO`], [], { modern: SYN_ATTACK_GONE }],
  ['TcpMaxHalfOpenRetried', 'Parameters', '', ['80-0xffff W2K-TMHOR', `80-${U32} WS03-TMHOR`], [], { modern: SYN_ATTACK_GONE }],
  ['TcpMaxPortsExhausted', 'Parameters', '', ['0-0xffff W2K-TMPE'], ['5 W2K-TMPE'], { modern: SYN_ATTACK_GONE }],
  ['EnableConnectionRateLimiting', 'Parameters', '', [], [], {
    only: {
      value: 1,
      text: 'Microsoft documents only the value 1, which turns on the limit of 10 half-open outbound connections (without the value the limit is off), and only for Windows Vista SP2 / Server 2008 SP2; it is not documented for Windows 8 and later',
      source: 'KB969710',
    },
  }],
  ['DisableTaskOffload', 'Parameters', '', ['0-1 SMALLVOID-NDIS'], []],
  ['EnableDeadGWDetect', 'Parameters', '', ['0-1 NT4-RK'], ['1 NT4-RK'], { modern: MODERN_UNKNOWN }],
  ['TcpWindowSize', 'Parameters', 'bytes', ['0-0x3fffc000 KB224829', '0-0x3fffffff WS03-TWS', '0-65535 WMI-TWS'], [], { modern: DEPRECATED_2003 }],
  ['NumTcbTablePartitions', 'Parameters', '', [], [], { modern: DEPRECATED_2003 }],
  ['MaxHashTableSize', 'Parameters', '', [], [], { modern: DEPRECATED_2003 }],
  ['GlobalMaxTcpWindowSize', 'Parameters', 'bytes', [], []],
  ['Tcp1323Opts', 'Parameters', '', ['0-3 KB224829'], [], { does: 'RFC 1323 options (bit 0 window scaling, bit 1 timestamps)' }],
  ['SackOpts', 'Parameters', '', ['0-1 KB224829'], ['1 KB224829'], { does: 'selective acknowledgements' }],
  ['TcpMaxDupAcks', 'Parameters', '', ['1-3 KB224829'], ['2 KB224829']],
  ['DefaultTTL', 'Parameters', '', ['1-255 CENGAGE'], ['128 CENGAGE | Windows 7 / 10 / Server 2012 R2', '32 NT4-RK | Windows NT 4.0']],
  ['MaxFreeTcbs', 'Parameters', '', [`0-${U32} W2K-MFT`], []],
  ['TcpAckFrequency', 'Interface', '', ['0-255 KB328890', '1-255 KB328890 | the same page: "0 isn\'t valid"'], ['2 KB328890'], {
    does: 'how many segments are received before an ACK is sent',
    outside: { text: '0 is treated as the default, 2', source: 'KB328890' },
  }],
  ['TcpDelAckTicks', 'Interface', '100-millisecond ticks', ['0-6 W2K-TDAT'], ['2 W2K-TDAT']],
  ['TcpInitialRTT', 'Interface', '', ['0-0xffff W2K-TIRTT | in seconds', '300-65535 KB170359 | in milliseconds'], ['3 W2K-TIRTT | seconds'], {
    modern: { kind: 'ignored', text: `the initial retransmission timeout is hard-coded at 3 seconds from ${VISTA} on`, sources: ['NETRO'] },
  }],
  ['EnableDynamicBacklog', 'AFD', '', ['0-1 PAP-WEBSEC'], ['0 PAP-WEBSEC'], { modern: AFD_GONE }],
  ['MinimumDynamicBacklog', 'AFD', '', [`0-${U32} PAP-WEBSEC`], [], { modern: AFD_GONE }],
  ['MaximumDynamicBacklog', 'AFD', '', [`0-${U32} PAP-WEBSEC`], [], { modern: AFD_GONE }],
  ['DynamicBacklogGrowthDelta', 'AFD', '', [`0-${U32} PAP-WEBSEC`], [], { modern: AFD_GONE }],
];

/** "min-max SOURCE" or "value SOURCE", with " | text" for the Windows versions the source limits itself to. */
function item(text: string): { numbers: number[]; source: SourceId; applies?: string } {
  const [what, applies] = text.split(' | ');
  const [numbers, source] = what!.split(' ');
  return { numbers: numbers!.split('-').map(Number), source: source as SourceId, ...(applies ? { applies } : {}) };
}

export const TCPIP_FACTS: readonly TcpipFact[] = ROWS.map(([name, place, unit, ranges, defaults, more]) => ({
  name,
  place,
  unit,
  ...(more?.does ? { does: more.does } : {}),
  ranges: ranges.map(item).map(({ numbers: [min, max], ...rest }) => ({ min: min!, max: max!, ...rest })),
  defaults: defaults.map(item).map(({ numbers: [value], ...rest }) => ({ value: value!, ...rest })),
  ...(more?.modern ? { modern: more.modern } : {}),
  ...(more?.outside ? { outside: more.outside } : {}),
  ...(more?.only ? { only: more.only } : {}),
}));

const BY_NAME = new Map(TCPIP_FACTS.map((f) => [f.name.toLowerCase(), f]));

/** The fact for a value name (registry names are case-insensitive), or undefined. */
export function tcpipFact(name: string): TcpipFact | undefined {
  return BY_NAME.get(name.toLowerCase());
}
