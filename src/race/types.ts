// What the connect-race algorithm needs from the world. The live version
// (live-env.ts) uses real sockets; tests use a fake with a fake clock.

export interface ControlResult {
  ok: boolean;
  ms: number;
  errorCode: string | null;
}

export interface PendingGroup {
  /** Attempts of the group still pending now. */
  pending(): number;
  /** How the first attempt that ended, ended (null while all are pending). */
  firstEnded(): { outcome: string; errorCode: string | null } | null;
  /** Attempts the OS socket table showed in SYN_SENT once they were opened (null: not checked). */
  synSent: number | null;
  /** Ends every attempt still pending. */
  abandon(): Promise<void>;
}

/** Who opens the pending attempts: this process, or a child (the scope check). */
export type Opener = 'self' | 'child';

export interface RaceEnv {
  now(): number;
  /** Resolves after `ms`, or never once `signal` aborts (its timer is then cleared). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A connect to the control endpoint, ended at `deadlineMs` at the latest, or when `signal` aborts. */
  control(deadlineMs: number, label: string, signal?: AbortSignal): Promise<ControlResult>;
  /** Opens `count` attempts to the target; resolves once they are issued (and seen in SYN_SENT where the OS tells). */
  openPending(count: number, by: Opener, label: string): Promise<PendingGroup>;
}

export interface Round {
  pending: number;
  by: Opener;
  /** Attempts seen in SYN_SENT (null: not checked). */
  synSent: number | null;
  /** Control connect time; null when it never completed. */
  controlMs: number | null;
  held: boolean;
  /** After the pending attempts were abandoned, how long until the held control connected. */
  releasedAfterMs: number | null;
}

export type InconclusiveReason = 'control-failed' | 'target-connects' | 'target-refuses' | 'target-fails' | 'unstable';

export type RaceResult =
  | {
      kind: 'inconclusive';
      reason: InconclusiveReason;
      errorCode: string | null;
      baseline: number[];
    }
  | {
      kind: 'measured';
      baseline: number[];
      holdMs: number;
      rounds: Round[];
      /** Pending attempts that hold other connects; null when none up to maxPending. */
      limit: number | null;
      scope: 'process' | 'host' | null;
    };
