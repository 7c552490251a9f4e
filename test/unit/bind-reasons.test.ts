// The reason bind gives for each holder must be true of the two addresses (a
// user trial: "it listens on the same address" said of 127.0.0.1 against a
// listen on 0.0.0.0, and "the other address family" said of a Windows [::1]
// listener while Node's "::" listen covers it). The CLI case: test/e2e/bind-from-excluded-words.test.ts.
import { describe, expect, it } from 'vitest';
import { judgeBindConflict, nodeListenSpec } from '../../src/explain/bind-conflict.js';
import { findHolders } from '../../src/explain/bind-holders.js';
import type { ExistingSocket } from '../../src/explain/bind-rule-types.js';
import type { SocketRow } from '../../src/os/sockets.js';

const listener = (address: string): ExistingSocket => ({
  family: address.includes(':') ? 'ipv6' : 'ipv4',
  local: { address, port: 3000 },
  remote: { address: address.includes(':') ? '::' : '0.0.0.0', port: 0 },
  state: 'LISTEN',
  reuseAddr: null,
  reusePort: null,
  v6Only: address.includes(':') ? null : false,
  exclusiveAddrUse: null,
  sameUser: null,
  userMayShare: null,
  user: null,
});

describe('Linux: where the listener sits relative to the listen', () => {
  it.each([
    ['127.0.0.1', '0.0.0.0', /^it listens on 127\.0\.0\.1, which the wildcard listen on 0\.0\.0\.0 covers \(SO_REUSEADDR/],
    ['127.0.0.53%lo', '::', /^it listens on 127\.0\.0\.53%lo, which the dual-stack wildcard listen on :: covers/],
    ['::1', '::', /^it listens on ::1, which the wildcard listen on :: covers/],
    ['0.0.0.0', '127.0.0.1', /^it listens on the wildcard 0\.0\.0\.0, which covers 127\.0\.0\.1/],
    ['0.0.0.0', '0.0.0.0', /^it listens on the same address \(SO_REUSEADDR/],
  ])('a listener on %s against a listen on %s', (existing, asked, words) => {
    const j = judgeBindConflict('linux', listener(existing), nodeListenSpec('linux', asked, asked === '::'));
    expect(j.blocks).toBe('yes');
    expect(j.because).toMatch(words);
  });
});

describe("Windows: a holder that blocks no address asked is explained for its own family's address", () => {
  const row = (address: string): SocketRow => {
    const { user: _user, ...socket } = listener(address);
    return { ...socket, protocol: 'tcp', pid: 19820, process: null, owner: 'found' };
  };
  const asked = [
    { address: '0.0.0.0', dualStack: false },
    { address: '::', dualStack: true },
  ];
  it.each(['::1', '127.0.0.1'])('a listener on %s', (address) => {
    const [h] = findHolders([row(address)], { os: 'win32', asked, attempts: [], ephemeral: null, timers: null, uid: null, user: null });
    expect(h!.blocks).toBe('no');
    expect(h!.because).not.toMatch(/other address family/);
    expect(h!.because).toMatch(/^Windows lets a wildcard bind over a specific one/);
  });
});
