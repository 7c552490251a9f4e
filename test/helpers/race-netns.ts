// Hosts for connect-race in network namespaces (TESTING.md recipes): a
// target port whose SYNs are dropped, a control server on 127.0.0.1:8080,
// and a limiter on new connection attempts, host-wide (nftables `ct count`)
// or per process (the same, keyed by each process's own cgroup v2: every
// node process of the run moves itself into a cgroup of its own at start, by
// a preloaded script, so nftables `socket cgroupv2` tells processes apart).
// Conntrack's SYN_SENT timeout decides whether closed attempts are
// forgotten (2 s) or remembered for the whole run (120 s, the default).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { CLI } from './cli.js';
import { createNetns, nft, setSysctl } from './netns.js';

const RACE_THEN = join(__dirname, 'scripts', 'race-then.cjs');

export interface RaceHost {
  /** Pending attempts the limiter lets through at once; omitted: none. */
  limit?: number;
  scope?: 'host' | 'process';
  /** Which new connects the limiter counts: all, or only those to the target and to port 8080 (as a firewall limiting connects that leave the host would). */
  counts?: 'all' | 'leaving';
  /** conntrack's nf_conntrack_tcp_timeout_syn_sent, in seconds. */
  forgetS?: number;
  /** SYNs to the control server on 8080 dropped after conntrack counted them: at random (1 in 5), or every 5th. */
  controlLoss?: 'random' | 'every-5th';
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
  for (const dir of created.splice(0)) removeCgroups(dir);
});

function removeCgroups(dir: string): void {
  // Children first; a cgroup whose process has exited can be removed.
  for (const name of readdirSync(dir, { withFileTypes: true })) if (name.isDirectory()) spawnSync('rmdir', [join(dir, name.name)]);
  spawnSync('rmdir', [dir]);
}

/** The script every node process preloads: a cgroup of its own under `parent`. */
function ownCgroupPreload(parent: string): string {
  const script = join(mkdtempSync(join(tmpdir(), 'tdg-preload-')), 'join-own-cgroup.cjs');
  writeFileSync(
    script,
    `const fs = require('node:fs');\nconst dir = ${JSON.stringify(parent)} + '/p' + process.pid;\nfs.mkdirSync(dir);\nfs.writeFileSync(dir + '/cgroup.procs', String(process.pid));\n`,
  );
  return script;
}

export function raceHost(h: RaceHost = {}) {
  const ns = createNetns();
  const counted = h.counts === 'leaving' ? 'tcp dport { 8080, 15000 } ' : '';
  const limiter =
    h.limit === undefined
      ? ''
      : h.scope === 'process'
        ? `  set perproc { type cgroupsv2; size 65535; flags dynamic; }\n  chain output { type filter hook output priority 0; ${counted}tcp flags syn ct state new add @perproc { socket cgroupv2 level 2 ct count over ${h.limit} } counter drop; }\n`
        : `  chain output { type filter hook output priority 0; ${counted}tcp flags syn ct state new ct count over ${h.limit} counter drop; }\n`;
  const loss = h.controlLoss === 'random' ? 'numgen random mod 5 0' : h.controlLoss === 'every-5th' ? 'numgen inc mod 5 0' : '';
  nft(ns, `table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; ${loss ? `tcp dport 8080 tcp flags syn ${loss} drop;` : ''} }\n${limiter}}\n`);
  if (h.forgetS !== undefined) setSysctl(ns, 'net/netfilter/nf_conntrack_tcp_timeout_syn_sent', String(h.forgetS));
  let env: NodeJS.ProcessEnv = {};
  if (h.scope === 'process') {
    const parent = join(cgroupV2(), ns);
    mkdirSync(parent);
    created.push(parent);
    env = { NODE_OPTIONS: `--require ${ownCgroupPreload(parent)}` };
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
