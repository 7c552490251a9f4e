// Windows `netsh int ipv4|ipv6 show dynamicport tcp|udp` and
// `netsh int ipv4|ipv6 show excludedportrange protocol=tcp|udp`.
//
// The text is localized (headers and labels in the system language), so this
// parser reads structure only, never English words (OS-FACTS.md):
//  - excluded ranges: a rule of two dash runs ("----------    --------"), then
//    rows of two numbers with an optional "*" (administered exclusion);
//    blank lines inside the table do not end it (a paste often has one), and
//    a row that is not two ports is refused or reported, never dropped;
//  - dynamic ports: a rule of one dash run, then two "label : number" lines,
//    start first and count second (full-width "：" accepted);
//  - the protocol is the literal token "tcp"/"udp" in the header line above
//    the rule (netsh inserts it untranslated);
//  - the family is not in the output: it is known only when the pasted text
//    includes the command line ("netsh int ipv6 show ..."), else null.
// Several blocks in one paste (a ticket with both commands) are all read.
// Each block is also kept as a run of its own, with its lines (runs): a paste
// of the same command before and after `net stop winnat` holds two captures of
// one setting, and --from uses the later one (input/later-captures.ts).

import { emptyPortRanges, ephemeral, type Family, type PortRanges, type Protocol, type RangeSetting } from '../port-ranges.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader, type UnreadLine } from './line-reader.js';
import { splitLines } from './text.js';
import { readCount, readPort } from './values.js';

const DOUBLE_RULE = /^\s*-{3,}\s+-{3,}\s*$/;
const SINGLE_RULE = /^\s*-{5,}\s*$/;
/** On a trimmed line. */
const EXCLUDED_ROW = /^(\d+)\s+(\d+)(?:\s*(\*))?$/;
/** Anything a person may take for a row of numbers ("-1  5357", "1.5 2", "5357"): read or reported, never passed over. */
const ROW_LIKE = /^[-+\d.,]+(?:\s+[-+\d.,*]+)*$/;
const COMMAND_LINE = /netsh\b/i;

export type NetshBlockKind = 'netsh-dynamicport' | 'netsh-excludedportrange';

/**
 * One block read, with the protocol and family it answers for: an empty
 * excluded list answers as much as a full one, and a UDP list says nothing of
 * TCP ports (a user trial: bind answered OK for TCP from a UDP list alone).
 */
export interface NetshList {
  kind: NetshBlockKind;
  protocol: Protocol | null;
  family: Family | null;
}

export interface NetshParse {
  /** Every block's ranges together (a live run reads one output). */
  ranges: PortRanges;
  kinds: NetshBlockKind[];
  /** Each block alone, with its lines (the command line and title above it included), for --from. */
  runs: NetshRun[];
}

export interface NetshRun {
  lines: { first: number; last: number };
  ranges: PortRanges;
  kinds: NetshBlockKind[];
  /** The setting the block shows whole; none when the paste does not say its protocol and family (no command line). */
  captures: RangeSetting[];
  /** The lists this run read, with their protocol and family. */
  lists: NetshList[];
}

export function looksLikeNetsh(text: string): boolean {
  const lines = splitLines(text);
  return lines.some((_, i) => opensNetsh(lines, i));
}

/** A double rule (excludedportrange), or a single rule with a "label : number" line after it (dynamicport). */
export function opensNetsh(lines: readonly string[], i: number): boolean {
  const l = lines[i]!;
  if (DOUBLE_RULE.test(l)) return true;
  if (!SINGLE_RULE.test(l)) return false;
  for (let k = i + 1; k < lines.length && k <= i + 3; k++) if (lines[k]!.trim() !== '') return /[:：]\s*\d+$/.test(lines[k]!.trim());
  return false;
}

export function parseNetsh(text: string, source: string): NetshParse {
  const { result, unread } = readAllLines('netsh', createNetshReader(source), text);
  result.ranges.notes.push(...unreadNotes(source, unread));
  return result;
}

type Mode = { kind: 'none' } | { kind: 'excluded'; protocol: Protocol | null } | { kind: 'dynamic'; protocol: Protocol | null; start: number | null; startLine: number };

export function createNetshReader(source: string): LineReader<NetshParse> {
  const out = emptyPortRanges('win32');
  const kinds = new Set<NetshBlockKind>();
  let command: { family: Family | null; protocol: Protocol | null } = { family: null, protocol: null };
  let mode: Mode = { kind: 'none' };
  // The last lines seen: the title above a rule names the protocol.
  const recent: string[] = [];
  const late: UnreadLine[] = [];
  const runs: NetshRun[] = [];
  // The open run (a block, with the lines above it), and where the lines no run holds yet begin.
  let run: NetshRun | null = null;
  let since: number | null = null;
  let runHasBlock = false;
  const openRun = (no: number) => {
    run = { lines: { first: since ?? no, last: no }, ranges: emptyPortRanges('win32'), kinds: [], captures: [], lists: [] };
    run.ranges.readFrom.push(source);
    runs.push(run);
    since = null;
    runHasBlock = false;
  };
  const declare = (setting: RangeSetting) => {
    if (setting.protocol !== null && setting.family !== null) run!.captures.push(setting);
  };
  const protocolAbove = (): Protocol | null => {
    for (let k = recent.length - 1; k >= 0; k--) {
      const p = findProtocol(recent[k]!);
      if (p) return p;
    }
    return command.protocol;
  };
  return {
    claims(line) {
      const t = line.trim();
      if (COMMAND_LINE.test(line) || DOUBLE_RULE.test(line) || SINGLE_RULE.test(line)) return true;
      if (mode.kind === 'excluded') return t === '' || ROW_LIKE.test(t);
      if (mode.kind === 'dynamic') return t === '' || labelledValue(t) !== undefined;
      return false;
    },
    line(line, no) {
      const t = line.trim();
      if (run === null) since ??= no;
      // A netsh command line, or a second block under one command line, begins another run.
      if (COMMAND_LINE.test(line) || ((DOUBLE_RULE.test(line) || SINGLE_RULE.test(line)) && runHasBlock)) run = null;
      if (run === null && (COMMAND_LINE.test(line) || DOUBLE_RULE.test(line) || SINGLE_RULE.test(line))) openRun(no);
      const current = run as NetshRun | null;
      if (current) current.lines.last = no;
      if (COMMAND_LINE.test(line)) {
        command = { family: findFamily(line), protocol: findProtocol(line) };
        mode = { kind: 'none' };
      } else if (DOUBLE_RULE.test(line)) {
        mode = { kind: 'excluded', protocol: protocolAbove() };
        kinds.add('netsh-excludedportrange');
        current!.kinds.push('netsh-excludedportrange');
        declare({ range: 'reserved', protocol: mode.protocol, family: command.family });
        runHasBlock = true;
        current!.lists.push({ kind: 'netsh-excludedportrange', protocol: mode.protocol, family: command.family });
      } else if (SINGLE_RULE.test(line)) {
        mode = { kind: 'dynamic', protocol: protocolAbove(), start: null, startLine: no };
        runHasBlock = true;
      } else if (mode.kind === 'excluded' && t !== '') {
        if (!ROW_LIKE.test(t)) mode = { kind: 'none' };
        else {
          const row = excludedRow(t, mode.protocol, command.family, source);
          out.reserved.push(row);
          current!.ranges.reserved.push(row);
        }
      } else if (mode.kind === 'dynamic' && t !== '') {
        if (labelledValue(t) === undefined && mode.start !== null) late.push({ line: mode.startLine, reason: 'a dynamicport block cut short: its start port has no number of ports after it' });
        const value = labelledValue(t);
        if (value === undefined) mode = { kind: 'none' }; // a rule that is not a dynamicport block
        else if (mode.start === null) mode = { ...mode, start: readPort(value, 'start port'), startLine: no };
        else {
          const num = readCount(value, 'number of ports');
          const end = mode.start + num - 1;
          if (num < 1 || end > 65535) throw refuse(`start ${mode.start} with ${num} ports runs past 65535 (start on line ${mode.startLine})`);
          const range = ephemeral(mode.start, end, `${source} (dynamicport)`, mode.protocol, command.family);
          out.ephemeral.push(range);
          current!.ranges.ephemeral.push(range);
          kinds.add('netsh-dynamicport');
          current!.kinds.push('netsh-dynamicport');
          declare({ range: 'ephemeral', allocator: 'default', protocol: mode.protocol, family: command.family });
          current!.lists.push({ kind: 'netsh-dynamicport', protocol: mode.protocol, family: command.family });
          mode = { kind: 'none' };
        }
      }
      recent.push(line);
      if (recent.length > 4) recent.shift();
    },
    end() {
      if (mode.kind === 'dynamic' && mode.start !== null) late.push({ line: mode.startLine, reason: 'a dynamicport block cut short: its start port has no number of ports after it' });
      out.readFrom.push(source);
      return { ranges: out, kinds: [...kinds], runs: runs.filter((r) => r.kinds.length > 0) };
    },
    lateUnread: () => late,
  };
}

function excludedRow(t: string, protocol: Protocol | null, family: Family | null, source: string): PortRanges['reserved'][number] {
  const m = EXCLUDED_ROW.exec(t);
  if (!m) {
    if (t.split(/\s+/).length < 2) throw unreadable('an excluded range cut short (start and end port are needed)');
    throw refuse('not a port range ("start end", "*" for an administered one)');
  }
  const start = readPort(m[1]!, 'start port');
  const end = readPort(m[2]!, 'end port');
  if (start > end) throw refuse(`start port ${start} is above end port ${end}`);
  // A range a service reserved (WinNAT for Hyper-V/WSL/Docker) refuses every
  // other program's bind with EACCES. An administered one ("*", made with
  // `netsh add excludedportrange`) only keeps the port out of the dynamic
  // pool and away from services; Microsoft documents it as the way to keep a
  // port free for a server that then binds it (see docs/commands/ports.md).
  const administered = m[3] === '*';
  return { protocol, family, start, end, administered, blocksBind: !administered, source: `${source} (excludedportrange)` };
}

/** The word after a line's last colon (ASCII or full-width): "Start Port      : 49152" -> "49152". */
function labelledValue(t: string): string | undefined {
  const colon = Math.max(t.lastIndexOf(':'), t.lastIndexOf('：'));
  const value = t.slice(colon + 1).trim();
  return colon > 0 && value !== '' && !/\s/.test(value) ? value : undefined;
}

function findProtocol(line: string): Protocol | null {
  const m = /(?:^|[^a-z])(tcp|udp)(?:[^a-z]|$)/i.exec(line);
  return m ? (m[1]!.toLowerCase() as Protocol) : null;
}

function findFamily(line: string): Family | null {
  const m = /\b(ipv4|ipv6)\b/i.exec(line);
  if (m) return m[1]!.toLowerCase() as Family;
  // `netsh int ip ...` is the IPv4 context under its older name.
  return /\bint(?:erface)?\s+ip\s/i.test(line) ? 'ipv4' : null;
}
