// The one interface every OS backend implements. Probes depend on this, never
// on process.platform. Capabilities a backend lacks are absent methods or
// return notes; they are detected by the probe, not guessed from the OS name.

import type { OsName, PortRanges } from './port-ranges.js';

export interface OsBackend {
  readonly os: OsName;
  /** Ephemeral, reserved/excluded and privileged port ranges of this host. */
  readPortRanges(): Promise<PortRanges>;
}
