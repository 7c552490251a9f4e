// What `tcpdiag connect` reports (data of its --json), apart from the probe
// so that the explainers, the renderer and the schema import the shape
// without importing the probe, which imports them (no cycle).

import type { ConnectAttempt } from '../net/timed-connect.js';
import type { TimeStats } from '../net/time-stats.js';
import type { SynSchedule } from '../os/syn-schedule.js';

export interface Resolved {
  addresses: Array<{ address: string; family: 'ipv4' | 'ipv6' }>;
  dnsMs: number | null;
  /** Set when the name did not resolve. */
  error?: string;
}

export interface AddressResult {
  address: string;
  family: 'ipv4' | 'ipv6';
  connected: number;
  failed: number;
  /** Connect times of the successful attempts. */
  connectMs: TimeStats | null;
}

export interface ConnectData {
  host: string;
  port: number;
  resolved: Resolved['addresses'];
  dnsMs: number | null;
  timeoutMs: number;
  perAddress: AddressResult[];
  attempts: ConnectAttempt[];
  /** When this OS sends an unanswered SYN again (os/syn-schedule.ts); null where that is not known. */
  synSchedule: SynSchedule | null;
  /** Answered attempts whose time matches a SYN resend: the SYN or its SYN-ACK was lost or dropped. */
  synResends: SynResend[];
}

export interface SynResend {
  /** Index of the attempt in data.attempts. */
  attempt: number;
  address: string;
  durationMs: number;
  /** How many times the SYN was sent again before the answer came. */
  resends: number;
  /** When the OS sent it for the last time, from the attempt's start. */
  resendAtMs: number;
  /** The fastest attempt to the same address that lost nothing (one round trip); null when there was none. */
  baselineMs: number | null;
}
