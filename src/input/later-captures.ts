// A paste often holds several runs of one command: the excluded ranges
// before and after `net stop winnat`, ip_local_port_range before and after
// `sysctl -w`, `netstat -ano | findstr :3000` before and after `taskkill`.
// The later capture is the host's current state; a user trial found tcpdiag
// merging the runs, so the old state won (a port "inside 7939-8038" that the
// restart had freed, and `net stop winnat` prescribed again).
//
// This is the one place where the parts of one input are weighed against
// each other; the readers only say what each part shows whole:
//  - a port-range setting (part.captures: Linux ip_local_port_range, one
//    netsh excludedportrange table of one protocol and family, ...): a later
//    part that shows it replaces it in every earlier part, also when it holds
//    no range at all (an empty excluded list);
//  - a host setting (sysctl keepalive, somaxconn) and a registry value: the
//    later value of a name replaces the earlier one;
//  - a socket table: two tables printed by the same command line are two
//    snapshots, the later one is used; tables of different commands (two
//    ports' findstr, netstat and Get-NetTCPConnection) still add up, a
//    socket both list counted once (same-sockets.ts). A run of that command
//    that printed nothing before the next prompt is a snapshot with no rows.
// What an earlier capture said differently is named with both line ranges
// (`notes`), so the user sees which state the verdict rests on. Only parts of
// one input are weighed: two files may come from two moments in any order.

import type { CapturedPart } from '../os/captured/parts.js';
import type { EphemeralRange, PortRanges, RangeSetting, ReservedRange } from '../os/port-ranges.js';
import type { RegistryValue } from '../os/parse/windows-registry.js';
import { formatLines, formatRange, plural } from '../text/words.js';
import { rangeSettingName } from '../os/setting-names.js';
import type { TableScope } from '../os/sockets.js';
import type { PartBody } from './section-formats.js';
import { emptyTableFormat } from './empty-table.js';
import { scopeOfTable } from './table-scope.js';

type Lines = { first: number; last: number };

/** One part of an input as read, in input order. */
export type ReadPart = PartBody & { file: string; lines: Lines };

export interface WeighedPart {
  /** The part as the commands see it (entries a later capture replaced taken out); null: nothing of it is used. */
  part: CapturedPart | null;
  /** Every capture in this part was replaced: by the later part at these lines. */
  replacedBy?: Lines;
}

export interface WeighedCaptures {
  /** One per part read, in the same order. */
  parts: WeighedPart[];
  /** What earlier captures said that the later ones do not: for notJudged, not a gap (the later capture was read). */
  notes: string[];
  /** A run the input cuts off (a command line at its very end): the table before it may be out of date. */
  gaps: string[];
}

/** Weighs the parts of one input (file): a later capture of a setting or of a command's table replaces earlier ones. */
export function weighCaptures(file: string, read: readonly ReadPart[]): WeighedCaptures {
  const notes: string[] = [];
  const gaps: string[] = [];
  const parts: Array<ReadPart | null> = resolveNoOutput(file, read, gaps);
  const replacedBy = new Map<number, Lines>();
  replaceTables(file, parts, notes, replacedBy);
  replaceRanges(file, parts, notes, replacedBy);
  replaceSettings(file, parts, notes, replacedBy);
  replaceRegistry(file, parts, notes, replacedBy);
  return {
    parts: parts.map((p, i) => ({ part: p && p.kind !== 'no-output' ? (p as CapturedPart) : null, ...(replacedBy.has(i) ? { replacedBy: replacedBy.get(i)! } : {}) })),
    notes,
    gaps,
  };
}

/**
 * A command line with no output: an empty snapshot of that command when an
 * earlier run of it printed a table; a first run is an empty table when its
 * command line says which tool printed nothing (empty-table.ts); else nothing
 * to use. An output of only "..." is rows left out: the snapshot says so.
 */
function resolveNoOutput(file: string, read: readonly ReadPart[], gaps: string[]): Array<ReadPart | null> {
  return read.map((p, i) => {
    if (p.kind !== 'no-output') return p;
    const earlier = read
      .slice(0, i)
      .reverse()
      .find((e) => e.kind === 'table' && e.command === p.command);
    if (!p.ended) {
      if (earlier) gaps.push(`whether the table at ${formatLines(earlier.lines)} of ${file} is still true: the input ends with another run of \`${p.command}\` (line ${p.lines.first}) and nothing after it, so what that run printed is not known (paste its output, or the prompt after it when it printed nothing)`);
      return null;
    }
    const omitted = p.omitted ? { omitted: { file, lines: p.omitted } } : {};
    if (!earlier || earlier.kind !== 'table') {
      const first = emptyTableFormat(p.prompt, p.command ?? '');
      if (!first) return null;
      const scope = { ...(scopeOfTable(first.format, [p.prompt]) ?? { command: p.command ?? '' }), ...omitted };
      return { kind: 'table', format: first.format, os: first.os, file, lines: p.lines, command: p.command, table: { rows: [], readFrom: [file], notes: [], scope } };
    }
    // What the command leaves out and who ran it carry over; the earlier run's "..." lines do not, this run's do.
    const scope = earlier.table.scope ? { ...withoutOmitted(earlier.table.scope), ...omitted } : p.omitted ? { command: p.command ?? '', ...omitted } : null;
    const users = earlier.table.users;
    return { kind: 'table', format: earlier.format, os: earlier.os, file, lines: p.lines, command: p.command, table: { rows: [], readFrom: [file], notes: [], ...(scope ? { scope } : {}), ...(users ? { users } : {}) } };
  });
}

function replaceTables(file: string, parts: Array<ReadPart | null>, notes: string[], replacedBy: Map<number, Lines>): void {
  const latest = new Map<string, number>();
  parts.forEach((p, i) => p?.kind === 'table' && p.command && latest.set(p.command, i));
  parts.forEach((p, i) => {
    if (p?.kind !== 'table' || !p.command || latest.get(p.command) === i) return;
    const later = parts[latest.get(p.command)!]!;
    if (later.kind !== 'table') return;
    notes.push(`\`${p.command}\` was run more than once: an earlier capture at ${formatLines(p.lines)} of ${file} listed ${sockets(p.table.rows.length)}; the later one at ${formatLines(later.lines)} (${shown(later.table)}) is used`);
    replacedBy.set(i, later.lines);
    parts[i] = null;
  });
}

function withoutOmitted({ omitted: _omitted, ...scope }: TableScope): TableScope {
  return scope;
}

const sockets = (n: number) => (n === 0 ? 'no socket' : plural(n, 'socket'));
/** What a later run shows, and the rows its paste left out ("..."), so the note does not pass for a whole table. */
const shown = (t: { rows: readonly unknown[]; scope?: TableScope }) => `${sockets(t.rows.length)}${t.scope?.omitted ? `, and rows left out at ${formatLines({ first: t.scope.omitted.lines[0]!, last: t.scope.omitted.lines.at(-1)! })}` : ''}`;

const keyOf = (s: RangeSetting) => `${s.range}|${s.allocator ?? ''}|${s.protocol}|${s.family}`;
const ephemeralKey = (e: EphemeralRange) => keyOf({ range: 'ephemeral', allocator: e.allocator, protocol: e.protocol, family: e.family });
const reservedKey = (r: ReservedRange) => keyOf({ range: 'reserved', protocol: r.protocol, family: r.family });
const PRIVILEGED = keyOf({ range: 'privileged', protocol: null, family: null });

function replaceRanges(file: string, parts: Array<ReadPart | null>, notes: string[], replacedBy: Map<number, Lines>): void {
  const latest = new Map<string, number>();
  parts.forEach((p, i) => p?.kind === 'ranges' && p.captures?.forEach((c) => latest.set(keyOf(c), i)));
  parts.forEach((p, i) => {
    if (p?.kind !== 'ranges' || !p.captures) return;
    const replaced = new Set<string>();
    let by: Lines | null = null;
    for (const c of p.captures) {
      const key = keyOf(c);
      const j = latest.get(key)!;
      if (j === i || replaced.has(key)) continue;
      const later = parts[j]!;
      if (later.kind !== 'ranges') continue;
      replaced.add(key);
      by = later.lines;
      const before = describeSetting(p.ranges, key);
      const after = describeSetting(later.ranges, key);
      if (before !== after) notes.push(`${rangeSettingName(c, p.os)}: an earlier capture at ${formatLines(p.lines)} of ${file} said ${before}; the later one at ${formatLines(later.lines)} (${after}) is used`);
    }
    if (replaced.size === 0) return;
    const ranges: PortRanges = {
      ...p.ranges,
      ephemeral: p.ranges.ephemeral.filter((e) => !replaced.has(ephemeralKey(e))),
      reserved: p.ranges.reserved.filter((r) => !replaced.has(reservedKey(r))),
      privileged: replaced.has(PRIVILEGED) ? null : p.ranges.privileged,
    };
    const left = p.captures.filter((c) => !replaced.has(keyOf(c)));
    const empty = left.length === 0 && ranges.ephemeral.length === 0 && ranges.reserved.length === 0 && ranges.privileged === null;
    if (empty && by) replacedBy.set(i, by);
    parts[i] = empty ? null : { ...p, ranges, captures: left };
  });
}

/** What one capture says of one setting, in words a person matches to the paste. */
function describeSetting(r: PortRanges, key: string): string {
  if (key === PRIVILEGED) return r.privileged ? `ports below ${r.privileged.below} need privilege` : 'no value';
  const ranges = [...r.ephemeral.filter((e) => ephemeralKey(e) === key), ...r.reserved.filter((x) => reservedKey(x) === key)];
  if (ranges.length === 0) return 'no range';
  const words = ranges.map((x) => `${formatRange(x)}${'administered' in x && x.administered ? ' *' : ''}`);
  return words.length > 12 ? `${words.slice(0, 10).join(', ')} and ${words.length - 10} more` : words.join(', ');
}

function replaceSettings(file: string, parts: Array<ReadPart | null>, notes: string[], replacedBy: Map<number, Lines>): void {
  const latest = new Map<string, number>();
  parts.forEach((p, i) => p?.kind === 'settings' && [...p.values.keys()].forEach((name) => latest.set(name, i)));
  parts.forEach((p, i) => {
    if (p?.kind !== 'settings') return;
    const values = new Map(p.values);
    let by: Lines | null = null;
    for (const [name, value] of p.values) {
      const later = parts[latest.get(name)!]!;
      if (latest.get(name) === i || later.kind !== 'settings') continue;
      values.delete(name);
      by = later.lines;
      const now = later.values.get(name)!;
      if (now !== value) notes.push(`${name}: an earlier capture at ${formatLines(p.lines)} of ${file} said ${value}; the later one at ${formatLines(later.lines)} (${now}) is used`);
    }
    if (values.size === p.values.size) return;
    if (values.size === 0 && by) replacedBy.set(i, by);
    parts[i] = values.size === 0 ? null : { ...p, values };
  });
}

/** Registry values by key and name (reg.exe and regedit spell both in any case); each value has its own line. */
function replaceRegistry(file: string, parts: Array<ReadPart | null>, notes: string[], replacedBy: Map<number, Lines>): void {
  const id = (v: RegistryValue) => `${v.key.toLowerCase()}\\${v.name.toLowerCase()}`;
  const latest = new Map<string, RegistryValue>();
  const latestIn = new Map<string, Lines>();
  for (const p of parts) {
    if (p?.kind !== 'registry') continue;
    for (const v of p.values) {
      latest.set(id(v), v);
      latestIn.set(id(v), p.lines);
    }
  }
  parts.forEach((p, i) => {
    if (p?.kind !== 'registry') return;
    const values = p.values.filter((v) => latest.get(id(v)) === v);
    if (values.length === p.values.length) return;
    for (const v of p.values) {
      const now = latest.get(id(v))!;
      if (now !== v && JSON.stringify(now.data) !== JSON.stringify(v.data)) notes.push(`${v.name || '(Default)'} (${v.key.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\')}): an earlier capture at line ${v.line} of ${file} said ${registryData(v)}; the later one at line ${now.line} (${registryData(now)}) is used`);
    }
    if (values.length === 0) replacedBy.set(i, latestIn.get(id(p.values.at(-1)!))!);
    parts[i] = values.length === 0 ? null : { ...p, values };
  });
}

function registryData(v: RegistryValue): string {
  if (v.deleted || v.data === null) return 'no value';
  return Array.isArray(v.data) ? v.data.join(', ') : String(v.data);
}
