// What the keepalive commands report (data of their --json), apart from the
// selftest probe so that its explainer, renderer and schema import the shape
// without importing the probe, which imports the explainer (no cycle).

import type { KeepaliveApplied } from '../net/keepalive.js';
import type { KeepaliveValues } from '../os/backend.js';

export interface KeepaliveData {
  requested: { idleMs: number; intervalMs: number; count: number; userTimeoutMs: number | null };
  applied: KeepaliveApplied;
  pendingData: boolean;
  /** idle + interval x count, or the user timeout with data in flight; null when nothing bounds it. */
  expectedDetectionMs: number | null;
  /** ms after the connection was established; null when the liveness probe never saw it unreachable. */
  peerUnreachableAtMs: number | null;
  endedAtMs: number;
  /** From the last activity (the connect, or the unacknowledged write) to the end. */
  detectedAfterMs: number | null;
  endReason: string | null;
  defaults: Omit<KeepaliveValues, 'enabled'> | null;
  /** keepalive connect: the endpoint, and the one the liveness probe connects to. */
  target?: { address: string; port: number };
  probe?: { address: string; port: number };
}
