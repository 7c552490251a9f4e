// The Windows and BSD bind-conflict rules (explain/bind-conflict-windows.ts,
// -bsd.ts) against what their documentation says; no such host is here, so
// these rows restate the documents (Microsoft's "Sharing Transport Addresses"
// table, FreeBSD's in_pcbbind/in_pcblookup and setsockopt(2)), one by one.
import { describe, expect, it } from 'vitest';
import { judgeBindConflict, nodeListenSpec } from '../../src/explain/bind-conflict.js';
import type { ExistingSocket } from '../../src/explain/bind-rule-types.js';

const sock = (address: string, state: ExistingSocket['state'], o: Partial<ExistingSocket> = {}): ExistingSocket => ({
  family: address.includes(':') ? 'ipv6' : 'ipv4',
  local: { address, port: 8080 },
  remote: state === 'LISTEN' ? { address: '0.0.0.0', port: 0 } : { address: '10.0.0.9', port: 443 },
  state,
  reuseAddr: false,
  reusePort: false,
  v6Only: false,
  exclusiveAddrUse: false,
  sameUser: true,
  userMayShare: true,
  user: null,
  ...o,
});

describe('Windows (no option on a Node listen)', () => {
  const node = (address: string) => nodeListenSpec('win32', address, address === '::');
  it.each([
    ['default wildcard over default wildcard: INUSE', sock('0.0.0.0', 'LISTEN'), '0.0.0.0', 'yes'],
    ['default wildcard over default specific: SUCCESS', sock('127.0.0.1', 'LISTEN'), '0.0.0.0', 'no'],
    ['default specific over default specific: INUSE', sock('127.0.0.1', 'LISTEN'), '127.0.0.1', 'yes'],
    ['default specific over exclusive wildcard: DENIED', sock('0.0.0.0', 'LISTEN', { exclusiveAddrUse: true }), '127.0.0.1', 'yes'],
    ['default specific over default wildcard, same user: CHECK granted', sock('0.0.0.0', 'LISTEN'), '127.0.0.1', 'no'],
    ['default specific over default wildcard, another user: CHECK refused', sock('0.0.0.0', 'LISTEN', { sameUser: false }), '127.0.0.1', 'yes'],
    ['two different specific addresses never conflict', sock('127.0.0.1', 'LISTEN'), '127.0.0.2', 'no'],
    ['a dual-stack [::] listen meets an IPv4 wildcard listener', sock('0.0.0.0', 'LISTEN'), '::', 'yes'],
  ] as const)('%s', (_, e, address, blocks) => {
    expect(judgeBindConflict('win32', e, node(address)).blocks).toBe(blocks);
  });

  it("a connection's port: depends on whether its implicit bind counts as a wildcard (undocumented)", () => {
    const j = judgeBindConflict('win32', sock('192.168.1.41', 'ESTABLISHED'), node('0.0.0.0'));
    expect(j).toMatchObject({ blocks: 'depends', dependsOn: [expect.stringMatching(/implicit bind as a wildcard/)] });
  });

  it('a TIME_WAIT on another address than asked: no conflict whatever Windows does with it', () => {
    expect(judgeBindConflict('win32', sock('192.168.1.41', 'TIME_WAIT'), node('127.0.0.1')).blocks).toBe('no');
  });
});

describe('FreeBSD and macOS (a Node listen sets SO_REUSEADDR)', () => {
  for (const os of ['freebsd', 'darwin'] as const) {
    const node = (address: string) => nodeListenSpec(os, address, address === '::');
    it.each([
      ['a listener on the same address blocks', sock('0.0.0.0', 'LISTEN'), '0.0.0.0', 'yes'],
      ['a listener on 127.0.0.1 and a wildcard listen coexist', sock('127.0.0.1', 'LISTEN'), '0.0.0.0', 'no'],
      ['an ESTABLISHED client never blocks a SO_REUSEADDR bind', sock('127.0.0.1', 'ESTABLISHED', { reuseAddr: null }), '127.0.0.1', 'no'],
      ['a TIME_WAIT never blocks a SO_REUSEADDR bind', sock('0.0.0.0', 'TIME_WAIT', { reuseAddr: null }), '0.0.0.0', 'no'],
      ['two SO_REUSEPORT sockets share', sock('0.0.0.0', 'LISTEN', { reusePort: true }), '0.0.0.0', 'no'],
      ['an IPv4 wildcard and a dual-stack [::] coexist', sock('0.0.0.0', 'LISTEN'), '::', 'no'],
    ] as const)(`${os}: %s`, (_, e, address, blocks) => {
      const l = blocks === 'no' && e.reusePort ? { ...node(address), reusePort: true } : node(address);
      expect(judgeBindConflict(os, e, l).blocks).toBe(blocks);
    });
  }

  it('a program without SO_REUSEADDR is blocked by a connection on its port (wildcard lookup)', () => {
    const raw = { ...nodeListenSpec('freebsd', '0.0.0.0', false), reuseAddr: false };
    expect(judgeBindConflict('freebsd', sock('127.0.0.1', 'TIME_WAIT'), raw).blocks).toBe('yes');
  });
});

// A bind by a user who is not root beside another user's socket (XNU in_pcbbind/in6_pcbbind,
// FreeBSD in_pcbbind_avail/in6_pcbbind_avail; explain/bind-conflict-bsd.ts otherUserCheck).
describe("FreeBSD and macOS: another user's socket on the port", () => {
  const other = { userMayShare: false, user: '_mysql' } as const;
  const unknown = { userMayShare: null, reusePort: null, user: '_mysql' } as const;
  for (const os of ['freebsd', 'darwin'] as const) {
    const node = (address: string) => nodeListenSpec(os, address, address === '::');
    it.each([
      ['a listener on 127.0.0.1 blocks a dual-stack [::] listen', sock('127.0.0.1', 'LISTEN', other), '::', 'yes'],
      ['a listener on 127.0.0.1 blocks a 0.0.0.0 listen', sock('127.0.0.1', 'LISTEN', other), '0.0.0.0', 'yes'],
      ['a listener on 0.0.0.0 blocks a 127.0.0.1 listen', sock('0.0.0.0', 'LISTEN', other), '127.0.0.1', 'yes'],
      ['a listener on another specific address does not', sock('192.168.1.5', 'LISTEN', other), '127.0.0.1', 'no'],
      ['root, or the same user, may bind beside it', sock('127.0.0.1', 'LISTEN', { userMayShare: true }), '::', 'no'],
    ] as const)(`${os}: %s`, (_, e, address, blocks) => {
      expect(judgeBindConflict(os, e, node(address)).blocks).toBe(blocks);
    });

    it(`${os}: from a paste (who runs the server unknown), it depends, and on that`, () => {
      const j = judgeBindConflict(os, sock('127.0.0.1', 'LISTEN', unknown), node('::'));
      expect(j.blocks).toBe('depends');
      expect(j.dependsOn).toContainEqual(expect.stringMatching(/^which user runs the server: as root, or as _mysql, the user that owns this socket/));
      expect(j.because).toMatch(/the user _mysql.*not root/);
    });
  }

  it('FreeBSD: a connection of another user never blocks ("a connected socket which has a unique 4-tuple")', () => {
    expect(judgeBindConflict('freebsd', sock('127.0.0.1', 'ESTABLISHED', other), nodeListenSpec('freebsd', '::', true)).blocks).toBe('no');
  });

  it('macOS: its wildcard lookup finds connections too', () => {
    expect(judgeBindConflict('darwin', sock('127.0.0.1', 'ESTABLISHED', other), nodeListenSpec('darwin', '::', true)).blocks).toBe('yes');
  });

  it('IPv4 wildcard beside IPv4 wildcard: macOS skips the check, FreeBSD does not', () => {
    const e = sock('0.0.0.0', 'LISTEN', { ...other, reusePort: true });
    const l = { ...nodeListenSpec('darwin', '0.0.0.0', false), reusePort: true };
    expect(judgeBindConflict('darwin', e, l).blocks).toBe('no');
    expect(judgeBindConflict('freebsd', e, l).blocks).toBe('yes');
  });

  it('a dual-stack [::] beside an IPv4 0.0.0.0 listener of another user: macOS lets it (PF_INET on INADDR_ANY), FreeBSD does not', () => {
    const e = sock('0.0.0.0', 'LISTEN', other);
    expect(judgeBindConflict('darwin', e, nodeListenSpec('darwin', '::', true)).blocks).toBe('no');
    expect(judgeBindConflict('freebsd', e, nodeListenSpec('freebsd', '::', true)).blocks).toBe('yes');
  });

  it('Linux has no such check: another user\'s connection with SO_REUSEADDR stays beside a Node listen (the one macOS refuses above)', () => {
    const e = sock('127.0.0.1', 'ESTABLISHED', { ...other, reuseAddr: true, sameUser: false });
    expect(judgeBindConflict('linux', e, nodeListenSpec('linux', '::', true)).blocks).toBe('no');
  });
});
