import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { isAbsolute, join, resolve } from 'node:path';

/** The checkout's entry script (what `npm install` runs); also where dist/ and the package are. */
export const BIN = join(__dirname, '..', '..', 'bin', 'tcpdiag.js');

/**
 * The tcpdiag the end-to-end tests run: bin/tcpdiag.js on this Node, or the
 * single executable named by TCPDIAG_TEST_CLI (TESTING.md tier 6: CI runs
 * test/e2e and test/live a second time against release/tcpdiag-linux-x64).
 * Pass it wherever a test or helper script runs "the CLI"; BIN stays for what
 * is about the npm layout itself (dist/, the code cache, node_modules).
 */
export const CLI: string = process.env.TCPDIAG_TEST_CLI ? resolveCli(process.env.TCPDIAG_TEST_CLI) : BIN;

/** True when the tests run against a single executable. */
export const CLI_IS_EXECUTABLE = !CLI.endsWith('.js');

function resolveCli(p: string): string {
  const file = isAbsolute(p) ? p : resolve(__dirname, '..', '..', p);
  // A typo must fail the run, not silently test something else.
  if (spawnSync(file, ['--version'], { timeout: 60_000 }).status !== 0) throw new Error(`TCPDIAG_TEST_CLI=${p}: ${file} does not run`);
  return file;
}

/** The command line that runs `bin` with `args`: a script runs on this Node, an executable on its own (same rule as scripts/cli-argv.cjs). */
export function cliArgv(args: string[], bin: string = CLI): [string, string[]] {
  return bin.endsWith('.js') ? [process.execPath, [bin, ...args]] : [bin, args];
}

/** The same, as words for a bash command line (each double-quoted). */
export function cliShell(bin: string = CLI): string {
  const [file, args] = cliArgv([], bin);
  return [file, ...args].map((w) => `"${w}"`).join(' ');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs the CLI under test (npm test builds dist/ first), optionally inside a network namespace. */
export function runCli(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; netns?: string; bin?: string; cwd?: string } = {}): CliResult {
  const [file, argv] = cliArgv(args, opts.bin ?? CLI);
  const [cmd, cmdArgs] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, file, ...argv]] : [file, argv];
  const r = spawnSync(cmd, cmdArgs, {
    input: opts.input,
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** Bad input: exactly one line on stderr, nothing on stdout, exit 2, no stack trace. */
export function expectUsage(args: string[], pattern: RegExp, input?: string | Buffer): void {
  const r = runCli(args, { input });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^ +at /m);
}

/** A finding as the JSON report carries it. */
export interface ReportFinding {
  code: string;
  severity: string;
  message: string;
  remedy: string[];
}

/** What `bind --json` reports: the fields the tests read (data is the command's own). */
export interface BindReport {
  verdict: string;
  summary: string;
  findings: ReportFinding[];
  notJudged: string[];
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * `tcpdiag bind <args> --json --from -` with `input` on stdin: the exit code,
 * stderr, and the report, read when asked for (a run that printed no JSON,
 * bad input's exit 2, fails there with its stderr).
 */
export function bindFrom(args: string[], input: string): { code: number | null; stderr: string; rep: BindReport } {
  const r = runCli(['bind', ...args, '--json', '--from', '-'], { input });
  return {
    code: r.code,
    stderr: r.stderr,
    get rep(): BindReport {
      if (r.stdout.trim() === '') throw new Error(`bind ${args.join(' ')} printed no report (exit ${r.code}): ${r.stderr}`);
      return r.json() as BindReport;
    },
  };
}

/**
 * Whether this machine's resolver answers at all: it says a .invalid name
 * (RFC 6761: never exists) does not exist (ENOTFOUND), rather than giving no
 * answer (EAI_AGAIN, on a machine without DNS).
 */
export async function resolverAnswers(): Promise<boolean> {
  const { lookup } = await import('node:dns/promises');
  return lookup('no-such-host.invalid').then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === 'ENOTFOUND',
  );
}
