// Pastes arrive quoted (issue #15): every line of an e-mail reply prefixed
// "> " (nested: "> >> "), a diff's added lines, Markdown block quotes, "| " or
// "# " before each line, a forum's or a README's indented code block, a line
// wrapped in inline-code backticks. A prefix is taken off a block of lines
// only when, without it, an output tcpdiag reads starts in that block: the
// structure decides, not the prefix alone, so a lone "> " line of prose or a
// heading "# Title" stays as it is. Lines keep their numbers.
//
// "# " before Linux sysctl lines ("# net.ipv4.ip_local_port_range = 1024 65000")
// is how sysctl.conf comments a setting out, so such a block is not unquoted:
// reading it would take a disabled setting for the host's.

/** The format that opens at line i of these lines, or null. */
export type OpensAt = (lines: readonly string[], i: number) => string | null;

interface Prefix {
  /** Length of this line's prefix, or -1 when the line does not carry it. Blank lines inside a block may carry none (0). */
  at(line: string): number;
  /** Whether a block of this prefix may hold blank lines without the prefix. */
  blanksInside: boolean;
  /** Whether unquoting a block where only these formats open is allowed. */
  allows(format: string, line: string): boolean;
}

const any = () => true;

/** "> ", ">> ", "> >> ", ">": the run of ">" (with blanks between) and one blank after it. */
function quoteMarks(line: string): number {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] !== '>') return -1;
  let end = 0;
  for (; i < line.length; i++) {
    if (line[i] === '>') end = i + 1;
    else if (line[i] !== ' ' && line[i] !== '\t') break;
  }
  return line[end] === ' ' || line[end] === '\t' ? end + 1 : end;
}

/** A single mark ("|" or "#") after optional blanks, and one blank after it (or the end of the line). */
function singleMark(mark: string): (line: string) => number {
  return (line) => {
    let i = 0;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] !== mark) return -1;
    if (i + 1 === line.length) return i + 1;
    return line[i + 1] === ' ' || line[i + 1] === '\t' ? i + 2 : -1;
  };
}

/** Leading blanks (a code block's indentation); an empty line carries none. */
function indentation(line: string): number {
  if (line.trim() === '') return 0;
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i === 0 ? -1 : i;
}

const PREFIXES: Prefix[] = [
  { at: quoteMarks, blanksInside: false, allows: any },
  { at: singleMark('|'), blanksInside: false, allows: any },
  // BSD sysctl prints "key: value", which no sysctl.conf holds; Linux "key = value" it does.
  { at: singleMark('#'), blanksInside: false, allows: (format, line) => format !== 'sysctl' || /^[\w.]+:\s/.test(line.trim()) },
];

/** Quoting inside quoting ("| > >> ", an indented reply) is taken off level by level, this deep at most. */
const DEPTH = 4;

/** The lines with quoting taken off where it hides an output tcpdiag reads. */
export function unquoteLines(input: readonly string[], opensAt: OpensAt, depth = 0): string[] {
  let lines = input.map(unwrapInlineCode);
  for (const prefix of PREFIXES) lines = unquoteBlocks(lines, prefix, opensAt, false, depth);
  return unquoteBlocks(lines, { at: indentation, blanksInside: true, allows: any }, opensAt, true, depth);
}

/** "`tcp6  0  0 :::3000 ... 23788/node`": inline code around a line (not a ``` fence). */
function unwrapInlineCode(line: string): string {
  let t = line;
  if (/^\s*`(?!``)/.test(t)) t = t.replace('`', '');
  if (/[^`]`\s*$/.test(t) && !/```\s*$/.test(t)) t = t.replace(/`(\s*)$/, '$1');
  return t;
}

function unquoteBlocks(lines: string[], prefix: Prefix, opensAt: OpensAt, indent: boolean, depth: number): string[] {
  const out = [...lines];
  // The quote a blank line interrupted goes on after it: the same prefix, only blank lines between.
  let last: { mark: string; end: number } | null = null;
  for (let i = 0; i < lines.length; ) {
    if (prefix.at(lines[i]!) <= 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < lines.length && (prefix.at(lines[end]!) > 0 || (prefix.blanksInside && lines[end]!.trim() === '' && prefix.at(lines[end]!) === 0))) end++;
    // A code block is dedented by its smallest indentation, so lines keep their indentation relative to each other.
    const lengths = lines.slice(i, end).map((l) => prefix.at(l)).filter((n) => n > 0);
    const common = Math.min(...lengths);
    // Inline code inside the quote ("> `tcp6 ... 23788/node`") comes off with it.
    const stripped = lines.slice(i, end).map((l) => unwrapInlineCode(indent ? l.slice(Math.min(common, prefix.at(l) || 0)) : l.slice(Math.max(0, prefix.at(l)))));
    // What is under this prefix may be quoted again, another way: the output is looked for under all of it.
    const inner = depth < DEPTH ? unquoteLines(stripped, opensAt, depth + 1) : stripped;
    const markOf = (line: string) => line.slice(0, Math.max(0, prefix.at(line))).trimEnd();
    const goesOn = !indent && last !== null && last.mark === markOf(lines[i]!) && lines.slice(last.end, i).every((l) => l.trim() === '');
    if (goesOn || ((!indent || lengths.length >= 2) && opensInside(inner, prefix, opensAt))) {
      inner.forEach((l, k) => (out[i + k] = l));
      last = { mark: markOf(lines[end - 1]!), end };
    }
    i = end;
  }
  return out;
}

function opensInside(block: readonly string[], prefix: Prefix, opensAt: OpensAt): boolean {
  for (let k = 0; k < block.length; k++) {
    const format = opensAt(block, k);
    if (format !== null && prefix.allows(format, block[k]!)) return true;
  }
  return false;
}
