// Hosts for connect-race in network namespaces (TESTING.md recipes): a
// target port whose SYNs are dropped, a control server on 127.0.0.1:8080,
// and a limiter on new connection attempts, host-wide (nftables `ct count`)
// or per process (the same, keyed by each process's own cgroup v2: every
// node process of the run moves itself into a cgroup of its own at start, by
// a preloaded script, so nftables `socket cgroupv2` tells processes apart).
// Conntrack's SYN_SENT timeout decides whether closed attempts are
// forgotten (2 s) or remembered for the whole run (120 s, the default).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { CLI } from './cli.js';
import { createNetns, nft, setSysctl } from './netns.js';
import { raceRuleset, removeCgroupTree, writeOwnCgroupPreload, type RaceHostRules } from './scripts/race-host.cjs';

const RACE_THEN = join(__dirname, 'scripts', 'race-then.cjs');

/** The ruleset's parts (race-host.cjs: limit, scope, counts, controlLoss), and conntrack's memory. */
export interface RaceHost extends RaceHostRules {
  /** conntrack's nf_conntrack_tcp_timeout_syn_sent, in seconds. */
  forgetS?: number;
}

let cgroupRoot: string | null = null;

/** Why a per-process limiter cannot be built here, or null. */
export function perProcessSkipReason(): string | null {
  try {
    cgroupV2();
    return null;
  } catch (err) {
    return `a per-process limiter needs cgroup v2: ${(err as Error).message}`;
  }
}

/** A cgroup v2 hierarchy mounted where `ip netns exec` (which remounts /sys) still sees it. */
function cgroupV2(): string {
  if (cgroupRoot) return cgroupRoot;
  const dir = mkdtempSync(join(tmpdir(), 'tdg-cg2-'));
  execFileSync('mount', ['-t', 'cgroup2', 'none', dir]);
  cgroupRoot = dir;
  return dir;
}

afterAll(() => {
  if (!cgroupRoot) return;
  spawnSync('umount', [cgroupRoot]);
  spawnSync('rmdir', [cgroupRoot]);
  cgroupRoot = null;
});

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) removeCgroupTree(dir);
});


export function raceHost(h: RaceHost = {}) {
  const ns = createNetns();
  nft(ns, raceRuleset(h));
  if (h.forgetS !== undefined) setSysctl(ns, 'net/netfilter/nf_conntrack_tcp_timeout_syn_sent', String(h.forgetS));
  let env: NodeJS.ProcessEnv = {};
  if (h.scope === 'process') {
    const parent = join(cgroupV2(), ns);
    mkdirSync(parent);
    created.push(parent);
    env = { NODE_OPTIONS: `--require ${writeOwnCgroupPreload(mkdtempSync(join(tmpdir(), 'tdg-preload-')), parent)}` };
  }
  return {
    ns,
    env,
    /** `tcpdiag <args>` in the namespace, with the control server up; the report parsed. */
    race(args: string[]) {
      const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, RACE_THEN, CLI, ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, ...env } });
      if (r.status !== 0) throw new Error(`race harness failed (${r.status}): ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { code: number; stdout: string; stderr: string };
      return { code: out.code, stderr: out.stderr, stdout: out.stdout, report: args.includes('--json') ? JSON.parse(out.stdout) : null };
    },
  };
}
