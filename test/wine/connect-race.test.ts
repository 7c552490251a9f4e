// connect-race on the win32 Node under Wine, in a namespace whose firewall
// lets 2 attempts be pending host-wide (race-host.cjs), with
// EnableConnectionRateLimiting written into this prefix's registry: the
// win32 code path finds the limit, its scope through a second win32 Node
// (the helper process), and reads the registry value into its explanation.
// A smoke of our code path: the limit is Linux's nftables, the registry
// Wine's, so nothing here is evidence of Windows behaviour.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsForFile, nft, skipWithoutNetns } from '../helpers/netns.js';
import { raceRuleset } from '../helpers/scripts/race-host.cjs';
import { copyPrefix, removePrefix, runWin32Cli, runWin32Node, skipWithoutWine } from '../helpers/wine.js';

const skip = skipWithoutWine() || skipWithoutNetns();
const namespace = netnsForFile();

describe.skipIf(skip)('connect-race on the win32 Node (under Wine) (skip reason printed above)', () => {
  let ns = '';
  let prefix = '';
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    ns = namespace();
    nft(ns, raceRuleset({ limit: 2 }));
    prefix = copyPrefix();
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', "require('net').createServer((c)=>c.on('error',()=>{})).listen(8080,'127.0.0.1',()=>console.log('up'));setTimeout(()=>{},600000)"], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => server!.stdout!.once('data', resolve));
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    if (prefix) removePrefix(prefix);
  });

  it('finds at least 2 held host-wide, and says what EnableConnectionRateLimiting 1 means for it', () => {
    const reg = runWin32Node(['-e', "require('child_process').execFileSync('reg', ['add', 'HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\Tcpip\\\\Parameters', '/v', 'EnableConnectionRateLimiting', '/t', 'REG_DWORD', '/d', '1', '/f'])"], { netns: ns, prefix });
    expect(reg.code).toBe(0);
    const r = runWin32Cli(['connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--json'], { netns: ns, prefix });
    expect(r.stderr + r.stdout).not.toMatch(/^ +at /m);
    expect(r.code).toBe(1);
    const rep = r.json();
    // The holder (Linux conntrack here) keeps counting closed attempts, and the
    // win32 backend has no conntrack record to read: 2 is a lower bound.
    expect(rep.data).toMatchObject({ limit: null, limitRange: { min: 2, max: null }, heldAtPending: 2, scope: 'host', heldOn: 'own', release: { releasedAfterMs: null } });
    expect(rep.summary).toMatch(/^2 or more pending attempts to 127\.0\.0\.1:15000 hold other connects \(host-wide\)/);
    // Windows' schedule is not known: the waits assume 3 s, doubling (longer is only slower).
    expect(rep.data.synSchedule.basis).toMatch(/^assumed 3 s/);
    const f = rep.findings.find((x: { code: string }) => x.code === 'connect-attempts-serialized');
    // "2 or more" may be Windows' 10: the setting on is named the likely holder.
    expect(f.message).toMatch(/EnableConnectionRateLimiting is 1: Windows' own half-open limit \(10 pending attempts, KB969710\) is on, and it is the likely holder/);
    expect(rep.notJudged.join(' ')).toMatch(/the limit is given as a lower bound/);
    expect(f.remedy[0]).toMatch(/^reg query "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" \/v EnableConnectionRateLimiting$/);
  });
});
