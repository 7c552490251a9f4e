// What the connect-race algorithm needs from the world, and what it finds.
// The live version (live-env.ts) uses real sockets; the tests also drive it
// through a simulated host (test/helpers/race-world.ts) with a virtual clock.

import type { SynSchedule } from '../os/syn-schedule.js';

export interface Endpoint {
  address: string;
  port: number;
}

/** One attempt on the run's clock, for the timeline. */
export interface TimelineEntry {
  label: string;
  kind: 'control' | 'pending';
  startMs: number;
  endMs: number | null;
  /** connected, refused, abandoned, closed, pending ... */
  outcome: string;
}

/** Which endpoint a control connect goes to: tcpdiag's own listener on this host, or the one the user gave. */
export type Channel = 'own' | 'given';
/** Who makes a control connect: tcpdiag's process, or a helper process (the scope check). */
export type Via = 'self' | 'child';

/** The error a helper process's control ends with when the helper is gone: its answer is lost, never "held". */
export const HELPER_GONE = 'EHELPERGONE';

export interface ControlEnd {
  ok: boolean;
  /** When it ended, on the run's clock. */
  atMs: number;
  errorCode: string | null;
}

export interface ControlAttempt {
  readonly channel: Channel;
  readonly via: Via;
  readonly startMs: number;
  /** Settles when the control ends (connected, refused ...); stays pending while its SYNs go unanswered. */
  readonly ended: Promise<ControlEnd>;
  /** Closes the attempt if it is still open (no effect once ended). */
  abandon(): void;
}

export interface PendingAttempt {
  /** How the attempt ended, or null while it is pending. */
  ended(): { outcome: string; errorCode: string | null } | null;
}

/** SYN_SENT sockets on the host at one moment: ours and other programs'. */
export interface HostPending {
  /** Our pending attempts the socket table showed in SYN_SENT. */
  ours: number;
  others: Array<{ pid: number | null; process: string | null; remote: string }>;
  /**
   * Attempts whose socket is gone that the host's connection tracking still
   * holds unanswered (closed shortly before, by anyone): a firewall limit that
   * counts tracked attempts counts them. Null where that cannot be read.
   */
  remembered: number | null;
}

export interface RaceEnv {
  now(): number;
  /** Resolves after `ms`, or never once `signal` aborts (its timer is then cleared). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The control endpoints this run has (own always; given when the user named one). */
  readonly channels: readonly Channel[];
  /** The OS's SYN retransmit schedule: a lost SYN costs one gap. */
  readonly syn: SynSchedule;
  /** Starts a control connect; a child one needs helperReady(). */
  startControl(channel: Channel, via: Via, label: string): ControlAttempt;
  /** Whether the helper process for the scope check is running (started with the run). */
  helperReady(): Promise<boolean>;
  /** Opens one more pending attempt to the target; resolves once its connect() has been issued. */
  openPending(label: string): Promise<PendingAttempt>;
  /** Closes every pending attempt (the release check and the end of the run). */
  closePending(): void;
  /** SYN_SENT sockets on the host now; null where the socket table cannot tell. */
  census(): Promise<HostPending | null>;
  /**
   * Whether a connect to a listener of tcpdiag's on loopback gets through
   * within `deadlineMs`: told apart from the own listener's address when that
   * does not answer. Null when the own listener is on loopback already.
   */
  loopbackAnswers(deadlineMs: number): Promise<boolean | null>;
}

/** One measurement: a control connect (or several, when the first was slow) while `pending` attempts were open. */
export interface Round {
  /** tcpdiag's attempts to the target pending during this round. */
  pending: number;
  channel: Channel;
  /** Whose control connects: tcpdiag's process, or a helper process (the scope check). */
  by: Via;
  /** Control connects started in this round (more than one when the first was slow). */
  controls: number;
  /** The first control that connected: ms from its own start; null when none did. */
  controlMs: number | null;
  /** A control connected, but only after a SYN retransmit: a lost SYN or SYN-ACK, not a hold. */
  late: boolean;
  held: boolean;
  /** How long this round waited before calling the control held; null when it was not held. */
  waitedMs: number | null;
  /** A held control that ended with this error instead of connecting (a limit that rejects); null otherwise. */
  errorCode: string | null;
}

export type InconclusiveReason = 'control-failed' | 'control-slow' | 'target-connects' | 'target-refuses' | 'target-fails' | 'out-of-time';

export interface Baseline {
  channel: Channel;
  /** Connect times without a retransmit. */
  prompt: number[];
  /** Connects that needed a SYN retransmit. */
  late: number;
  /** Connects that had not completed after a retransmit gap. */
  unanswered: number;
}

interface Common {
  baselines: Baseline[];
  holdMs: number | null;
  rounds: Round[];
  /** Controls that connected only after a retransmit, over the whole run. */
  lossSeen: number;
  /** Controls given up while unanswered: a filter that remembers attempts may still count them. */
  unresolved: number;
  /** What the run waited for and why, in order. */
  waits: Array<{ ms: number; why: string }>;
  /** When the verdict was known, on the run's clock. */
  verdictAtMs: number;
}

/** What a measured run concludes: shared by the result and the report's data (race/data.ts). */
export interface RaceConclusion {
  /** Pending attempts that hold other connects, when pinned; null when none held up to maxPending, or not pinned. */
  limit: number | null;
  /**
   * Where the limit lies whenever connects were held: min = max when pinned;
   * wider with other programs' attempts or controls given up; max null when a
   * holder that remembers closed attempts may count ones nobody can see.
   */
  limitRange: { min: number; max: number | null } | null;
  /** tcpdiag's own pending attempts in the held round (0: held before any). */
  heldAtPending: number | null;
  scope: 'process' | 'host' | null;
  /** The channel the hold was seen on. */
  heldOn: Channel | null;
  /** The host was holding new connects before tcpdiag opened any attempt. */
  alreadyLimited: boolean;
  /**
   * How new connects were held: 'hang' when their SYNs went unanswered while
   * the attempts were pending (a limit that drops), 'refuse' when they ended
   * with an error instead (a limit that rejects: the held round's errorCode,
   * ECONNREFUSED for a TCP reset); null when nothing was held.
   */
  holdKind: 'hang' | 'refuse' | null;
  /** SYN_SENT sockets when the hold was seen. */
  hostPending: HostPending | null;
  /** After the pending attempts were closed: when a control got through again (null: not within waitedMs). */
  release: { waitedMs: number; releasedAfterMs: number | null } | null;
}

export type RaceResult =
  | (Common & { kind: 'inconclusive'; reason: InconclusiveReason; errorCode: string | null; detail: string | null })
  | (Common & RaceConclusion & { kind: 'measured' });
