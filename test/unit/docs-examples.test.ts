// Every tcpdiag command line in the README and docs/ stays runnable (issue
// #17): its command exists, and its arguments and flags pass the real
// command-line program (src/cli/program.ts: commander's parsing, then each
// command's own validation of the values, zod included). What would come
// next, running the probe, is the one thing replaced: runCommand and
// runTextCommand only validate here, so nothing is bound, connected or read.
// Templates in prose are held to the program too: `tcpdiag bind <port>` must
// name bind's argument as --help does, and `completion bash|zsh|fish` must
// hold for each shell. Prose also names commands without running them ("`tcpdiag
// bind` checks it"): such a name must be a command, and is parsed as a line
// only when the command needs no argument; a program's name alone (a file
// name in a table) is no command line. Code blocks hold command lines only.
import { CommanderError, type Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { codeSpans, readPages, splitFences, type Page } from '../helpers/docs.js';
import { tcpdiagInvocations } from '../helpers/shell-words.js';

const state = vi.hoisted(() => ({ validated: 0 }));
vi.mock('../../src/cli/run-command.js', () => ({
  runCommand: async (spec: { validate: () => unknown }) => {
    spec.validate();
    state.validated++;
  },
  runTextCommand: async (_command: string, validate: () => unknown) => {
    validate();
    state.validated++;
  },
}));

interface Example {
  page: string;
  /** The line or code span it was found in. */
  source: string;
  /** From prose (a code span) rather than a code block. */
  inProse: boolean;
  args: string[];
}

/** A placeholder word of a template, `<port>`, kept whole through the shell split. */
const MARK = '\u0000';
const placeholder = (w: string) => (w.startsWith(MARK) ? w.slice(1) : null);

/** `bash|zsh|fish` written without blanks is a choice in a template, not a pipe: one span per choice. */
function expandChoices(span: string): string[] {
  const m = /(?<=^|\s)([\w-]+(?:\|[\w-]+)+)(?=\s|$)/.exec(span);
  if (!m) return [span];
  return m[1]!.split('|').flatMap((c) => expandChoices(span.slice(0, m.index) + c + span.slice(m.index + m[1]!.length)));
}

function examplesOf(page: Page): Example[] {
  const out: Example[] = [];
  const add = (source: string, line: string, comments: boolean, inProse = false) => {
    for (const args of tcpdiagInvocations(line.replace(/<([a-z][\w-]*)>/g, `${MARK}$1`), comments)) {
      if (!(inProse && args.length === 0)) out.push({ page: page.path, source, inProse, args });
    }
  };
  const { prose, fences } = splitFences(page.text);
  for (const f of fences) {
    if (f.lang === 'json') continue;
    for (const raw of f.lines) {
      const line = raw.trim();
      if (!line.includes('tcpdiag')) continue;
      // In captured output only the command line ("$ tcpdiag ...") and remedies ("tcpdiag ..." under "fix:") are commands.
      if (f.lang === 'text' && !line.startsWith('$ ') && !line.startsWith('tcpdiag ')) continue;
      add(line, line.replace(/^\$ /, ''), f.lang !== 'bat');
    }
  }
  for (const span of codeSpans(prose)) if (span.includes('tcpdiag')) for (const s of expandChoices(span)) add(span, s, true, true);
  return out;
}

const pages = readPages();
const examples = pages.flatMap(examplesOf);

/** A fresh program (commander keeps parsed values), with commander's exits and output caught. */
function program(): Command {
  const p = buildProgram();
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(p)) c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  return p;
}

const SAMPLES: Record<string, string> = { port: '8080', host: '127.0.0.1', report: 'sockets', shell: 'bash' };

/** The command a line's leading words name, and how many words that took. */
function commandOf(args: string[]): { cmd: Command; words: number } {
  let cmd = program();
  let words = 0;
  for (; words < args.length; words++) {
    const sub = cmd.commands.find((c) => c.name() === args[words]);
    if (!sub) break;
    cmd = sub;
  }
  return { cmd, words };
}

/** The command lines a template stands for: placeholders checked against the command's arguments, then filled in. */
function concrete(args: string[]): string[][] {
  if (placeholder(args[0] ?? '') === 'command') {
    return program()
      .commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden && c.name() !== 'help')
      .flatMap((c) => concrete([c.name(), ...args.slice(1)]));
  }
  const { cmd, words: i } = commandOf(args);
  const filled = [...args];
  args.forEach((w, at) => {
    const name = placeholder(w);
    if (name === null) return;
    const declared = cmd.registeredArguments[at - i]?.name();
    expect(declared, `<${name}> in "tcpdiag ${args.join(' ')}" is argument ${at - i + 1} of "${cmd.name()}"`).toBe(name);
    expect(SAMPLES, `a sample value for <${name}>`).toHaveProperty(name);
    filled[at] = SAMPLES[name]!;
  });
  return [filled];
}

const HELP_OR_VERSION = new Set(['--help', '-h', '--version', '-V']);

async function parse(args: string[]): Promise<void> {
  const before = state.validated;
  try {
    await program().parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && ['commander.helpDisplayed', 'commander.version'].includes(err.code) && args.some((a) => HELP_OR_VERSION.has(a))) return;
    throw err;
  }
  expect(state.validated - before, `tcpdiag ${args.join(' ')}: a command ran its validation`).toBe(1);
}

describe('command examples in the README and docs/', () => {
  it('are found on the pages that have them', () => {
    const per = (path: string) => examples.filter((e) => e.page === path).length;
    expect(per('README.md')).toBeGreaterThanOrEqual(20);
    for (const page of pages.filter((p) => p.path.startsWith('docs/commands/') && !p.path.endsWith('README.md'))) expect(per(page.path), page.path).toBeGreaterThan(0);
  });

  it('the shell split finds tcpdiag where a shell would run it, and only there', () => {
    expect(tcpdiagInvocations(`cat a.txt b.txt | tcpdiag bind 3306 --from - # a ticket`)).toEqual([['bind', '3306', '--from', '-']]);
    expect(tcpdiagInvocations('TMPDIR=/var/tmp ./tcpdiag-linux-x64 sockets && sudo tcpdiag doctor --json > out.json')).toEqual([['sockets'], ['doctor', '--json']]);
    expect(tcpdiagInvocations('source <(tcpdiag completion bash)')).toEqual([['completion', 'bash']]);
    expect(tcpdiagInvocations('tcpdiag sockets --from <(ssh host netstat -ano)')).toEqual([['sockets', '--from', '/dev/fd/63']]);
    expect(tcpdiagInvocations(String.raw`C:\Tools\tcpdiag-win-x64.exe doctor --json > C:\Tools\doctor.json`, false)).toEqual([['doctor', '--json']]);
    expect(tcpdiagInvocations(String.raw`certutil -hashfile C:\Tools\tcpdiag-win-x64.exe SHA256`, false)).toEqual([]);
    expect(tcpdiagInvocations('npm install -g tcpdiag')).toEqual([]);
    expect(tcpdiagInvocations(`tcpdiag doctor --json | jq '.findings[] | select(.severity != "info")'`)).toEqual([['doctor', '--json']]);
  });

  it('a line that does not parse is caught', async () => {
    await expect(parse(['sockets', '--no-such-flag'])).rejects.toThrow(/unknown option/);
    await expect(parse(['sockets', '--sample', '5 minutes'])).rejects.toThrow(/--sample/);
    await expect(parse(['bind'])).rejects.toThrow(/missing required argument/);
    await expect(parse(['keepalive', 'selftest', '--idle', '1500ms'])).rejects.toThrow(/--idle/);
  });

  it.each(examples.map((e) => [`${e.page}: ${e.source}`, e] as const))('%s', async (_, e) => {
    const { cmd, words } = commandOf(e.args);
    const programFlags = e.args.length > 0 && e.args.every((a) => HELP_OR_VERSION.has(a));
    if (!programFlags && placeholder(e.args[0] ?? '') !== 'command') expect(words, `"${e.args[0]}" is a command`).toBeGreaterThan(0);
    // Prose that names a command ("`tcpdiag bind` checks it") runs nothing when the command needs arguments.
    if (e.inProse && words === e.args.length && (cmd.commands.length > 0 || cmd.registeredArguments.some((a) => a.required))) return;
    for (const args of concrete(e.args)) await parse(args);
  });
});
