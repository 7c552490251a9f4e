// A line a person puts in a paste where they left rows out: "...", "…",
// "[...]", "<snip>", "-- snip --", "(truncated)", "[... 40 more lines ...]".
// Inside a socket table it means the table is not whole (a user trial: the
// German netstat fixture's "    ..." line, pasted with netsh output, gave
// `bind 8080` an OK from a table that does not show every row), so
// read-sections.ts records where it stands (TableScope.omitted) and
// tableGaps says it. Only a line that holds nothing else counts: a value
// PowerShell cut to its column ("fe80::1c2e:…") is a cell, not a mark.

/** Dots or an ellipsis, alone or in brackets: "...", ". . .", "…", "[...]", "(…)", "<...>". */
const DOTS = /^[[(<{]?\s*(?:(?:\.\s?){2,}\.|…+)\s*[\])>}]?$/;

/** Brackets, dashes, scissors, dots and blanks around a mark's words: "-- snip --", "[output truncated]", "... 40 more lines ...". */
const EDGE = new Set([...'-=~#*✂[](){}<>.… \t']);

function stripEdges(t: string): string {
  let a = 0;
  let b = t.length;
  while (a < b && EDGE.has(t[a]!)) a++;
  while (b > a && EDGE.has(t[b - 1]!)) b--;
  return t.slice(a, b);
}

/** The words, spaces made single: "snip", "output truncated", "40 more lines", "12 rows omitted". */
const WORDS = [
  /^(?:(?:output|rest|list|table|lines?|rows?) )?(?:snip|snipped|truncated|omitted|cut|removed|trimmed)(?: (?:here|for brevity))?$/i,
  /^(?:\d+ )?(?:more )?(?:lines?|rows?|entries|connections|sockets)(?: (?:more|omitted|truncated|snipped|removed|hidden|not shown))?$/i,
];

/** Whether a line marks rows the paste left out. */
export function isOmissionMark(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > 60) return false;
  if (DOTS.test(t)) return true;
  const words = stripEdges(t).replace(/\s+/g, ' ');
  if (!WORDS.some((w) => w.test(words))) return false;
  // A bare word needs a bracket, dash, dots or a number beside it, or to be one of the plain marks: "lines" alone is no mark.
  return /^(?:snip|snipped|truncated|omitted)$/i.test(t) || words !== t || /\d/.test(t);
}
