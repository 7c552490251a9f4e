// Windows `netsh int ipv4|ipv6 show dynamicport tcp|udp` and
// `netsh int ipv4|ipv6 show excludedportrange protocol=tcp|udp`.
//
// The text is localized (headers and labels in the system language), so this
// parser reads structure only, never English words (OS-FACTS.md):
//  - excluded ranges: a rule of two dash runs ("----------    --------"), then
//    rows of two numbers with an optional "*" (administered exclusion);
//  - dynamic ports: a rule of one dash run, then two "label : number" lines,
//    start first and count second (full-width "：" accepted);
//  - the protocol is the literal token "tcp"/"udp" in the header line above
//    the rule (netsh inserts it untranslated);
//  - the family is not in the output: it is known only when the pasted text
//    includes the command line ("netsh int ipv6 show ..."), else null.
// Several blocks in one paste (a ticket with both commands) are all read.

import { emptyPortRanges, ephemeral, type Family, type PortRanges, type Protocol } from '../port-ranges.js';
import { ParseError, isPort, splitLines, toInt } from './text.js';

const DOUBLE_RULE = /^\s*-{3,}\s+-{3,}\s*$/;
const SINGLE_RULE = /^\s*-{5,}\s*$/;
/** On a trimmed line. */
const EXCLUDED_ROW = /^(\d+)\s+(\d+)(?:\s*(\*))?$/;
const LABELLED_NUMBER = /[:：]\s*(\d+)\s*$/;
const COMMAND_LINE = /netsh\b/i;

export type NetshBlockKind = 'netsh-dynamicport' | 'netsh-excludedportrange';

export interface NetshParse {
  ranges: PortRanges;
  kinds: NetshBlockKind[];
}

export function looksLikeNetsh(text: string): boolean {
  const lines = splitLines(text);
  return lines.some((l, i) => DOUBLE_RULE.test(l) || (SINGLE_RULE.test(l) && LABELLED_NUMBER.test(nextNonBlank(lines, i + 1)?.text ?? '')));
}

export function parseNetsh(text: string, source: string): NetshParse {
  const lines = splitLines(text);
  const out = emptyPortRanges('win32');
  const kinds = new Set<NetshBlockKind>();
  let command: { family: Family | null; protocol: Protocol | null } = { family: null, protocol: null };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (COMMAND_LINE.test(line)) {
      command = { family: findFamily(line), protocol: findProtocol(line) };
    } else if (DOUBLE_RULE.test(line)) {
      const protocol = headerProtocol(lines, i) ?? command.protocol;
      i = readExcludedRows(lines, i + 1, (start, end, administered) => {
        // A range a service reserved (WinNAT for Hyper-V/WSL/Docker) refuses every
        // other program's bind with EACCES. An administered one ("*", made with
        // `netsh add excludedportrange`) only keeps the port out of the dynamic
        // pool and away from services; Microsoft documents it as the way to keep a
        // port free for a server that then binds it (see README "ports").
        const blocksBind = !administered;
        out.reserved.push({ protocol, family: command.family, start, end, administered, blocksBind, source: `${source} (excludedportrange)` });
      });
      kinds.add('netsh-excludedportrange');
    } else if (SINGLE_RULE.test(line)) {
      const start = nextNonBlank(lines, i + 1);
      const count = start && nextNonBlank(lines, start.index + 1);
      if (!start || !count) continue;
      const startPort = toInt(LABELLED_NUMBER.exec(start.text)?.[1]);
      const num = toInt(LABELLED_NUMBER.exec(count.text)?.[1]);
      if (startPort === null || num === null) continue; // a rule that is not a dynamicport block
      const end = startPort + num - 1;
      if (!isPort(startPort) || num < 1 || !isPort(end)) {
        throw new ParseError('netsh dynamicport', `start ${startPort} with ${num} ports runs past 65535 (line ${start.index + 1})`);
      }
      const protocol = headerProtocol(lines, i) ?? command.protocol;
      out.ephemeral.push(ephemeral(startPort, end, `${source} (dynamicport)`, protocol, command.family));
      kinds.add('netsh-dynamicport');
      i = count.index;
    }
  }
  out.readFrom.push(source);
  return { ranges: out, kinds: [...kinds] };
}

/** Reads excluded-range rows after the rule; returns the index of the last line consumed. */
function readExcludedRows(lines: string[], from: number, add: (start: number, end: number, administered: boolean) => void): number {
  let i = from;
  for (; i < lines.length; i++) {
    const m = EXCLUDED_ROW.exec(lines[i]!.trim());
    if (!m) break;
    const start = toInt(m[1]);
    const end = toInt(m[2]);
    if (!isPort(start) || !isPort(end) || start > end) {
      throw new ParseError('netsh excludedportrange', `line ${i + 1}: "${lines[i]!.trim()}" is not a port range`);
    }
    add(start, end, m[3] === '*');
  }
  return i - 1;
}

/** The protocol token in the title line a few lines above a rule. */
function headerProtocol(lines: string[], ruleIndex: number): Protocol | null {
  for (let i = ruleIndex - 1; i >= Math.max(0, ruleIndex - 4); i--) {
    const p = findProtocol(lines[i]!);
    if (p) return p;
  }
  return null;
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

function nextNonBlank(lines: string[], from: number): { index: number; text: string } | undefined {
  for (let i = from; i < lines.length; i++) if (lines[i]!.trim() !== '') return { index: i, text: lines[i]! };
  return undefined;
}
