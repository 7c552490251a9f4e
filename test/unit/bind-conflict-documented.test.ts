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
