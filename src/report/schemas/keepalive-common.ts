// What keepalive selftest, connect and listen share (net/keepalive.ts).

import * as z from 'zod';
import type { KeepaliveApplied as KeepaliveAppliedType } from '../../net/keepalive.js';
import { Count } from './common.js';
import type { Assert, Same } from './same-type.js';

/** System keepalive defaults in seconds (Windows keeps milliseconds in the registry: fractions possible). */
export const KeepaliveDefaultSeconds = z.strictObject({
  idleS: z.number().nonnegative().describe('Seconds of silence before the first probe.'),
  intervalS: z.number().nonnegative().describe('Seconds between probes.'),
  count: Count.describe('Unanswered probes before the connection is dead.'),
});

/** Keepalive values in whole seconds, as the kernel holds them. */
export const KeepaliveSeconds = z.strictObject({
  idleS: Count.describe('Seconds of silence before the first probe.'),
  intervalS: Count.describe('Seconds between probes.'),
  count: Count.describe('Unanswered probes before the connection is dead.'),
});

export const KeepaliveApplied = z
  .strictObject({
    via: z.enum(['node', 'setsockopt', 'node (idle only)']).describe('How the settings were applied: Node\'s own API, setsockopt through koffi, or only the idle time.'),
    readBack: KeepaliveSeconds.extend({ enabled: z.boolean() }).nullable().describe('What the kernel holds, read back with getsockopt; null when it could not be read.'),
    verified: z.boolean().describe('True only when the read-back values equal the request.'),
    notes: z.array(z.string()).describe('Settings that could not be applied or checked, in words.'),
    osApplied: z
      .strictObject({ idleS: Count, intervalS: z.number().nonnegative(), count: Count, source: z.string() })
      .nullable()
      .describe('Where Node set only the idle time and the OS supplies interval and count (Windows): the values the socket runs with and where they come from; null otherwise.'),
  })
  .meta({ id: 'KeepaliveApplied', title: 'KeepaliveApplied' });

type _Applied = Assert<Same<z.infer<typeof KeepaliveApplied>, KeepaliveAppliedType>>;
