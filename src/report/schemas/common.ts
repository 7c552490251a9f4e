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
    file: z.string().describe('The --from input ("stdin" for -), control characters escaped (a newline in a name is "\\n").'),
    format: z
      .string()
      .describe('The format this part of the input was read as, e.g. "windows-netstat" or "netsh-excludedportrange"; "same-file" for an input that is an earlier one again (see sameAs); for a part that could not be read (see tried), the format tried first, or "unknown" for lines shaped like socket rows that no format took.'),
    lines: z
      .strictObject({ first: z.int().min(1), last: z.int().min(1) })
      .optional()
      .describe('Where the part lies in its input (1-based lines): one input may hold several outputs, each read by its own format.'),
    unread: z
      .array(z.strictObject({ line: z.int().min(1).describe('The line, 1-based.'), reason: z.string().describe('Why it could not be read.') }))
      .optional()
      .describe('Rows of this part that could not be read (cut short, fields missing): not in the verdict, and said in notJudged.'),
    sameAs: z.string().optional().describe('This input is the same file as the earlier input named here (same device and inode): it was read once, under that name.'),
    tried: z
      .array(z.string())
      .optional()
      .describe('Only for a part that could not be read at all: the formats tried on it, in order; its unread says which line stopped it and why, then lists every other row in it. The rest of the input was still read.'),
    replacedBy: z
      .strictObject({ first: z.int().min(1), last: z.int().min(1) })
      .optional()
      .describe('This part is not used: a later part of the same input at these lines captured the same settings again (the excluded ranges after `net stop winnat`, ip_local_port_range after `sysctl -w`) or holds a later run of the same command line (a socket table before and after `taskkill`); notJudged says what the earlier capture said when it differs.'),
  })
  .meta({ id: 'Source', title: 'Source' });

export const Sources = z.array(Source).describe('Only with --from: each part of each input, the format it was read as, and what of it could not be read.');

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
