// What a --from input gives, part by part, as the captured backend reads it
// (captured/backend.ts): defined here, beside the backend, so the input layer
// (input/parse-captured.ts, which fills it) imports the OS layer and never
// the other way round.

import type { NetshList } from '../parse/netsh.js';
import type { RegistryValue } from '../parse/windows-registry.js';
import type { OsName, PortRanges } from '../port-ranges.js';
import type { SocketTable } from '../sockets.js';

export type CapturedPart = {
  file: string;
  format: string;
  os: OsName | null;
  lines: { first: number; last: number };
  /** The command line above the part's output, its prompt taken off (a registry capture's says what it shows). */
  command?: string;
} & (
  | { kind: 'table'; table: SocketTable }
  /** `lists`: netsh only, each list read with the protocol and family it answers for. */
  | { kind: 'ranges'; ranges: PortRanges; lists?: NetshList[] }
  | { kind: 'settings'; values: Map<string, number> }
  /** Windows registry values: reg query output or a .reg export. */
  | { kind: 'registry'; values: RegistryValue[] }
);
