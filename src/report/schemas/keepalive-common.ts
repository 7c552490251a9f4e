// What keepalive selftest, connect and listen share (net/keepalive.ts).

import * as z from 'zod';
import type { KeepaliveApplied as KeepaliveAppliedType } from '../../net/keepalive.js';
import { Count } from './common.js';
import type { Assert, Same } from './same-type.js';

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
  })
  .meta({ id: 'KeepaliveApplied', title: 'KeepaliveApplied' });

type _Applied = Assert<Same<z.infer<typeof KeepaliveApplied>, KeepaliveAppliedType>>;
