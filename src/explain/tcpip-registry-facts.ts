// What Microsoft documents about the TCP/IP registry values doctor judges:
// type, range, default, where the value lives, and what Windows Vista / Server
// 2008 and later do with it. Every number carries its source
// (tcpip-registry-sources.ts; the research is WINDOWS-TCPIP-REGISTRY.md).
// Where the pages disagree there are several ranges or defaults, each with its
// source, and the finding says so instead of picking one. A value without a
// documented range has none here: it is reported as not judged.

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
  /** Vista / Server 2008 and later: ignored (no effect), or superseded by another mechanism (still read, effect unclear). */
  modern?: { kind: 'ignored' | 'superseded'; text: string; sources: SourceId[] };
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
const U32 = 0xffffffff;

export const TCPIP_FACTS: readonly TcpipFact[] = [
  {
    name: 'TcpTimedWaitDelay',
    place: 'Parameters',
    unit: 'seconds',
    does: 'how long a closed connection stays in TIME_WAIT before its port can be reused',
    ranges: [
      { min: 30, max: 300, source: 'W2K-TTWD' },
      { min: 0, max: 300, source: 'WS03-TTWD' },
      { min: 30, max: 300, source: 'BTS-NET', applies: 'Windows Server 2012 / Windows 8 and earlier' },
      { min: 2, max: 300, source: 'BTS-NET', applies: 'Windows Server 2012 R2 / Windows 8.1 and later' },
    ],
    defaults: [
      { value: 240, source: 'W2K-TTWD' },
      { value: 120, source: 'WS03-TTWD' },
      { value: 120, source: 'BTS-NET' },
      { value: 240, source: 'PORTEX', applies: 'Windows 10 ("4 minutes (default)")' },
    ],
  },
  {
    name: 'MaxUserPort',
    place: 'Parameters',
    unit: '',
    does: 'the highest port Windows 2000 / XP / 2003 hand out as ephemeral (source) ports',
    ranges: [{ min: 5000, max: 65534, source: 'KB196271' }],
    defaults: [{ value: 5000, source: 'KB196271' }],
    modern: {
      kind: 'superseded',
      text: `from ${VISTA} on the dynamic port range is 49152-65535, set with \`netsh int ipv4 set dynamicport\`; no Microsoft page says MaxUserPort is ignored there, and a third party measured on Windows 11 that MaxUserPort=0xfffe widens the dynamic range to 1024-65535 (which breaks WSL2 mirrored networking)`,
      sources: ['KB929851', 'NMAP-3499'],
    },
  },
  {
    name: 'KeepAliveTime',
    place: 'Parameters',
    unit: 'milliseconds',
    does: 'how long a connection with keepalive on stays idle before the first keepalive probe',
    ranges: [{ min: 1, max: U32, source: 'W2K-KAT' }],
    defaults: [
      { value: 7_200_000, source: 'W2K-KAT' },
      { value: 7_200_000, source: 'SIO-KA' },
    ],
  },
  {
    name: 'KeepAliveInterval',
    place: 'Parameters',
    unit: 'milliseconds',
    does: 'the time between keepalive probes while the peer does not answer',
    ranges: [{ min: 1, max: U32, source: 'W2K-KAI' }],
    defaults: [
      { value: 1000, source: 'W2K-KAI' },
      { value: 1000, source: 'SIO-KA' },
    ],
  },
  {
    name: 'TcpMaxDataRetransmissions',
    place: 'Parameters',
    unit: '',
    does: 'how many times unacknowledged data is retransmitted before the connection is dropped (and, before Vista, the keepalive probe count)',
    ranges: [{ min: 0, max: U32, source: 'W2K-TMDR' }],
    defaults: [{ value: 5, source: 'W2K-TMDR' }],
  },
  {
    name: 'TcpMaxConnectRetransmissions',
    place: 'Parameters',
    unit: '',
    does: 'how many times an unanswered SYN is retransmitted before connect() fails',
    ranges: [{ min: 0, max: 255, source: 'W2K-TMCR' }],
    defaults: [{ value: 2, source: 'W2K-TMCR' }],
  },
  {
    name: 'TcpNumConnections',
    place: 'Parameters',
    unit: '',
    does: 'the most TCP connections open at once',
    ranges: [{ min: 0, max: 0xfffffe, source: 'WMI-TNC' }],
    defaults: [{ value: 0xfffffe, source: 'SMALLVOID' }],
  },
  {
    name: 'EnablePMTUDiscovery',
    place: 'Parameters',
    unit: '',
    does: 'path MTU discovery (1 on; 0 sends 576-byte packets to every destination off the local subnet)',
    ranges: [{ min: 0, max: 1, source: 'W2K-PMTU' }],
    defaults: [{ value: 1, source: 'W2K-PMTU' }],
  },
  { name: 'TcpFinWait2Delay', place: 'Parameters', unit: 'seconds', ranges: [], defaults: [] },
  {
    name: 'SynAttackProtect',
    place: 'Parameters',
    unit: '',
    ranges: [{ min: 0, max: 1, source: 'W2K-SAP' }],
    defaults: [{ value: 0, source: 'W2K-SAP' }],
    modern: SYN_ATTACK_GONE,
  },
  {
    name: 'TcpMaxHalfOpen',
    place: 'Parameters',
    unit: '',
    ranges: [
      { min: 100, max: 0xffff, source: 'W2K-TMHO' },
      { min: 1, max: U32, source: 'WS03-TMHO' },
    ],
    defaults: [],
    modern: SYN_ATTACK_GONE,
  },
  {
    name: 'TcpMaxHalfOpenRetried',
    place: 'Parameters',
    unit: '',
    ranges: [
      { min: 80, max: 0xffff, source: 'W2K-TMHOR' },
      { min: 80, max: U32, source: 'WS03-TMHOR' },
    ],
    defaults: [],
    modern: SYN_ATTACK_GONE,
  },
  {
    name: 'TcpMaxPortsExhausted',
    place: 'Parameters',
    unit: '',
    ranges: [{ min: 0, max: 0xffff, source: 'W2K-TMPE' }],
    defaults: [{ value: 5, source: 'W2K-TMPE' }],
    modern: SYN_ATTACK_GONE,
  },
  {
    name: 'EnableConnectionRateLimiting',
    place: 'Parameters',
    unit: '',
    does: 'the limit of 10 half-open outbound connections (1 turns it on; off by default from Vista SP2 / Server 2008 SP2)',
    ranges: [{ min: 0, max: 1, source: 'KB969710', applies: 'the page gives 1 (on); absent is off' }],
    defaults: [{ value: 0, source: 'KB969710' }],
  },
  { name: 'DisableTaskOffload', place: 'Parameters', unit: '', ranges: [{ min: 0, max: 1, source: 'SMALLVOID-NDIS' }], defaults: [] },
  {
    name: 'EnableDeadGWDetect',
    place: 'Parameters',
    unit: '',
    ranges: [{ min: 0, max: 1, source: 'NT4-RK' }],
    defaults: [{ value: 1, source: 'NT4-RK' }],
  },
  {
    name: 'TcpWindowSize',
    place: 'Parameters',
    unit: 'bytes',
    ranges: [
      { min: 0, max: 0x3fffc000, source: 'KB224829' },
      { min: 0, max: 0x3fffffff, source: 'WS03-TWS' },
      { min: 0, max: 65535, source: 'WMI-TWS' },
    ],
    defaults: [],
    modern: DEPRECATED_2003,
  },
  { name: 'NumTcbTablePartitions', place: 'Parameters', unit: '', ranges: [], defaults: [], modern: DEPRECATED_2003 },
  { name: 'MaxHashTableSize', place: 'Parameters', unit: '', ranges: [], defaults: [], modern: DEPRECATED_2003 },
  { name: 'GlobalMaxTcpWindowSize', place: 'Parameters', unit: 'bytes', ranges: [], defaults: [] },
  {
    name: 'Tcp1323Opts',
    place: 'Parameters',
    unit: '',
    does: 'RFC 1323 options (bit 0 window scaling, bit 1 timestamps)',
    ranges: [{ min: 0, max: 3, source: 'KB224829' }],
    defaults: [],
  },
  { name: 'SackOpts', place: 'Parameters', unit: '', does: 'selective acknowledgements', ranges: [{ min: 0, max: 1, source: 'KB224829' }], defaults: [{ value: 1, source: 'KB224829' }] },
  { name: 'TcpMaxDupAcks', place: 'Parameters', unit: '', ranges: [{ min: 1, max: 3, source: 'KB224829' }], defaults: [{ value: 2, source: 'KB224829' }] },
  {
    name: 'DefaultTTL',
    place: 'Parameters',
    unit: '',
    ranges: [{ min: 1, max: 255, source: 'CENGAGE' }],
    defaults: [
      { value: 128, source: 'CENGAGE', applies: 'Windows 7 / 10 / Server 2012 R2' },
      { value: 32, source: 'NT4-RK', applies: 'Windows NT 4.0' },
    ],
  },
  { name: 'MaxFreeTcbs', place: 'Parameters', unit: '', ranges: [{ min: 0, max: U32, source: 'W2K-MFT' }], defaults: [] },
  {
    name: 'TcpAckFrequency',
    place: 'Interface',
    unit: '',
    does: 'how many segments are received before an ACK is sent',
    ranges: [
      { min: 0, max: 255, source: 'KB328890' },
      { min: 1, max: 255, source: 'KB328890', applies: 'the same page: "0 isn\'t valid"' },
    ],
    defaults: [{ value: 2, source: 'KB328890' }],
    outside: { text: '0 is treated as the default, 2', source: 'KB328890' },
  },
  { name: 'TcpDelAckTicks', place: 'Interface', unit: '100-millisecond ticks', ranges: [{ min: 0, max: 6, source: 'W2K-TDAT' }], defaults: [{ value: 2, source: 'W2K-TDAT' }] },
  {
    name: 'TcpInitialRTT',
    place: 'Interface',
    unit: '',
    ranges: [
      { min: 0, max: 0xffff, source: 'W2K-TIRTT', applies: 'in seconds' },
      { min: 300, max: 65535, source: 'KB170359', applies: 'in milliseconds' },
    ],
    defaults: [{ value: 3, source: 'W2K-TIRTT', applies: 'seconds' }],
    modern: { kind: 'ignored', text: `the initial retransmission timeout is hard-coded at 3 seconds from ${VISTA} on`, sources: ['NETRO'] },
  },
  { name: 'EnableDynamicBacklog', place: 'AFD', unit: '', ranges: [{ min: 0, max: 1, source: 'PAP-WEBSEC' }], defaults: [{ value: 0, source: 'PAP-WEBSEC' }], modern: AFD_GONE },
  { name: 'MinimumDynamicBacklog', place: 'AFD', unit: '', ranges: [{ min: 0, max: U32, source: 'PAP-WEBSEC' }], defaults: [], modern: AFD_GONE },
  { name: 'MaximumDynamicBacklog', place: 'AFD', unit: '', ranges: [{ min: 0, max: U32, source: 'PAP-WEBSEC' }], defaults: [], modern: AFD_GONE },
  { name: 'DynamicBacklogGrowthDelta', place: 'AFD', unit: '', ranges: [{ min: 0, max: U32, source: 'PAP-WEBSEC' }], defaults: [], modern: AFD_GONE },
];

const BY_NAME = new Map(TCPIP_FACTS.map((f) => [f.name.toLowerCase(), f]));

/** The fact for a value name (registry names are case-insensitive), or undefined. */
export function tcpipFact(name: string): TcpipFact | undefined {
  return BY_NAME.get(name.toLowerCase());
}
