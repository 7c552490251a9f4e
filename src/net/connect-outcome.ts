// What a failed connect means, keyed on libuv's err.code strings (never
// numeric errno: Windows libuv codes differ).

export type ConnectOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'no-local-port' | 'reset' | 'error' | 'abandoned';

const BY_CODE: Record<string, { outcome: ConnectOutcome; meaning: string }> = {
  ECONNREFUSED: {
    outcome: 'refused',
    meaning: 'refused: nothing listens on that address and port (for this address family), a firewall answered with a reset, or the accept queue is full on Windows',
  },
  ETIMEDOUT: { outcome: 'timeout', meaning: 'timed out: no answer to the SYNs (a dead host, or a firewall that drops them)' },
  EHOSTUNREACH: { outcome: 'unreachable', meaning: 'unreachable: no route to the host, or an ICMP host-unreachable came back' },
  ENETUNREACH: { outcome: 'unreachable', meaning: 'unreachable: no route to that network from here' },
  EADDRNOTAVAIL: {
    outcome: 'no-local-port',
    meaning: 'no local port free toward this destination (EADDRNOTAVAIL): the ephemeral range is exhausted for this address and port, often by TIME_WAIT sockets',
  },
  ECONNRESET: { outcome: 'reset', meaning: 'reset during the handshake' },
  EACCES: { outcome: 'error', meaning: 'refused by a local security policy (firewall rule, SELinux/AppArmor, container profile)' },
  EPERM: { outcome: 'error', meaning: 'blocked locally (a firewall rule on this host rejected the SYN)' },
};

export function classifyConnectError(code: string | undefined): { outcome: ConnectOutcome; meaning: string } {
  return (code && BY_CODE[code]) || { outcome: 'error', meaning: `failed with ${code ?? 'an unknown error'}` };
}

export const TIMEOUT_MEANING = BY_CODE.ETIMEDOUT!.meaning;
