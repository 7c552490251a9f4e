// A name the resolver gave no answer for is not bad input: the name may be
// right, so the command cannot run here now (exit 3, with what to do), while
// a name the resolver says does not exist is bad input (exit 2). A user trial
// in a namespace without DNS got exit 2 "does not resolve (EAI_AGAIN)". Here
// the namespace's resolv.conf names a server on its own loopback, where
// nothing listens: every lookup fails at once with EAI_AGAIN.
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { netnsForFile, skipWithoutNetns } from '../helpers/netns.js';

const namespace = netnsForFile();

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('a name the resolver gives no answer for (skip reason printed above)', () => {
  const inDeadResolver = (args: string[]) => {
    const ns = namespace();
    // `ip netns exec` bind-mounts /etc/netns/<name>/resolv.conf over /etc/resolv.conf; removed with the namespace.
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    return runCli(args, { netns: ns });
  };

  it.each([
    [['bind', '8080', '--host', 'db.example'], '--host'],
    [['connect-race', '127.0.0.1', '15000', '--control', 'db.example:80'], '--control'],
  ])('%j: cannot run here (exit 3), naming the resolver, not "does not resolve"', (args, what) => {
    const r = inDeadResolver(args);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${what}: "db.example" could not be resolved: the resolver gave no answer (EAI_AGAIN`);
    expect(r.stderr).not.toMatch(/does not resolve/);
  });
});
