// What --from inputs hold, for every command alike (issue #20: `ports` read
// only the netsh half of a paste, `bind` only the netstat half): each input is
// read whole into sections (read-sections.ts), and each section gives its
// parts — a socket table, port ranges, host settings. A command takes the
// parts it needs; `sources` lists every part with where it lies in its input
// and the rows that could not be read, and `notJudged` says the latter in words.

import { escapeControls, type UnreadLine } from '../os/parse/line-reader.js';
import { UsageError } from '../report/errors.js';
import { describeCutLast, type CutLine } from './cut-last-line.js';
import type { ReadLimits } from './read-bytes.js';
import { readCapturedInputs, type CapturedInputs } from './read-captured.js';
import { describeUnread, readSections } from './read-sections.js';
import { type Section } from './section-formats.js';
import { weighCaptures, type ReadPart } from './later-captures.js';
import { mergeSameSockets } from './same-sockets.js';
import { winnatLeftStopped, winnatStoppedGap } from './winnat-stopped.js';
import { splitLines } from '../os/parse/text.js';

import type { CapturedPart } from '../os/captured/parts.js';
import type { RegistryValue } from '../os/parse/windows-registry.js';

export type { CapturedPart };

/** One part of an input as reports list it (data.sources). */
export interface InputSource {
  /** The --from input ("stdin" for -), control characters escaped. */
  file: string;
  /** The format its part was read as. */
  format: string;
  /** Where the part lies in its input (1-based lines). */
  lines?: { first: number; last: number };
  /** Rows of the part that could not be read: where and why. */
  unread?: UnreadLine[];
  /** This input is the same file as an earlier one, read once under that name. */
  sameAs?: string;
  /** Only for a part that could not be read at all: the formats tried, in order ("unknown": rows no format took); `unread` says where and why. */
  tried?: string[];
  /** Every capture in this part was replaced by a later capture of the same setting or run of the same command, at these lines: it is not used. */
  replacedBy?: { first: number; last: number };
}

export interface CapturedInput {
  parts: CapturedPart[];
  sources: InputSource[];
  /** Sentences for the report's notJudged: rows that could not be read, a run the input cuts off. Gaps: an "ok" becomes inconclusive. */
  notJudged: string[];
  /**
   * Sentences for the report's notJudged that are no gap: what an earlier
   * capture said that a later one of the same setting or command replaced
   * (later-captures.ts). The later capture was read, so they leave an "ok" standing.
   */
  replaced: string[];
  /** Last lines not read because an input ends in them without a line end (their sentences are in notJudged). */
  cutLines?: CutLine[];
  /** Gaps in what the port ranges can tell (a paste that left WinNAT stopped): for the commands that judge ranges, not for sockets. */
  rangeGaps?: string[];
}

/** Reads and parses every --from input; null without any. */
export async function readCapturedInput(paths: readonly string[] | undefined, limits: ReadLimits): Promise<CapturedInput | null> {
  if (!paths || paths.length === 0) return null;
  return parseCapturedInputs(await readCapturedInputs(paths, limits));
}

/** The parts of inputs already read (also the in-process entry the tests use). */
export async function parseCapturedInputs(inputs: CapturedInputs): Promise<CapturedInput> {
  const out: CapturedInput = { parts: [], sources: [], notJudged: [], replaced: [], cutLines: [], rangeGaps: [] };
  for (const c of inputs.texts) {
    const sections = await readSections(c);
    const read: ReadPart[] = [];
    const sources: InputSource[] = [];
    const listed: InputSource[] = [];
    /** The section each part read came from. */
    const sectionOf: Section[] = [];
    for (const s of sections) {
      const where = { unread: s.unread, ...(s.tried ? { tried: s.tried } : {}) };
      if (s.parts.length === 0) listed.push({ file: s.file, format: s.format, lines: s.lines, ...where });
      for (const p of s.parts) {
        // A run of several in one section (a sysctl session) has lines of its own, and the unread rows among them.
        const lines = p.lines ?? s.lines;
        const unread = p.lines ? s.unread.filter((u) => u.line >= lines.first && u.line <= lines.last) : s.unread;
        read.push({ ...p, file: s.file, lines });
        sectionOf.push(s);
        sources.push({ file: s.file, format: p.format, lines, ...where, unread });
      }
    }
    // A later run of a command or a later capture of a setting is the current state (later-captures.ts).
    const weighed = weighCaptures(c.file, read);
    // A socket that two of its tables list (ss and netstat of one host) counts once (same-sockets.ts).
    const current = weighed.parts.flatMap((w) => (w.part ? [w.part] : []));
    out.parts.push(...mergeSameSockets(current));
    // An excluded list from a paste that left WinNAT stopped shows a passing state (winnat-stopped.ts).
    const stoppedAt = current.some((p) => p.kind === 'ranges' && p.lists?.some((l) => l.kind === 'netsh-excludedportrange')) ? winnatLeftStopped(splitLines(c.text)) : null;
    if (stoppedAt !== null) out.rangeGaps!.push(winnatStoppedGap(escapeControls(c.file), stoppedAt));
    weighed.parts.forEach((w, i) => {
      // A command line that printed nothing is listed only as the empty snapshot it stands for.
      if (w.part || read[i]!.kind !== 'no-output') listed.push({ ...sources[i]!, ...(w.part ? { format: w.part.format } : {}), ...(w.replacedBy ? { replacedBy: w.replacedBy } : {}) });
    });
    // Rows not read in a capture a later one replaced leave no gap in the verdict: said with the replaced captures.
    const used = new Set(sectionOf.filter((_, i) => weighed.parts[i]!.replacedBy === undefined));
    const replaced = (s: Section) => s.parts.length > 0 && !used.has(s);
    out.notJudged.push(...describeUnread(sections.filter((s) => !replaced(s))), ...weighed.gaps);
    out.replaced.push(...weighed.notes, ...describeUnread(sections.filter(replaced)));
    out.sources.push(...listed.sort((a, b) => a.lines!.first - b.lines!.first));
    for (const s of sections) {
      const notJudged = describeCutLast(s, escapeControls(s.file));
      if (s.cutLast && notJudged) out.cutLines!.push({ file: escapeControls(s.file), ...s.cutLast, notJudged });
    }
  }
  for (const d of inputs.duplicates) out.sources.push({ file: d.file, format: 'same-file', sameAs: d.sameAs });
  out.notJudged.push(...registryAcrossFiles(out.parts));
  return out;
}

/**
 * A registry value two files give differently (a user trial: one of them was
 * dropped without a word). Within one input the later capture is the current
 * one (later-captures.ts); two files may come from two moments in any order,
 * so neither is: both are said, and both are judged.
 */
function registryAcrossFiles(parts: readonly CapturedPart[]): string[] {
  const seen = new Map<string, Array<{ file: string; v: RegistryValue }>>();
  for (const p of parts) {
    if (p.kind !== 'registry') continue;
    for (const v of p.values) {
      const id = `${v.key.toLowerCase()}\\${v.name.toLowerCase()}`;
      seen.set(id, [...(seen.get(id) ?? []), { file: p.file, v }]);
    }
  }
  const out: string[] = [];
  for (const all of seen.values()) {
    const data = new Set(all.map((x) => (x.v.deleted ? 'deleted' : JSON.stringify(x.v.data))));
    if (new Set(all.map((x) => x.file)).size < 2 || data.size < 2) continue;
    const { v } = all[0]!;
    const said = all.map((x) => `${escapeControls(x.file)} (line ${x.v.line}) says ${x.v.deleted || x.v.data === null ? 'no value' : Array.isArray(x.v.data) ? x.v.data.join(', ') : String(x.v.data)}`);
    out.push(`${v.name || '(Default)'} (${v.key.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\')}): the files differ: ${said.join('; ')}; files may come from different moments in any order, so which value is in force is not known: each is judged`);
  }
  return out;
}

/** A command that needs one kind of part and got inputs without any: what they hold, and what it reads. */
export function lacking(input: CapturedInput, kind: 'table' | 'ranges', command: string): UsageError {
  const held = [...new Set(input.sources.filter((s) => !s.sameAs).map((s) => s.format))];
  const what = kind === 'table' ? 'no socket table' : 'no port ranges';
  const wanted = kind === 'table' ? 'the socket table of ss, netstat, lsof, sockstat, Get-NetTCPConnection or /proc/net/tcp' : 'the port ranges of netsh, sysctl or /proc/sys/net/ipv4';
  const lost = input.notJudged.length ? `; not read: ${input.notJudged.join('; ')}` : '';
  const files = [...new Set(input.sources.map((s) => s.file))].join(', ');
  return new UsageError(`--from ${files}: the input holds ${what}${held.length ? ` (it holds ${held.join(', ')})` : ''}${lost}; ${command} reads ${wanted} (\`tcpdiag ${command} --help\` lists every output --from reads)`);
}
