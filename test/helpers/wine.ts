// The win32 Node under Wine (scripts/setup-wine.mjs prepares it). A smoke of
// tcpdiag's win32 code path, never evidence of Windows behaviour: Wine answers
// the Windows APIs from Linux (its GetExtendedTcpTable reads this namespace's
// sockets), and its netstat, netsh and tasklist print headers or nothing.
// Rules learned here: stdout and stderr must be files (through a pipe node.exe
// fails with EBADF); each Wine process start costs about a second, so the
// tier stays at a few dozen of them.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, cpSync, linkSync, readdirSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type CliResult } from './cli.js';

export const WINE_DIR = process.env.TCPDIAG_WINE_DIR ?? join(__dirname, '..', '..', 'node_modules', '.cache', 'tcpdiag-wine');

interface Ready {
  node: string;
  nodeExe: string;
  prefix: string;
}

/** Why the Wine tier cannot run here, or null when it can. */
export function wineSkipReason(): string | null {
  if (spawnSync('wine', ['--version'], { stdio: 'ignore' }).status !== 0) return 'the Wine tier needs Wine (Debian packages wine, wine64)';
  const file = join(WINE_DIR, 'ready.json');
  if (!existsSync(file)) return `the Wine tier needs the win32 Node: run node scripts/setup-wine.mjs (no ${file})`;
  const ready = JSON.parse(readFileSync(file, 'utf8')) as Ready;
  if (ready.node !== process.versions.node) return `the win32 Node is ${ready.node}, this Node is ${process.versions.node}: run node scripts/setup-wine.mjs again`;
  if (!existsSync(join(__dirname, '..', '..', 'node_modules', '@koromix', 'koffi-win32-x64', 'package.json'))) return "koffi's win32 module is missing: run node scripts/setup-wine.mjs";
  return null;
}

/**
 * Call at the top of a Wine test file: true when the tier is to be skipped
 * (printing why); throws instead when TCPDIAG_REQUIRE_WINE=1 (as in CI).
 */
export function skipWithoutWine(): boolean {
  const reason = wineSkipReason();
  if (reason === null) return false;
  if (process.env.TCPDIAG_REQUIRE_WINE === '1') throw new Error(`TCPDIAG_REQUIRE_WINE=1 but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return true;
}

function ready(): Ready {
  return JSON.parse(readFileSync(join(WINE_DIR, 'ready.json'), 'utf8')) as Ready;
}

/** A Unix path as the win32 Node sees it: Wine maps Z: to /. */
export function winPath(p: string): string {
  return `Z:${p.replace(/\//g, '\\')}`;
}

/**
 * Back to the Unix form, in any string holding Z:\ paths (for comparing
 * reports). The checkout's own path goes first, whole: it may hold spaces
 * (CI runs from ".../tcp diag"), which end a path everywhere else.
 */
export function unixPaths(s: string): string {
  const root = winPath(join(__dirname, '..', '..'));
  let out = s;
  for (let i = out.indexOf(root); i >= 0; i = out.indexOf(root, i)) {
    const end = out.slice(i + root.length).search(/[\s"'`,;()]|$/);
    const path = out.slice(i, i + root.length + end);
    out = out.slice(0, i) + path.slice(2).replace(/\\/g, '/') + out.slice(i + path.length);
  }
  return out.replace(/Z:\\[^\s"'`,;()]+/g, (m) => m.slice(2).replace(/\\/g, '/'));
}

export interface WineRunOptions {
  env?: NodeJS.ProcessEnv;
  /** Run inside this network namespace (then `prefix` should be a copy of its own: see copyPrefix). */
  netns?: string;
  prefix?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Runs the built CLI on the win32 Node; stdout and stderr go through files. */
export function runWin32Cli(args: string[], opts: WineRunOptions = {}): CliResult {
  return runWin32Node([winPath(BIN), ...args], opts);
}

/** Runs node.exe with arguments (a script path must be given as winPath). */
export function runWin32Node(argv: string[], opts: WineRunOptions = {}): CliResult {
  const { nodeExe, prefix } = ready();
  const dir = mkdtempSync(join(tmpdir(), 'tdg-wine-io-'));
  try {
    const outFd = openSync(join(dir, 'out'), 'w');
    const errFd = openSync(join(dir, 'err'), 'w');
    let inFd: number | 'ignore' = 'ignore';
    if (opts.input !== undefined) {
      writeFileSync(join(dir, 'in'), opts.input);
      inFd = openSync(join(dir, 'in'), 'r');
    }
    const wine = ['wine', nodeExe, ...argv];
    const [cmd, cmdArgs] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, ...wine]] : [wine[0]!, wine.slice(1)];
    const r = spawnSync(cmd as string, cmdArgs as string[], {
      stdio: [inFd, outFd, errFd],
      env: { ...process.env, WINEPREFIX: opts.prefix ?? prefix, WINEDEBUG: '-all', NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
      timeout: opts.timeoutMs ?? 120_000,
    });
    for (const fd of [outFd, errFd, inFd]) if (typeof fd === 'number') closeSync(fd);
    const stdout = readFileSync(join(dir, 'out'), 'utf8');
    const stderr = readFileSync(join(dir, 'err'), 'utf8');
    return { code: r.status, stdout, stderr, json: () => JSON.parse(stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A prefix of its own, for a run inside a network namespace: Wine answers
 * GetExtendedTcpTable from its wineserver's driver process, so the server
 * must start inside the namespace, not be shared with runs outside it.
 * drive_c is hard-linked (Wine does not write to it here), the registry
 * files are copied. Remove with removePrefix after stopping its server.
 */
export function copyPrefix(): string {
  const src = ready().prefix;
  const dst = mkdtempSync(join(tmpdir(), 'tdg-wine-prefix-'));
  linkTree(join(src, 'drive_c'), join(dst, 'drive_c'));
  cpSync(join(src, 'dosdevices'), join(dst, 'dosdevices'), { recursive: true, verbatimSymlinks: true });
  for (const f of readdirSync(src)) if (f.endsWith('.reg') || f === '.update-timestamp') cpSync(join(src, f), join(dst, f));
  return dst;
}

function linkTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const s = join(src, name);
    const d = join(dst, name);
    // lstat: the prefix's Documents, Desktop ... are symlinks into $HOME, copied as links, never walked.
    const st = lstatSync(s);
    if (st.isDirectory()) linkTree(s, d);
    else if (st.isFile()) linkSync(s, d);
    else cpSync(s, d, { verbatimSymlinks: true });
  }
}

/** Stops the prefix's wineserver (and the driver processes it started), then deletes the prefix. */
export function removePrefix(prefix: string): void {
  spawnSync('wineserver', ['-k'], { env: { ...process.env, WINEPREFIX: prefix }, stdio: 'ignore', timeout: 30_000 });
  spawnSync('wineserver', ['-w'], { env: { ...process.env, WINEPREFIX: prefix }, stdio: 'ignore', timeout: 30_000 });
  rmSync(prefix, { recursive: true, force: true });
}

/** Stops the shared prefix's wineserver at the end of a file (it would linger a few seconds). */
export function stopSharedWineserver(): void {
  if (existsSync(join(WINE_DIR, 'ready.json'))) spawnSync('wineserver', ['-k'], { env: { ...process.env, WINEPREFIX: ready().prefix }, stdio: 'ignore', timeout: 30_000 });
}

/** The win32 node.exe (for scripts that start it themselves). */
export function wineNodeExe(): string {
  return ready().nodeExe;
}

/** Runs a Linux Node script inside a namespace with extra environment (WINEPREFIX); it prints one JSON line. */
export function nodeInNetnsEnv(netns: string, script: string, args: string[], env: NodeJS.ProcessEnv): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = spawnSync('ip', ['netns', 'exec', netns, process.execPath, script, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`script failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The parts of a report (JSON, or human output's words) that do not depend on the OS that ran it, paths as on Linux. */
export function comparableReport(stdout: string): unknown {
  // Human output wraps at 80 columns, and a Z:\ path is two characters longer: compare the words.
  if (!stdout.startsWith('{')) return unixPaths(stdout.replace(/\s+/g, ' '));
  const rep = mapStrings(JSON.parse(stdout)) as Record<string, unknown>;
  delete rep.platform;
  delete rep.startedAt;
  delete rep.durationMs;
  return rep;
}

function mapStrings(v: unknown): unknown {
  if (typeof v === 'string') return unixPaths(v);
  if (Array.isArray(v)) return v.map(mapStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x)]));
  return v;
}
