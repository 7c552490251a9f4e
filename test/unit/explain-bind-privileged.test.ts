// What bind says of a port below the privileged limit, per OS and per how it
// was asked (a paste, a live listen as a user or as root): the words come
// from one place (os/remedies.ts privilegedPortWords), so the OS that has
// CAP_NET_BIND_SERVICE (Linux) is the only one told of it. The CLI case from
// a paste: test/e2e/bind-from-privileged.test.ts.
import { describe, expect, it } from 'vitest';
import { explainBind, type BindFacts } from '../../src/explain/bind.js';
import { emptyPortRanges, type OsName } from '../../src/os/port-ranges.js';

const attempt = (ok: boolean) => ({ address: '0.0.0.0', family: 'ipv4' as const, dualStack: false, ok, errorCode: ok ? null : 'EACCES' });

function privileged(os: OsName, how: 'paste' | 'user' | 'root'): { severity: string; message: string; remedy: string[] } {
  const facts: BindFacts = {
    port: 80,
    os,
    attempts: how === 'paste' ? [] : [attempt(how === 'root')],
    holders: [],
    ranges: emptyPortRanges(os),
    ephemeralRange: null,
    reservedRange: null,
    privileged: { below: 1024, asRoot: how === 'root' },
    semantics: null,
    canClose: null,
    holdersKnown: true,
  };
  return explainBind(facts).findings.find((f) => f.code === 'port-privileged')!;
}

describe('port-privileged, per OS', () => {
  it('Linux: root or CAP_NET_BIND_SERVICE, and the remedy in words, narrowest first', () => {
    expect(privileged('linux', 'paste').message).toMatch(/; one that runs as root or has CAP_NET_BIND_SERVICE listens on it\. If yours runs unprivileged, narrowest first: the capability on a copy of node/);
    const user = privileged('linux', 'user');
    expect(user.severity).toBe('error');
    expect(user.message).toMatch(/^port 80 is below 1024: only a server that runs as root or has CAP_NET_BIND_SERVICE may listen on it; others get EACCES\. Narrowest first: /);
    expect(privileged('linux', 'root').message).toMatch(/that one gets EACCES unless it has CAP_NET_BIND_SERVICE \(or ip_unprivileged_port_start is lowered\)$/);
  });

  it.each(['paste', 'user', 'root'] as const)('FreeBSD (%s): root only, no Linux capability', (how) => {
    const f = privileged('freebsd', how);
    expect(f.message).not.toMatch(/CAP_NET_BIND_SERVICE|Linux|narrowest/i);
    expect(f.remedy).toEqual(['sudo sysctl net.inet.ip.portrange.reservedhigh=79']);
  });

  it('FreeBSD as root: the other user is told of the setting the remedy lowers', () => {
    expect(privileged('freebsd', 'root').message).toMatch(/that one gets EACCES unless net\.inet\.ip\.portrange\.reservedhigh is lowered$/);
    expect(privileged('freebsd', 'user').message).toMatch(/only a server that runs as root may listen on it; others get EACCES$/);
  });
});
