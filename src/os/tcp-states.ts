// Canonical TCP state names (DESIGN.md) and every native spelling we have
// seen: Linux ss/netstat/procfs, BSD/macOS netstat, Windows netstat in
// several languages, PowerShell Get-NetTCPConnection, lsof.

export const TCP_STATES = [
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSED',
  'BOUND',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

// Keys are normalised by normaliseStateKey: upper case, "-" and " " as "_".
const NATIVE: Record<string, TcpState> = {
  // English (Windows, BSD, Linux netstat, ss, lsof, PowerShell after normalising)
  LISTEN: 'LISTEN',
  LISTENING: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYNSENT: 'SYN_SENT',
  SYN_RECV: 'SYN_RECEIVED',
  SYN_RCVD: 'SYN_RECEIVED',
  SYN_RECEIVED: 'SYN_RECEIVED',
  SYNRECEIVED: 'SYN_RECEIVED',
  ESTAB: 'ESTABLISHED',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT_1',
  FIN_WAIT1: 'FIN_WAIT_1',
  FINWAIT1: 'FIN_WAIT_1',
  FIN_WAIT_2: 'FIN_WAIT_2',
  FIN_WAIT2: 'FIN_WAIT_2',
  FINWAIT2: 'FIN_WAIT_2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSEWAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  LASTACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
  TIMEWAIT: 'TIME_WAIT',
  CLOSE: 'CLOSED',
  CLOSED: 'CLOSED',
  BOUND: 'BOUND',
  DELETE_TCB: 'CLOSED',
  DELETETCB: 'CLOSED',
  // German Windows
  'ABHÖREN': 'LISTEN',
  HERGESTELLT: 'ESTABLISHED',
  WARTEND: 'TIME_WAIT',
  SCHLIESSEN_WARTEN: 'CLOSE_WAIT',
  'SCHLIEßEN_WARTEN': 'CLOSE_WAIT',
  FIN_WARTEN_1: 'FIN_WAIT_1',
  FIN_WARTEN_2: 'FIN_WAIT_2',
  SYN_GESENDET: 'SYN_SENT',
  SYN_EMPFANGEN: 'SYN_RECEIVED',
  LETZTES_ACK: 'LAST_ACK',
  SCHLIESSEN: 'CLOSING',
  GESCHLOSSEN: 'CLOSED',
};

/** Linux TCP state numbers (include/net/tcp_states.h), as /proc/net/tcp (hex) and sock_diag report them. 12 NEW_SYN_RECV is a request socket. */
export const LINUX_TCP_STATES: ReadonlyArray<TcpState | undefined> = [
  undefined,
  'ESTABLISHED', // 01
  'SYN_SENT', // 02
  'SYN_RECEIVED', // 03
  'FIN_WAIT_1', // 04
  'FIN_WAIT_2', // 05
  'TIME_WAIT', // 06
  'CLOSED', // 07
  'CLOSE_WAIT', // 08
  'LAST_ACK', // 09
  'LISTEN', // 0A
  'CLOSING', // 0B
  'SYN_RECEIVED', // 0C NEW_SYN_RECV
];

/** Every native state name tcpdiag reads, normalised (normaliseStateKey): what a state cut short in a paste may be completed to (input/cut-last-line.ts). */
export const NATIVE_STATE_KEYS: readonly string[] = Object.keys(NATIVE);

export function normaliseStateKey(native: string): string {
  return native.trim().toUpperCase().replace(/[-\s]+/g, '_');
}

/**
 * The canonical state for a native name, or null when unknown. German
 * "ABHÖREN" saved in CP850 and read back as Latin-1 or through another code
 * page shows a mangled Ö ("ABH\u0099REN", "ABH™REN"): any single character
 * there is accepted.
 */
export function canonicalState(native: string): TcpState | null {
  const key = normaliseStateKey(native);
  const known = NATIVE[key];
  if (known) return known;
  if (/^ABH.REN$/u.test(key)) return 'LISTEN';
  if (/^SCHLIE.+EN_WARTEN$/u.test(key)) return 'CLOSE_WAIT';
  return null;
}
