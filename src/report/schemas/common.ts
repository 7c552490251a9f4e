// Small pieces several reports share: numbers with their units, --from
// sources, timing statistics.

import * as z from 'zod';
import type { TimeStats as TimeStatsType } from '../../net/time-stats.js';
import type { Assert, Same } from './same-type.js';

export const Port = z.int().min(0).max(65535);
export const Count = z.int().min(0);

/** A time in milliseconds (fractions allowed). */
export const ms = (description: string) => z.number().describe(`${description} (milliseconds)`);

export const Source = z
  .strictObject({
    file: z.string().describe('The --from file ("-" for stdin).'),
    format: z.string().describe('The format it was read as, e.g. "windows netstat -ano" or "netsh excludedportrange".'),
  })
  .meta({ id: 'Source', title: 'Source' });

export const Sources = z.array(Source).describe('Only with --from: each input and the format it was read as.');

export const Notes = z.array(z.string()).describe('What could not be read or seen, in words (never silently dropped).');

export const Family = z.enum(['ipv4', 'ipv6']);

export const TimeStats = z
  .strictObject({
    count: Count.describe('Samples the statistics are made of.'),
    min: ms('Fastest'),
    median: ms('Median'),
    p95: ms('95th percentile'),
    max: ms('Slowest'),
  })
  .meta({ id: 'TimeStats', title: 'TimeStats', description: 'min / median / p95 / max of a set of times, in milliseconds.' });

type _TimeStats = Assert<Same<z.infer<typeof TimeStats>, TimeStatsType>>;
