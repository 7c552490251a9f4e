// The Linux settings that decide what a full accept queue does
// (/proc/sys/net/...): the backlog cap, SYN retries and their schedule,
// abort-on-overflow, SYN cookies, the SYN queue. Per network namespace.
// tcp_syn_linear_timeouts exists from Linux 6.5; older kernels lack the key.

import { readFile } from 'node:fs/promises';

const KEYS = {
  somaxconn: 'core/somaxconn',
  tcpSynRetries: 'ipv4/tcp_syn_retries',
  tcpSynLinearTimeouts: 'ipv4/tcp_syn_linear_timeouts',
  tcpAbortOnOverflow: 'ipv4/tcp_abort_on_overflow',
  tcpSyncookies: 'ipv4/tcp_syncookies',
  tcpMaxSynBacklog: 'ipv4/tcp_max_syn_backlog',
} as const;

export type BacklogSettings = Partial<Record<keyof typeof KEYS, number>>;

export async function readLinuxBacklogSettings(): Promise<BacklogSettings> {
  const values = await Promise.all(
    Object.values(KEYS).map(async (path) => {
      const text = await readFile(`/proc/sys/net/${path}`, 'utf8').catch(() => null);
      return text === null ? NaN : Number(text.trim());
    }),
  );
  // Filled in KEYS' order, not in the order the reads finish: reports list them the same way every run.
  const out: BacklogSettings = {};
  Object.keys(KEYS).forEach((name, i) => {
    if (Number.isFinite(values[i])) out[name as keyof typeof KEYS] = values[i];
  });
  return out;
}
