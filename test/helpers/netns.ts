// Network namespaces for fault injection (TESTING.md). Names carry the
// "tdg-<pid>-<n>" prefix so leftovers are recognisable, and every namespace
// made here is deleted in afterEach, also when the test failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';

let counter = 0;

/** Why namespace tests cannot run here, or null when they can. */
export function netnsSkipReason(): string | null {
  if (process.getuid?.() !== 0) return 'network-namespace tests need root';
  if (spawnSync('ip', ['-V']).status !== 0) return 'network-namespace tests need iproute2 (`ip`)';
  if (spawnSync('nft', ['--version']).status !== 0) return 'network-namespace tests need nftables (`nft`)';
  return null;
}

/**
 * Call at the top of a namespace test file: returns true when the tests should
 * be skipped (printing why), and throws instead when TCPDIAG_REQUIRE_NETNS=1,
 * as in CI, so a missing facility fails the run rather than hiding tests.
 */
export function skipWithoutNetns(): boolean {
  const reason = netnsSkipReason();
  if (reason === null) return false;
  if (process.env.TCPDIAG_REQUIRE_NETNS === '1') throw new Error(`TCPDIAG_REQUIRE_NETNS=1 but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return true;
}

const created: string[] = [];

const exists = (name: string) => spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').some((l) => l.split(' ')[0] === name);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

afterEach(() => {
  while (created.length) deleteNetns(created.pop()!);
});

function deleteNetns(name: string): void {
  // A process of the test that was just killed can still hold the namespace
  // for a moment: retry, and fail loudly rather than leave it behind.
  for (let i = 0; i < 20 && exists(name); i++) {
    spawnSync('ip', ['netns', 'del', name]);
    if (exists(name)) pause(100);
  }
  rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
  if (exists(name)) throw new Error(`network namespace ${name} could not be deleted`);
}

/**
 * A namespace for every test of one file (the Wine tier starts one Wine
 * server per namespace, a second each): deleted after the file's tests, in
 * an afterAll registered here, so call it at the file's top level.
 */
export function netnsForFile(): () => string {
  let name: string | null = null;
  afterAll(() => {
    if (name) deleteNetns(name);
  });
  return () => {
    if (name === null) {
      name = `tdg-${process.pid}-${counter++}`;
      execFileSync('ip', ['netns', 'add', name]);
      execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    }
    return name;
  };
}

/**
 * A hosts file seen only inside the namespace: `ip netns exec` bind-mounts
 * /etc/netns/<name>/hosts over /etc/hosts. Removed with the namespace.
 */
export function setNetnsHosts(netns: string, content: string): void {
  mkdirSync(`/etc/netns/${netns}`, { recursive: true });
  writeFileSync(`/etc/netns/${netns}/hosts`, content);
}

/** Loads an nftables ruleset into the namespace (TESTING.md recipes). */
export function nft(netns: string, ruleset: string): void {
  execFileSync('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], { input: ruleset });
}

/** A fresh namespace with loopback up; deleted after the current test. */
export function createNetns(): string {
  const name = `tdg-${process.pid}-${counter++}`;
  execFileSync('ip', ['netns', 'add', name]);
  created.push(name);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** Writes a per-namespace kernel setting, e.g. ("net/ipv4/ip_local_port_range", "40000 40100"). */
export function setSysctl(netns: string, key: string, value: string): void {
  execFileSync('ip', ['netns', 'exec', netns, 'sh', '-c', 'printf "%s\\n" "$1" > "/proc/sys/$2"', 'sh', value, key]);
}
