// What doctor's checks read, read once: several checks look at the same socket
// table and port ranges, and a busy host's table is the slow part of doctor.

import type { ListenCounters, OsBackend } from '../os/backend.js';
import type { PortRanges } from '../os/port-ranges.js';
import type { SocketRow, SocketTable } from '../os/sockets.js';
import { CannotRunError } from '../report/errors.js';
import { measureEphemeralUsage, type EphemeralUsage } from '../sockets/ephemeral-usage.js';

/** How long doctor watches the listen-overflow counters: long enough to catch a burst, short enough for an idle host. */
export const COUNTER_SAMPLE_MS = 500;

/**
 * The sample's length: COUNTER_SAMPLE_MS, or TCPDIAG_DOCTOR_SAMPLE_MS (whole
 * ms, up to 600000) for tests only, not documented: the Ctrl-C test must know
 * doctor is still sampling when its signal lands, which 0.5 s does not
 * promise on a busy host.
 */
export function counterSampleMs(env: NodeJS.ProcessEnv = process.env): number {
  const asked = env.TCPDIAG_DOCTOR_SAMPLE_MS;
  return asked !== undefined && /^[1-9]\d{0,5}$/.test(asked) && Number(asked) <= 600_000 ? Number(asked) : COUNTER_SAMPLE_MS;
}

export interface HostFacts {
  readonly backend: OsBackend;
  ranges(): Promise<PortRanges>;
  table(): Promise<SocketTable>;
  /** The table with owners filled for the rows whose owner a finding names (listeners, CLOSE_WAIT, SYN_SENT). */
  ownedTable(): Promise<{ table: SocketTable; ownerNotes: string[] }>;
  /** Counters before and after `windowMs` (counterSampleMs()). */
  counterSample(): Promise<{ before: ListenCounters; after: ListenCounters; windowMs: number }>;
  /** Client sockets per destination against the ephemeral range. */
  ephemeralUsage(): Promise<EphemeralUsage>;
  /** Ports with a listener: sockets on them were accepted, not opened by a client. */
  listeningPorts(): Promise<Set<number>>;
}

/** Rows whose owner doctor's findings name; owners of the others are not looked up (the costly step). */
const NAMED_OWNER_STATES = new Set<SocketRow['state']>(['LISTEN', 'CLOSE_WAIT', 'SYN_SENT']);

export function collectHostFacts(backend: OsBackend, sleep: (ms: number) => Promise<void>, progress: (message: string) => void): HostFacts {
  const ranges = once(() => backend.readPortRanges());
  const table = once(() => backend.readSocketTable());
  const ownedTable = once(async () => {
    const t = await table();
    // Linux rows carry no owner yet; Windows rows carry the pid but not the name.
    const rows = t.rows.filter((r) => NAMED_OWNER_STATES.has(r.state) && r.process === null && (r.owner === 'not-collected' || r.owner === 'found'));
    const ownerNotes = backend.resolveOwners && rows.length > 0 ? await backend.resolveOwners(rows) : [];
    return { table: t, ownerNotes };
  });
  const counterSample = once(async () => {
    const read = backend.readListenCounters?.bind(backend);
    if (!read) throw new CannotRunError('this OS backend has no listen-overflow counters');
    const windowMs = counterSampleMs();
    const before = await read();
    progress(`sampling listen-overflow counters for ${windowMs / 1000} s`);
    await sleep(windowMs);
    return { before, after: await read(), windowMs };
  });
  const listeningPorts = once(async () => new Set((await table()).rows.filter((r) => r.state === 'LISTEN').map((r) => r.local.port)));
  const ephemeralUsage = once(async () => {
    const [t, r, listening] = await Promise.all([table(), ranges(), listeningPorts()]);
    return measureEphemeralUsage(t.rows, r.ephemeral, listening);
  });
  return { backend, ranges, table, ownedTable, counterSample, ephemeralUsage, listeningPorts };
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}
